#include "util/log.h"

#include "util/environment_log.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace onshi {

LogLevel parse_log_level(std::string_view name, bool *ok) {
    *ok = true;
    if (name == "off") return LogLevel::off;
    if (name == "error") return LogLevel::error;
    if (name == "warn") return LogLevel::warn;
    if (name == "info") return LogLevel::info;
    if (name == "debug") return LogLevel::debug;
    *ok = false;
    return LogLevel::off;
}

Logger::Logger(const std::string &path, LogLevel level)
    : level_(level), file_(level == LogLevel::off ? std::string() : path) {
    if (!file_.is_open()) level_ = LogLevel::off;
}

bool Logger::enabled(LogLevel level) const {
    return (level <= level_ && level_ != LogLevel::off) || environment_log_active();
}

void Logger::log(LogLevel level, std::string_view component, std::string_view message) {
    environment_log(level, component, message);
    if (level > level_ || level_ == LogLevel::off) return;
    file_.write(format_log_line(level, component, message));
}

std::string format_log_line(LogLevel level, std::string_view component, std::string_view message) {
    static constexpr const char *kNames[] = {"off", "error", "warn", "info", "debug"};
    auto now = std::chrono::system_clock::now();
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
#if defined(_WIN32)
    gmtime_s(&tm, &t);
#else
    gmtime_r(&t, &tm);
#endif
    char stamp[96];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    std::string line(stamp);
    line.append(kNames[static_cast<int>(level)]).append(" ").append(component).append(": ").append(message);
    line.push_back('\n');
    return line;
}

std::string redact(std::string_view value, std::size_t keep) {
    std::string out(value.substr(0, keep));
    out.append(value.size() > keep ? value.size() - keep : 0, '*');
    return out;
}

}  // namespace onshi
