#include "util/clock.h"

namespace onshi {

std::chrono::steady_clock::time_point SystemClock::steady_now() const { return std::chrono::steady_clock::now(); }
std::chrono::system_clock::time_point SystemClock::system_now() const { return std::chrono::system_clock::now(); }

}  // namespace onshi
