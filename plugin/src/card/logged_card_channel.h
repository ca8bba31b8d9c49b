// A CardChannel that logs every APDU at debug level: the header (CLA INS P1 P2), the command's
// length, the status word and how many bytes came back, plus errors of the transport. Never the
// data: a VERIFY carries the PIN or 照合番号B, answers carry the certificate and the face photo.
#pragma once

#include "card/card_channel.h"
#include "util/log.h"

#include <string>

namespace onshi::card {

class LoggedCardChannel : public CardChannel {
public:
    LoggedCardChannel(CardChannel &inner, Logger &logger) : inner_(inner), logger_(logger) {}

    ResponseApdu transmit(const CommandApdu &command) override;
    const std::vector<std::uint8_t> &atr() const override { return inner_.atr(); }
    ReaderDetails reader_details() const override { return inner_.reader_details(); }
    std::optional<std::vector<std::uint8_t>> feature_list() override { return inner_.feature_list(); }

private:
    CardChannel &inner_;
    Logger &logger_;
};

// "00 20 00 80, 9 bytes" — the four header bytes and the command's length.
std::string apdu_header_text(const CommandApdu &command);

}  // namespace onshi::card
