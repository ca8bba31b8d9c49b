// The calendar time in the machine's time zone (Japan time at a facility): the time stamps in the
// official file names and headers.
#pragma once

#include <chrono>
#include <ctime>

namespace onshi {

std::tm local_time(std::chrono::system_clock::time_point when);

}  // namespace onshi
