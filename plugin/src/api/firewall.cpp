#include "api/firewall.h"

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
    } catch (...) {
        t_last_error.message.clear();  // out of memory while formatting: the status still tells
    }
    return error.status();
}

const char *last_error_for(const void *handle) {
    return t_last_error.handle == handle ? t_last_error.message.c_str() : "";
}

}  // namespace onshi::api
