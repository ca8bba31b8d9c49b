#include "card/logged_card_channel.h"

#include "card/status_words.h"
#include "util/error.h"
#include "util/status_text.h"

#include <cstdio>

namespace onshi::card {

std::string apdu_header_text(const CommandApdu &command) {
    const std::vector<std::uint8_t> &b = command.bytes();
    std::string out;
    char hex[4];
    for (std::size_t i = 0; i < 4 && i < b.size(); ++i) {
        std::snprintf(hex, sizeof hex, "%02X", static_cast<unsigned>(b[i]));
        if (i) out += ' ';
        out += hex;
    }
    return out + ", " + std::to_string(b.size()) + " bytes" + (command.carries_secret() ? " (secret not shown)" : "");
}

ResponseApdu LoggedCardChannel::transmit(const CommandApdu &command) {
    const std::string header = apdu_header_text(command);
    try {
        ResponseApdu r = inner_.transmit(command);
        logger_.log(LogLevel::debug, "card",
                    "apdu " + header + " -> " + sw_hex(r.sw) + ", " + std::to_string(r.data.size()) + " bytes");
        return r;
    } catch (const Error &e) {
        logger_.log(LogLevel::debug, "card", "apdu " + header + " -> " + status_name(e.status()));
        throw;
    }
}

}  // namespace onshi::card
