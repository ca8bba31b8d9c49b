// ISO 7816-4 / JIS X 6320-4 status words as the My Number Card uses them (docs/card-protocol.md
// §Status words), and the one place that turns an unexpected SW into an Error with bilingual
// detail.
#pragma once

#include "util/error.h"

#include <cstdint>
#include <string>

namespace onshi::card {

namespace sw {
inline constexpr std::uint16_t ok = 0x9000;
inline constexpr std::uint16_t eof_before_le = 0x6282;     // end of file reached before Le bytes
inline constexpr std::uint16_t verify_failed = 0x6300;     // VERIFY failed, no counter given
inline constexpr std::uint16_t wrong_length = 0x6700;
inline constexpr std::uint16_t not_verified = 0x6982;      // security status not satisfied
inline constexpr std::uint16_t auth_blocked = 0x6983;      // authentication method blocked
inline constexpr std::uint16_t data_not_usable = 0x6984;   // referenced data (key) blocked
inline constexpr std::uint16_t conditions_not_met = 0x6985;
inline constexpr std::uint16_t not_found = 0x6A82;         // file or application not found
inline constexpr std::uint16_t wrong_p1p2 = 0x6A86;
inline constexpr std::uint16_t offset_beyond_ef = 0x6B00;
inline constexpr std::uint16_t ins_not_supported = 0x6D00;
inline constexpr std::uint16_t cla_not_supported = 0x6E00;

// 63Cx: counter x (tries left after a failed VERIFY, or on an empty VERIFY).
constexpr bool is_counter(std::uint16_t s) noexcept { return (s & 0xFFF0) == 0x63C0; }
constexpr int counter(std::uint16_t s) noexcept { return s & 0x0F; }
// 61xx: a T=0 card has xx (00 = 256) more bytes for GET RESPONSE.
constexpr bool is_more_data(std::uint16_t s) noexcept { return (s & 0xFF00) == 0x6100; }
// 6Cxx: wrong Le, xx = the number of bytes the card has (T=0).
constexpr bool is_wrong_le(std::uint16_t s) noexcept { return (s & 0xFF00) == 0x6C00; }
}  // namespace sw

// "6A82" (4 upper-case hex digits).
std::string sw_hex(std::uint16_t status_word);

// What the SW means, in both languages (generic text for unknown ones, always with the hex).
Text sw_text(std::uint16_t status_word);

// Error(ONSHI_E_CARD_ERROR) "<operation>: the card answered <SW> (<meaning>)".
Error card_error(const Text &operation, std::uint16_t status_word);

}  // namespace onshi::card
