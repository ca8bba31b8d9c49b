// A small thread-safe logger. By rule (docs/design.md §Rules 3) nothing personal is ever passed to
// it: no PIN, 照合番号B, name, birth date, insurance or card number. Call sites log ids, states and
// codes only; redact() exists for the rare value that must be shown in part (e.g. a reader name is
// fine, a certificate serial is shortened).
#pragma once

#include "util/log_file.h"

#include <string>
#include <string_view>

namespace onshi {

enum class LogLevel { off = 0, error = 1, warn = 2, info = 3, debug = 4 };

LogLevel parse_log_level(std::string_view name, bool *ok);

class Logger {
public:
    Logger() = default;  // logs nowhere
    Logger(const std::string &path, LogLevel level);

    // Whether a line at `level` goes anywhere: this logger's file or the environment's debug log
    // (util/environment_log.h).
    bool enabled(LogLevel level) const;
    void log(LogLevel level, std::string_view component, std::string_view message);

private:
    LogLevel level_ = LogLevel::off;
    LogFile file_;
};

// "2026-11-24T22:28:22.123Z debug component: message\n" (UTC).
std::string format_log_line(LogLevel level, std::string_view component, std::string_view message);

// Keeps the first `keep` characters and replaces the rest with '*'.
std::string redact(std::string_view value, std::size_t keep = 0);

}  // namespace onshi
