#include "card/apdu.h"

#include "util/error.h"
#include "util/secure_buffer.h"

namespace onshi::card {

// A VERIFY's data is a PIN: wipe it with the command.
CommandApdu::~CommandApdu() {
    if (carries_secret_) secure_wipe(bytes_.data(), bytes_.size());
}

ResponseApdu parse_response(std::span<const std::uint8_t> raw) {
    if (raw.empty())
        throw Error(ONSHI_E_CARD_REMOVED, {"the card answered with no bytes (it was taken off the reader)",
                                           "カードから応答がありません（カードが読み取り機から離れました）"});
    if (raw.size() < 2)
        throw Error(ONSHI_E_CARD_ERROR, {"the card answered with a 1-byte response (no status word)",
                                         "カードの応答が1バイトしかありません（ステータスワードなし）"});
    ResponseApdu r;
    r.data.assign(raw.begin(), raw.end() - 2);
    r.sw = static_cast<std::uint16_t>((raw[raw.size() - 2] << 8) | raw[raw.size() - 1]);
    return r;
}

}  // namespace onshi::card
