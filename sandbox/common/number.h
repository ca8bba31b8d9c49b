// Whole decimal numbers in text from outside the code (command lines, the environment, a child's
// reply): all of the text or nothing. atoi would take "12abc" as 12 and "x" as 0 without a word.
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace sandbox {

// The number that is the whole of text (decimal digits, a leading '-' for a signed T) and lies in
// [min, max]; nullopt for anything else: empty, spaces, '+', trailing characters, out of range.
template <class T>
std::optional<T> parse_number(std::string_view text, T min, T max) {
  T v{};
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || v < min || v > max) return std::nullopt;
  return v;
}

// The sandbox's message for a number parse_number refuses.
template <class T>
std::string bad_number_message(const std::string& what, std::string_view text, T min, T max) {
  return what + " must be a number from " + std::to_string(min) + " to " + std::to_string(max) + ", not '" +
         std::string(text) + "'";
}

}  // namespace sandbox
