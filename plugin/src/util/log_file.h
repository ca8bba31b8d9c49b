// An append-only log file that is created owner-only: a log tells who used the terminal and when
// (docs/security.md), so other accounts on the PC must not read it. POSIX: mode 0600. Windows: a
// protected DACL granting only this process's user and SYSTEM, instead of what the folder would
// pass on (C:\ProgramData grants every user read). A file that already exists keeps its
// permissions, like O_CREAT. The path is UTF-8 on every platform.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace onshi {

class LogFile {
public:
    LogFile() = default;                             // not open: writes nowhere
    explicit LogFile(const std::string &utf8_path);  // not open when the file cannot be opened
    ~LogFile();
    LogFile(const LogFile &) = delete;
    LogFile &operator=(const LogFile &) = delete;

    bool is_open() const { return file_ != nullptr; }
    // Appends and flushes one line (nothing when not open); from any thread.
    void write(std::string_view line);

private:
    std::mutex mutex_;
    std::FILE *file_ = nullptr;
};

}  // namespace onshi
