// Time behind an interface, so tests can stand still or jump (timeouts, freshness, expiry).
#pragma once

#include <chrono>

namespace onshi {

class Clock {
public:
    virtual ~Clock() = default;
    virtual std::chrono::steady_clock::time_point steady_now() const = 0;
    virtual std::chrono::system_clock::time_point system_now() const = 0;
};

class SystemClock final : public Clock {
public:
    std::chrono::steady_clock::time_point steady_now() const override;
    std::chrono::system_clock::time_point system_now() const override;
};

}  // namespace onshi
