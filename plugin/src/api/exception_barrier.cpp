#include "api/exception_barrier.h"

#include "util/environment_log.h"
#include "util/status_text.h"

namespace onshi::api {
namespace {

// One slot per thread: the last failed call and the handle it was made with. Its buffer is reused,
// so recording a refusal (a host's poll loop) allocates nothing once it has grown.
struct LastError {
    const void *handle = nullptr;
    std::string message;
};

thread_local LastError t_last_error;

// "<generic status message>: <detail>" in one language, as Error::message writes it.
void append_message(std::string &out, onshi_status status, const char *detail, const std::string &locale) {
    out += status_message(status, locale);
    if (detail && *detail) {
        out += locale == "en" ? ": " : "：";
        out += detail;
    }
}

}  // namespace

onshi_status record_error(const void *handle, const Error &error, const std::string &locale) noexcept {
    try {
        t_last_error.handle = handle;
        t_last_error.message = locale == kBilingual ? error.message("ja") + " / " + error.message("en")
                                                     : error.message(locale);
        // Every message with a detail of its own also reaches the environment's debug log, so that
        // a test run's error messages are scanned for personal data with its logs
        // (scripts/scan-logs.sh). Refusals carry fixed texts only and stay out of it.
        if (environment_log_active())
            environment_log(LogLevel::debug, "api", std::string(status_name(error.status())) + ": " + t_last_error.message);
    } catch (...) {
        t_last_error.message.clear();  // out of memory while formatting: the status still tells
    }
    return error.status();
}

onshi_status record_refusal(const void *handle, const Answer &answer, const std::string &locale) noexcept {
    try {
        t_last_error.handle = handle;
        std::string &m = t_last_error.message;
        m.clear();
        const FixedText *detail = answer.detail();
        if (locale == kBilingual) {
            append_message(m, answer.status(), detail ? detail->ja : nullptr, "ja");
            m += " / ";
            append_message(m, answer.status(), detail ? detail->en : nullptr, "en");
        } else {
            append_message(m, answer.status(), detail ? (locale == "en" ? detail->en : detail->ja) : nullptr, locale);
        }
    } catch (...) {
        t_last_error.message.clear();
    }
    return answer.status();
}

onshi_status record_internal(const void *handle, const char *what, const std::string &locale) noexcept {
    try {
        return record_error(handle, Error(ONSHI_E_INTERNAL, {what, what}), locale);
    } catch (...) {
        return record_refusal(handle, Answer(ONSHI_E_INTERNAL), locale);
    }
}

const char *last_error_for(const void *handle) noexcept {
    return t_last_error.handle == handle ? t_last_error.message.c_str() : "";
}

}  // namespace onshi::api
