// Names and generic ja/en messages of every ABI status code (static storage).
#pragma once

#include <onshi/onshi.h>

#include <string>

namespace onshi {

const char *status_name(onshi_status status) noexcept;
// locale "en" gives English; anything else (including empty) gives Japanese.
const char *status_message(onshi_status status, const std::string &locale) noexcept;
// True for every code the ABI defines (tests iterate over the table).
bool status_is_known(onshi_status status) noexcept;

}  // namespace onshi
