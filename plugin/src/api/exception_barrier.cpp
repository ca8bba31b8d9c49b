#include "api/exception_barrier.h"

#include "util/environment_log.h"
#include "util/status_text.h"

namespace onshi::api {
namespace {

enum class Language : unsigned char { ja, en, both };

// One slot per thread: the last failed call and the handle it was made with. A refusal is kept
// as its parts and written out only when onshi_last_error asks, so that a host's poll loop that
// ends each round with ONSHI_E_TIMEOUT pays a few stores for it, not a message.
struct LastError {
    const void *handle = nullptr;
    std::string message;
    bool pending = false;  // message is still to be written from the parts below
    onshi_status status = ONSHI_OK;
    const FixedText *detail = nullptr;
    Language language = Language::ja;
};

thread_local LastError t_last_error;

Language language_of(const std::string &locale) {
    if (locale == kBilingual) return Language::both;
    return locale == "en" ? Language::en : Language::ja;
}

// "<generic status message>: <detail>" in one language, as Error::message writes it.
void append_message(std::string &out, onshi_status status, const FixedText *detail, Language language) {
    const bool en = language == Language::en;
    out += status_message(status, en ? "en" : "ja");
    const char *text = detail ? (en ? detail->en : detail->ja) : nullptr;
    if (text && *text) {
        out += en ? ": " : "：";
        out += text;
    }
}

void write_pending(LastError &e) {
    e.pending = false;
    e.message.clear();
    if (e.language == Language::both) {
        append_message(e.message, e.status, e.detail, Language::ja);
        e.message += " / ";
        append_message(e.message, e.status, e.detail, Language::en);
    } else {
        append_message(e.message, e.status, e.detail, e.language);
    }
}

}  // namespace

onshi_status record_error(const void *handle, const Error &error, const std::string &locale) noexcept {
    try {
        t_last_error.handle = handle;
        t_last_error.pending = false;
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
    LastError &e = t_last_error;
    e.handle = handle;
    e.pending = true;
    e.status = answer.status();
    e.detail = answer.detail();
    e.language = language_of(locale);
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
    LastError &e = t_last_error;
    if (e.handle != handle) return "";
    if (e.pending) {
        try {
            write_pending(e);
        } catch (...) {
            e.message.clear();  // out of memory while formatting: the status still tells
        }
    }
    return e.message.c_str();
}

}  // namespace onshi::api
