// A CardChannel whose "card" answers with bytes from the fuzz input: each R-APDU is a two-byte
// big-endian length followed by that many raw bytes (data + SW, cut at 264, the PC/SC buffer), in
// order, whatever the command was. Raw bytes go through parse_response() as with a real reader,
// so a short or empty answer is what pcsc-lite would have given; when the input runs out the
// card is "removed".
#pragma once

#include "card/card_channel.h"
#include "card/apdu.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace onshi::fuzz {

class FuzzCardChannel final : public card::CardChannel {
public:
    explicit FuzzCardChannel(std::span<const std::uint8_t> script) : script_(script) {}

    card::ResponseApdu transmit(const card::CommandApdu &command) override;
    const std::vector<std::uint8_t> &atr() const override { return atr_; }

    // docs/design.md §Rules 2 as seen on the wire, for a host that never allows the last try: every
    // VERIFY with a secret came after a tries query (empty VERIFY) — with no other secret VERIFY in
    // between — whose final answer was 9000 (verified state) or 63Cx with x >= 2.
    bool last_try_rule_held() const noexcept { return last_try_rule_held_; }

private:
    void observe(const card::CommandApdu &command, const card::ResponseApdu *response);

    std::span<const std::uint8_t> script_;
    std::vector<std::uint8_t> atr_{0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14};
    bool query_allows_verify_ = false;  // the latest tries query answered 9000 or 63C2..63CF
    bool query_pending_ = false;        // ... with 61xx: its GET RESPONSE has the final SW
    bool last_try_rule_held_ = true;
};

}  // namespace onshi::fuzz
