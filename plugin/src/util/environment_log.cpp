#include "util/environment_log.h"

#include "util/log_file.h"

#include <cstdlib>
#include <string>

#if defined(_WIN32)
#include <process.h>
#include <windows.h>
#else
#include <unistd.h>
#endif

namespace onshi {
namespace {

// ONSHI_DEBUG_LOG_DIR/onshi-<pid>.log in UTF-8, or "" when the variable is not set.
std::string environment_log_path() {
#if defined(_WIN32)
    // The wide variable: getenv would give the ANSI code page, and LogFile takes UTF-8.
    const wchar_t *dir = _wgetenv(L"ONSHI_DEBUG_LOG_DIR");
    if (!dir || !*dir) return {};
    const int size = WideCharToMultiByte(CP_UTF8, 0, dir, -1, nullptr, 0, nullptr, nullptr);
    if (size <= 1) return {};
    std::string utf8(static_cast<std::size_t>(size - 1), '\0');
    WideCharToMultiByte(CP_UTF8, 0, dir, -1, utf8.data(), size, nullptr, nullptr);
    return utf8 + "/onshi-" + std::to_string(_getpid()) + ".log";
#else
    const char *dir = std::getenv("ONSHI_DEBUG_LOG_DIR");
    if (!dir || !*dir) return {};
    return std::string(dir) + "/onshi-" + std::to_string(::getpid()) + ".log";
#endif
}

LogFile &instance() {
    // Never destroyed: worker threads of a host that exits without onshi_close may still log.
    static LogFile *log = new LogFile(environment_log_path());
    return *log;
}

}  // namespace

bool environment_log_active() { return instance().is_open(); }

void environment_log(LogLevel level, std::string_view component, std::string_view message) noexcept {
    try {
        LogFile &log = instance();
        if (log.is_open()) log.write(format_log_line(level, component, message));
    } catch (...) {
        // A log line is never worth an exception in the host.
    }
}

}  // namespace onshi
