#include "scripted_channel.h"

#include "util/error.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>

namespace onshi::card::test {

std::vector<std::uint8_t> from_hex(const std::string &hex) {
    std::string h;
    for (char c : hex)
        if (!std::isspace(static_cast<unsigned char>(c))) h += c;
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
    return out;
}

std::string to_hex(const std::vector<std::uint8_t> &bytes) {
    std::string s;
    char buf[3];
    for (std::uint8_t b : bytes) {
        std::snprintf(buf, sizeof buf, "%02X", static_cast<unsigned>(b));
        s += buf;
    }
    return s;
}

ScriptedChannel &ScriptedChannel::expect(const std::string &command_hex, const std::string &response_hex) {
    steps_.push_back({to_hex(from_hex(command_hex)), from_hex(response_hex)});
    return *this;
}

ScriptedChannel &ScriptedChannel::expect(const std::string &command_hex, const std::vector<std::uint8_t> &data,
                                         std::uint16_t sw) {
    std::vector<std::uint8_t> r = data;
    r.push_back(static_cast<std::uint8_t>(sw >> 8));
    r.push_back(static_cast<std::uint8_t>(sw & 0xFF));
    steps_.push_back({to_hex(from_hex(command_hex)), std::move(r)});
    return *this;
}

// Out of line: GCC 12 at -O2 warns (maybe-uninitialized) about an inline member initializer here.
const std::vector<std::uint8_t> &ScriptedChannel::atr() const {
    static const std::vector<std::uint8_t> kJpkiContactAtr = {0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14};
    return kJpkiContactAtr;
}

ResponseApdu ScriptedChannel::transmit(const CommandApdu &command) {
    std::string sent = to_hex(command.bytes());
    journal_.push_back(sent);
    if (steps_.empty()) {
        ADD_FAILURE() << "unexpected APDU after the end of the script: " << sent;
        throw Error(ONSHI_E_INTERNAL, {"script exhausted", "script exhausted"});
    }
    Step step = std::move(steps_.front());
    steps_.pop_front();
    if (step.command != sent) {
        ADD_FAILURE() << "APDU #" << journal_.size() << ": expected " << step.command << ", got " << sent;
        throw Error(ONSHI_E_INTERNAL, {"script mismatch", "script mismatch"});
    }
    return parse_response(step.response);
}

}  // namespace onshi::card::test
