#include "util/log.h"

#include <chrono>
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

Logger::Logger(const std::string &path, LogLevel level) : level_(level) {
    if (level_ != LogLevel::off && !path.empty()) file_.open(path, std::ios::app);
    if (!file_.is_open()) level_ = LogLevel::off;
}

void Logger::log(LogLevel level, std::string_view component, std::string_view message) {
    if (!enabled(level)) return;
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
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    std::lock_guard lock(mutex_);
    file_ << stamp << '.' << (ms < 100 ? (ms < 10 ? "00" : "0") : "") << ms << "Z "
          << kNames[static_cast<int>(level)] << ' ' << component << ": " << message << '\n';
    file_.flush();
}

std::string redact(std::string_view value, std::size_t keep) {
    std::string out(value.substr(0, keep));
    out.append(value.size() > keep ? value.size() - keep : 0, '*');
    return out;
}

}  // namespace onshi
