// BER-TLV headers as the 券面 APs use them (docs/card-protocol.md §TLV encoding): one- or two-byte
// tags (the private-class FF 20 / DF 27 kind), lengths in short form or 81 xx / 82 xx xx.
// Everything else (indefinite length 80, 83+ long forms, three-byte tags) is refused: the card
// never uses them and accepting them would only widen what a forged card could make us do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace onshi::card {

struct TlvHeader {
    std::uint16_t tag = 0;       // 0xFF20, 0xDF27, or a one-byte tag such as 0x90
    std::size_t header_size = 0; // tag + length bytes
    std::size_t length = 0;      // value bytes
};

// Parses the header at the start of `bytes`. std::nullopt when `bytes` is too short to hold the
// whole header (fetch more and try again); throws Error(ONSHI_E_CARD_ERROR) when it is malformed.
std::optional<TlvHeader> parse_tlv_header(std::span<const std::uint8_t> bytes);

// The value of the first child with `tag` in a sequence of TLVs (e.g. the value of FF 20).
// std::nullopt when absent; throws Error(ONSHI_E_CARD_ERROR) on a malformed or truncated element
// before it. Stops at filler (00 or FF where a tag would start) — files carry padding after the
// object. Bounded by the span: never reads outside it.
std::optional<std::span<const std::uint8_t>> find_tlv(std::span<const std::uint8_t> sequence,
                                                      std::uint16_t tag);

}  // namespace onshi::card
