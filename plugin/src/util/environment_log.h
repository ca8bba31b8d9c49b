// The log the environment asks for: when ONSHI_DEBUG_LOG_DIR names a directory, everything any
// context logs (at debug level, whatever its own log.level says) and every error message onshi
// hands to a host is also appended to DIR/onshi-<pid>.log (owner-only: util/log_file.h). It exists so that a whole
// test run can be logged and then scanned for personal data (scripts/scan-logs.sh); it obeys the
// same rule as every log (util/log.h): nothing personal is ever passed to it.
#pragma once

#include "util/log.h"

#include <string_view>

namespace onshi {

// True when ONSHI_DEBUG_LOG_DIR was set (read once per process) and the file could be opened.
bool environment_log_active();

// Appends one line; does nothing when the environment log is not active. Never throws.
void environment_log(LogLevel level, std::string_view component, std::string_view message) noexcept;

}  // namespace onshi
