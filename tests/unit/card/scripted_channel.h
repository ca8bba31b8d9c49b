// A CardChannel that plays a script: each step is the exact C-APDU we expect (hex) and the raw
// R-APDU bytes (hex, data + SW) the "card" answers. Raw answers go through parse_response(), the
// same function the PC/SC channel uses, so "" reproduces pcsc-lite's 0-byte success on removal.
#pragma once

#include "card/card_channel.h"

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace onshi::card::test {

std::vector<std::uint8_t> from_hex(const std::string &hex);  // spaces ignored
std::string to_hex(const std::vector<std::uint8_t> &bytes);  // upper case, no spaces

class ScriptedChannel final : public CardChannel {
public:
    // Appends one step. `response` is hex of data + SW ("9000", "63C2", "" for 0 bytes).
    ScriptedChannel &expect(const std::string &command_hex, const std::string &response_hex);
    ScriptedChannel &expect(const std::string &command_hex, const std::vector<std::uint8_t> &data,
                            std::uint16_t sw);

    ResponseApdu transmit(const CommandApdu &command) override;
    const std::vector<std::uint8_t> &atr() const override;

    // Every C-APDU sent (hex), in order; secrets are kept so tests can check the exact bytes.
    const std::vector<std::string> &journal() const { return journal_; }
    bool all_consumed() const { return steps_.empty(); }

private:
    struct Step {
        std::string command;
        std::vector<std::uint8_t> response;
    };
    std::deque<Step> steps_;
    std::vector<std::string> journal_;
};

// Well-known commands, as hex.
inline const std::string kSelectJpki = "00A4040C0AD392F000260100000001";
inline const std::string kSelectKenkaku = "00A4040C0AD3921000310001010402";
inline const std::string kSelectToken = "00A4020C020006";
inline const std::string kSelectCert = "00A4020C02000A";
inline const std::string kSelectKey = "00A4020C020017";
inline const std::string kSelectPin = "00A4020C020018";
inline const std::string kSelectCollationB = "00A4020C020012";
inline const std::string kSelectFace = "00A4020C020002";
inline const std::string kVerifyQuery = "00200080";

}  // namespace onshi::card::test
