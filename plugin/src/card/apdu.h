// APDU types. A CommandApdu can only be made by the factories in card/commands.h: that is how the
// card layer makes the forbidden commands (docs/design.md §Rules 1: Kenhojo EF 0001, Kenkaku
// EF 0005, 照合番号A) impossible to send, not merely unused.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace onshi::card {

class CommandApdu {
public:
    const std::vector<std::uint8_t> &bytes() const noexcept { return bytes_; }
    // VERIFY commands carry a secret; the journal and logs must not show their data.
    bool carries_secret() const noexcept { return carries_secret_; }
    // An extended-length command (Le in 2 bytes): its answer may exceed 256 bytes.
    bool extended() const noexcept { return extended_; }
    ~CommandApdu();

    CommandApdu(CommandApdu &&) noexcept = default;
    CommandApdu &operator=(CommandApdu &&) noexcept = default;
    CommandApdu(const CommandApdu &) = delete;
    CommandApdu &operator=(const CommandApdu &) = delete;

private:
    friend class Commands;
    CommandApdu(std::vector<std::uint8_t> bytes, bool carries_secret, bool extended = false)
        : bytes_(std::move(bytes)), carries_secret_(carries_secret), extended_(extended) {}

    std::vector<std::uint8_t> bytes_;
    bool carries_secret_ = false;
    bool extended_ = false;
};

struct ResponseApdu {
    std::vector<std::uint8_t> data;
    std::uint16_t sw = 0;

    bool ok() const noexcept { return sw == 0x9000; }
    std::uint8_t sw1() const noexcept { return static_cast<std::uint8_t>(sw >> 8); }
    std::uint8_t sw2() const noexcept { return static_cast<std::uint8_t>(sw & 0xFF); }
};

// Splits raw R-APDU bytes (as a transport returned them) into data + SW. pcsc-lite reports a card
// pulled mid-APDU as success with 0 bytes (docs/pcsc-harness.md §A card pull), so fewer than 2
// bytes is never a response: 0 bytes -> Error(ONSHI_E_CARD_REMOVED), 1 byte ->
// Error(ONSHI_E_CARD_ERROR).
ResponseApdu parse_response(std::span<const std::uint8_t> raw);

}  // namespace onshi::card
