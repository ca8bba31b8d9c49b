// Default texts of the job events a reception screen shows while a check runs, in the context's
// locale, so that a host may show an event's text as it is instead of writing its own strings.
#pragma once

#include <cstdint>
#include <string>

namespace onshi::core {

// ONSHI_EVENT_PROGRESS: "カードを読み取っています" / "Reading the card" for ONSHI_PROGRESS_*.
std::string progress_text(int32_t step, const std::string &locale);

// ONSHI_EVENT_PIN_NEEDED: the prompt for ONSHI_SECRET_* with the tries left (-1 when unknown).
// On an Android phone (`medium` "android") the PIN is the スマホ用電子証明書's, and the prompt says so.
std::string secret_prompt(int32_t kind, int32_t tries_left, const std::string &locale, const std::string &medium = {});

}  // namespace onshi::core
