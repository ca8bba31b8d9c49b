// onshi host SDK — Result (an owned onshi_result) and Event (a copied onshi_event).
#ifndef ONSHI_SDK_RESULT_HPP
#define ONSHI_SDK_RESULT_HPP

#include <onshi/onshi.h>
#include <onshi/sdk/detail/loaded.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace onshi::sdk {

// One event, copied out of the library's onshi_event (so text outlives the callback).
struct Event {
    std::int32_t type = ONSHI_EVENT_NONE; // ONSHI_EVENT_*
    onshi_job_id job = 0;                 // 0 for reader and card events
    onshi_status status = ONSHI_OK;       // final status of DONE / FAILED / CANCELLED
    std::int32_t value = -1;              // progress step, tries left, ... (see onshi.h)
    std::int32_t detail = 0;              // ONSHI_SECRET_* for PIN_NEEDED
    std::string text;                     // reader name, message, ...

    bool is_final() const noexcept {
        return type == ONSHI_EVENT_DONE || type == ONSHI_EVENT_FAILED ||
               type == ONSHI_EVENT_CANCELLED;
    }
};

namespace detail {

// Reads only the fields the library says are valid (struct_size): a newer library may append
// fields, an older one may have fewer.
inline Event copy_event(const onshi_event &raw) {
    const auto has = [&](std::size_t offset, std::size_t size) {
        return raw.struct_size >= offset + size;
    };
    Event event;
    if (has(offsetof(onshi_event, type), sizeof raw.type))
        event.type = raw.type;
    if (has(offsetof(onshi_event, job), sizeof raw.job))
        event.job = raw.job;
    if (has(offsetof(onshi_event, status), sizeof raw.status))
        event.status = raw.status;
    if (has(offsetof(onshi_event, value), sizeof raw.value))
        event.value = raw.value;
    if (has(offsetof(onshi_event, detail), sizeof raw.detail))
        event.detail = raw.detail;
    if (has(offsetof(onshi_event, text), sizeof raw.text) && raw.text)
        event.text = raw.text;
    return event;
}

} // namespace detail

// The outcome of a job (or of an imported XML). Copies share one immutable onshi_result, which
// is freed with onshi_result_free when the last copy goes. A result may be empty (no native
// result: the library could not give one); json() is then "".
class Result {
public:
    Result() = default;
    Result(std::shared_ptr<const detail::Loaded> lib, onshi_result *raw, onshi_status final_status,
           onshi_job_id job_id)
        : lib_(std::move(lib)), status_(final_status), job_(job_id) {
        if (raw) {
            // The deleter keeps the library loaded until the last copy is gone.
            handle_.reset(raw, [owner = lib_](onshi_result *r) { owner->api.onshi_result_free(r); });
        }
    }

    onshi_status status() const noexcept { return status_; } // the job's final status
    bool ok() const noexcept { return status_ == ONSHI_OK; }
    onshi_job_id job() const noexcept { return job_; }
    bool empty() const noexcept { return !handle_; }
    const onshi_result *native() const noexcept { return handle_.get(); }

    // The whole result as JSON with the official 資格確認結果 element names.
    std::string json() const {
        if (!handle_)
            return {};
        const char *text = nullptr;
        if (api().onshi_result_json(handle_.get(), &text) != ONSHI_OK)
            return {};
        return detail::safe(text);
    }

    // The index-th value of an official element, e.g. field("InsurerNumber"); nullopt when absent.
    std::optional<std::string> field(const char *element_name, std::uint32_t index = 0) const {
        if (!handle_)
            return std::nullopt;
        const char *value = nullptr;
        const onshi_status st = api().onshi_result_field(handle_.get(), element_name, index, &value);
        if (st == ONSHI_E_NOT_FOUND)
            return std::nullopt;
        detail::check(*lib_, st, nullptr);
        return detail::safe(value);
    }

    // The IC chip's face photo (PNG) of a visual check with "photo": true; empty when none.
    std::vector<std::uint8_t> photo_png() const {
        if (!handle_)
            return {};
        const std::uint8_t *png = nullptr;
        std::size_t size = 0;
        if (api().onshi_result_photo_png(handle_.get(), &png, &size) != ONSHI_OK || !png)
            return {};
        return std::vector<std::uint8_t>(png, png + size);
    }

private:
    const detail::Api &api() const noexcept { return lib_->api; }

    std::shared_ptr<const detail::Loaded> lib_;
    std::shared_ptr<onshi_result> handle_;
    onshi_status status_ = ONSHI_OK;
    onshi_job_id job_ = 0;
};

} // namespace onshi::sdk

#endif
