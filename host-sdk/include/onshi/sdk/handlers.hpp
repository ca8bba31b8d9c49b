// onshi host SDK — what a host can plug into a job: an event handler, a PIN provider and a
// completion handler. All run on an onshi thread (see Job for the exact rule), never two at once
// for one context, in the order of the events.
#ifndef ONSHI_SDK_HANDLERS_HPP
#define ONSHI_SDK_HANDLERS_HPP

#include <onshi/onshi.h>
#include <onshi/sdk/result.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>

namespace onshi::sdk {

// What ONSHI_EVENT_PIN_NEEDED asks for.
struct PinRequest {
    onshi_job_id job = 0;
    std::int32_t secret = ONSHI_SECRET_PIN; // ONSHI_SECRET_PIN or ONSHI_SECRET_COLLATION_B (照合番号B)
    std::int32_t tries_left = -1;           // -1 when unknown
    onshi_status previous_error = ONSHI_OK; // why the previous answer was refused (ONSHI_E_PIN_FORMAT)

    bool last_try() const noexcept { return tries_left == 1; }
};

// The provider's answer. Converts from a string: `return std::string(pin);`.
struct PinAnswer {
    PinAnswer(std::string value, bool allow_last = false) // NOLINT: implicit on purpose
        : secret(std::move(value)), allow_last_attempt(allow_last) {}
    std::string secret;              // wiped by the SDK after use
    bool allow_last_attempt = false; // the patient agreed to spend the last try
};

// Returns the PIN (or 照合番号B), or std::nullopt to cancel the job. It may block (for instance
// while the patient types on a PIN pad), but every other event of the context waits meanwhile.
// The SDK asks again with previous_error set when the library refuses the format (no try spent).
using PinProvider = std::function<std::optional<PinAnswer>(const PinRequest &)>;

// Callback style. Every member is optional.
struct JobHandlers {
    std::function<void(const Event &)> on_event; // every event of the job, final one included
    PinProvider on_pin_needed;                   // unset: answer with Job::provide_pin
    std::function<void(const Result &)> on_complete; // once, with the outcome (see Result::status)
};

} // namespace onshi::sdk

#endif
