// One card, held exclusively (inside a PC/SC transaction) for as long as the channel lives.
#pragma once

#include "card/apdu.h"

namespace onshi::card {

class CardChannel {
public:
    virtual ~CardChannel() = default;
    // Sends one command. Throws onshi::Error: ONSHI_E_CARD_REMOVED when the card is gone (including
    // a "successful" transmit that returned 0 bytes), ONSHI_E_PCSC_UNAVAILABLE, ONSHI_E_CARD_ERROR.
    virtual ResponseApdu transmit(const CommandApdu &command) = 0;
    virtual const std::vector<std::uint8_t> &atr() const = 0;
};

}  // namespace onshi::card
