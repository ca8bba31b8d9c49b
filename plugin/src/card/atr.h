// What an ATR tells about the way the card is reached: a contactless reader makes the ATR up itself
// (PC/SC part 3, §3.1.3.2.3: "3B 8n 80 01" followed by n historical bytes and a check byte), a
// contact card sends its own. onshi never identifies the My Number Card by its ATR (several
// manufacturers, docs/card-protocol.md §Transport); a reader diagnosis shows this for support.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace onshi::card {

// True for the ATR a PC/SC contactless reader synthesises (T0 = 8n, TD1 = 80, TD2 = 01).
bool is_contactless_atr(std::span<const std::uint8_t> atr) noexcept;

// "3B E0 00 FF 81 31 FE 45 14"
std::string hex_with_spaces(std::span<const std::uint8_t> bytes);

}  // namespace onshi::card
