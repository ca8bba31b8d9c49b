#include "api/exception_barrier.h"

#include "util/environment_log.h"
#include "util/status_text.h"

namespace onshi::api {
namespace {

struct LastError {
    const void *handle = nullptr;
    std::string message;
};

thread_local LastError t_last_error;

}  // namespace

onshi_status record_error(const void *handle, const Error &error, const std::string &locale) {
    try {
        t_last_error.handle = handle;
        t_last_error.message = locale == kBilingual ? error.message("ja") + " / " + error.message("en")
                                                     : error.message(locale);
        // Every message a host is handed also reaches the environment's debug log, so that a test
        // run's error messages are scanned for personal data with its logs (scripts/scan-logs.sh).
        environment_log(LogLevel::debug, "api", std::string(status_name(error.status())) + ": " + t_last_error.message);
    } catch (...) {
        t_last_error.message.clear();  // out of memory while formatting: the status still tells
    }
    return error.status();
}

const char *last_error_for(const void *handle) {
    return t_last_error.handle == handle ? t_last_error.message.c_str() : "";
}

}  // namespace onshi::api
