#include "card/card_session.h"

#include "card/status_words.h"

namespace onshi::card {

ResponseApdu CardSession::send(const CommandApdu &command) {
    ++apdus_;
    try {
        return channel_.transmit(command);
    } catch (...) {
        forget_selection();
        throw;
    }
}

ResponseApdu CardSession::transmit(const CommandApdu &command) {
    ResponseApdu r = send(command);
    // 6Cxx: a T=0 card says the Le was wrong and how many bytes it has; it sent nothing, so the
    // same read is sent once more with that Le (ISO/IEC 7816-3 §10.3.3; OpenSC sc_transmit_apdu).
    if (sw::is_wrong_le(r.sw) && r.data.empty() && command.bytes().size() == 5 && !command.carries_secret() &&
        (command.bytes()[1] == 0xB0 || command.bytes()[1] == 0xC0))
        r = send(Commands::with_le(command, r.sw2() == 0 ? 256 : r.sw2()));
    // 61xx: over T=0 the card holds the response until GET RESPONSE. Bounded: a short APDU never
    // carries more than 256 bytes, so a card asking for more than a few rounds is broken.
    std::vector<std::uint8_t> data;
    for (int rounds = 0; sw::is_more_data(r.sw); ++rounds) {
        if (rounds >= 4 || data.size() + r.data.size() > 1024)
            throw card_error({"GET RESPONSE", "GET RESPONSE"}, r.sw);
        data.insert(data.end(), r.data.begin(), r.data.end());
        r = send(Commands::get_response(r.sw2()));
    }
    if (!data.empty()) r.data.insert(r.data.begin(), data.begin(), data.end());
    return r;
}

std::uint16_t CardSession::select_ap(Ap ap) {
    if (ap_ == ap) return sw::ok;
    ap_.reset();
    ef_.reset();
    ResponseApdu r = transmit(Commands::select_ap(ap));
    if (r.ok()) ap_ = ap;
    return r.sw;
}

std::uint16_t CardSession::select_ef(Ef ef) {
    EfAddress a = address_of(ef);
    if (ap_ != a.ap) {
        std::uint16_t s = select_ap(a.ap);
        if (s != sw::ok)
            throw card_error({"select application", "アプリケーション選択"}, s);
    }
    if (ef_ == ef) return sw::ok;
    ef_.reset();
    ResponseApdu r = transmit(Commands::select_ef(ef));
    if (r.ok()) ef_ = ef;
    return r.sw;
}

}  // namespace onshi::card
