// onshi host SDK — exceptions. They live on the host side only: nothing here ever crosses into
// a C callback of the library (the SDK catches everything at that boundary).
#ifndef ONSHI_SDK_ERROR_HPP
#define ONSHI_SDK_ERROR_HPP

#include <onshi/onshi.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

namespace onshi::sdk {

// A failed onshi call: the status code, its symbolic name ("ONSHI_E_NO_CARD") and the human
// message (onshi_last_error, in the context's locale, or the SDK's own text for load errors).
class Error : public std::runtime_error {
public:
    Error(onshi_status code, std::string symbolic_name, std::string text)
        : std::runtime_error(symbolic_name + ": " + text),
          status_(code),
          name_(std::move(symbolic_name)),
          message_(std::move(text)) {}

    onshi_status status() const noexcept { return status_; }
    const std::string &name() const noexcept { return name_; }
    const std::string &message() const noexcept { return message_; }

private:
    onshi_status status_;
    std::string name_;
    std::string message_;
};

// A job that ended with ONSHI_EVENT_FAILED or ONSHI_EVENT_CANCELLED (what a future's get()
// throws). tries_left() is the event value: tries left for PIN / 照合番号B errors, else -1.
// result_json() is the error result's JSON ("" when the library had none).
class JobError : public Error {
public:
    JobError(onshi_status code, std::string symbolic_name, std::string text, onshi_job_id job_id,
             std::int32_t tries, std::string json)
        : Error(code, std::move(symbolic_name), std::move(text)),
          job_(job_id),
          tries_left_(tries),
          result_json_(std::move(json)) {}

    onshi_job_id job() const noexcept { return job_; }
    std::int32_t tries_left() const noexcept { return tries_left_; }
    const std::string &result_json() const noexcept { return result_json_; }

private:
    onshi_job_id job_;
    std::int32_t tries_left_;
    std::string result_json_;
};

} // namespace onshi::sdk

#endif
