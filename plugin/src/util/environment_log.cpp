#include "util/environment_log.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#if defined(_WIN32)
#include <process.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

namespace onshi {
namespace {

class EnvironmentLog {
public:
    EnvironmentLog() {
        const char *dir = std::getenv("ONSHI_DEBUG_LOG_DIR");
        if (!dir || !*dir) return;
#if defined(_WIN32)
        std::string path = std::string(dir) + "/onshi-" + std::to_string(_getpid()) + ".log";
        file_ = std::fopen(path.c_str(), "ab");
#else
        std::string path = std::string(dir) + "/onshi-" + std::to_string(::getpid()) + ".log";
        // Owner-only like every file that could tell who came to the clinic and when.
        int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (fd >= 0 && !(file_ = ::fdopen(fd, "a"))) ::close(fd);
#endif
    }

    bool active() const { return file_ != nullptr; }

    void write(const std::string &line) {
        std::lock_guard lock(mutex_);
        std::fwrite(line.data(), 1, line.size(), file_);
        std::fflush(file_);
    }

private:
    std::mutex mutex_;
    std::FILE *file_ = nullptr;
};

EnvironmentLog &instance() {
    // Never destroyed: worker threads of a host that exits without onshi_close may still log.
    static EnvironmentLog *log = new EnvironmentLog();
    return *log;
}

}  // namespace

bool environment_log_active() { return instance().active(); }

void environment_log(LogLevel level, std::string_view component, std::string_view message) noexcept {
    try {
        EnvironmentLog &log = instance();
        if (log.active()) log.write(format_log_line(level, component, message));
    } catch (...) {
        // A log line is never worth an exception in the host.
    }
}

}  // namespace onshi
