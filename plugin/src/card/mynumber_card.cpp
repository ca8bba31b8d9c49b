#include "card/mynumber_card.h"

#include "card/status_words.h"
#include "util/error.h"

#include <algorithm>

namespace onshi::card {
namespace {

Error not_mynumber(const Text &why) {
    return Error(ONSHI_E_NOT_MYNUMBER_CARD,
                 {"this card is not a My Number Card: " + why.en, "マイナンバーカードではありません: " + why.ja});
}

}  // namespace

Medium MyNumberCard::read_medium(Text *why_other) {
    auto other = [&](Text why) {
        if (why_other) *why_other = std::move(why);
        return Medium::other;
    };
    std::uint16_t s = session_.select_ap(Ap::jpki);
    // Any refusal of the AID means some other card (6A82 per ISO; foreign cards also say 6D00,
    // 6E00, 6A86, ...). Card removal comes as an exception from the channel, not as a SW.
    if (s != sw::ok)
        return other({"it has no JPKI application (" + sw_hex(s) + ")", "公的個人認証APがありません（" + sw_hex(s) + "）"});
    s = session_.select_ef(Ef::jpki_token);
    if (s != sw::ok)
        return other({"it has no JPKI token (" + sw_hex(s) + ")",
                      "公的個人認証APのトークン情報がありません（" + sw_hex(s) + "）"});
    ResponseApdu r = session_.transmit(Commands::read_binary(0, 0x20));
    if (r.sw != sw::ok && r.sw != sw::eof_before_le)
        throw card_error({"read the JPKI token", "トークン情報の読み取り"}, r.sw);
    const Medium m = medium_of_token(r.data);
    if (m == Medium::other) return other({"unknown JPKI token", "公的個人認証APのトークン情報が不明です"});
    return m;
}

Medium MyNumberCard::identify(CheckMethod method) {
    Text why;
    const Medium m = read_medium(&why);
    if (m == Medium::other) throw not_mynumber(why);
    require_supported(m, method);
    medium_ = m;
    pin_verified_ = false;
    return m;
}

std::vector<std::uint8_t> MyNumberCard::read_auth_certificate() {
    const Text what{"read the authentication certificate", "利用者証明用電子証明書の読み取り"};
    if (certificate_needs_pin())
        throw Error(ONSHI_E_INTERNAL, {what.en + ": an Android phone serves it only after the PIN was verified",
                                       what.ja + ": Android では暗証番号の照合後にしか読めません"});
    std::uint16_t s = session_.select_ef(Ef::jpki_auth_cert);
    if (s != sw::ok) throw card_error(what, s);

    ResponseApdu first = session_.transmit(Commands::read_binary(0, 256));
    if (first.sw != sw::ok && first.sw != sw::eof_before_le) throw card_error(what, first.sw);
    std::vector<std::uint8_t> cert = std::move(first.data);

    // DER SEQUENCE with a 2-byte length: 30 82 L1 L2 -> N = L1*256 + L2 + 4. Real JPKI certs are
    // > 255 bytes, so the 1-byte forms (30 LL, 30 81 LL) and longer forms are refused.
    auto bad = [&](const std::string &en, const std::string &ja) {
        return Error(ONSHI_E_CARD_ERROR, {what.en + ": " + en, what.ja + ": " + ja});
    };
    if (cert.size() < 4 || cert[0] != 0x30 || cert[1] != 0x82)
        throw bad("the file does not start with a DER certificate (30 82 ..)",
                  "ファイルがDER形式の証明書（30 82 ..）で始まっていません");
    std::size_t total = (static_cast<std::size_t>(cert[2]) << 8 | cert[3]) + 4;
    if (total < 256 || total > kMaxCertificateBytes)
        throw bad("implausible certificate length " + std::to_string(total),
                  "証明書の長さが不正です（" + std::to_string(total) + "）");
    if (cert.size() >= total) {
        cert.resize(total);  // the EF may carry filler after the certificate
        return cert;
    }
    if (cert.size() != 256)  // a short first answer means the EF ends before the certificate does
        throw bad("the file ends before the certificate does", "証明書の途中でファイルが終わっています");

    while (cert.size() < total) {
        std::size_t remaining = total - cert.size();
        auto le = static_cast<std::uint16_t>(std::min<std::size_t>(remaining, 256));
        ResponseApdu r =
            session_.transmit(Commands::read_binary(static_cast<std::uint16_t>(cert.size()), le));
        if (r.sw != sw::ok) throw card_error(what, r.sw);
        // Exactly what we asked for: fewer would loop, more would overrun the bound.
        if (r.data.size() != le)
            throw bad("the card returned " + std::to_string(r.data.size()) + " bytes instead of " +
                          std::to_string(le),
                      "要求した" + std::to_string(le) + "バイトではなく" + std::to_string(r.data.size()) +
                          "バイトが返されました");
        cert.insert(cert.end(), r.data.begin(), r.data.end());
    }
    return cert;
}

PinGuard MyNumberCard::pin_guard() {
    return PinGuard(session_, SecretKind::auth_pin,
                    requires_tries_counter(medium_) ? PinGuard::Tries::counter_required : PinGuard::Tries::card_rules);
}

int MyNumberCard::query_pin_tries() { return pin_guard().query_tries(); }

void MyNumberCard::verify_pin(SecureBuffer pin, bool allow_last_attempt) {
    pin_guard().verify(std::move(pin), allow_last_attempt);
    pin_verified_ = true;
}

std::vector<std::uint8_t> MyNumberCard::sign_sha256(std::span<const std::uint8_t, 32> digest) {
    const Text what{"sign with the authentication key", "利用者証明用秘密鍵での署名"};
    std::uint16_t s = session_.select_ef(Ef::jpki_auth_key);
    if (s != sw::ok) throw card_error(what, s);
    ResponseApdu r = session_.transmit(Commands::sign_sha256(digest));
    if (r.sw == sw::not_verified)
        throw Error(ONSHI_E_CARD_ERROR, {what.en + ": the PIN has not been verified (6982)",
                                         what.ja + ": 暗証番号が照合されていません（6982）"});
    if (!r.ok()) throw card_error(what, r.sw);
    if (r.data.size() < 128 || r.data.size() > 256)
        throw Error(ONSHI_E_CARD_ERROR, {what.en + ": unexpected signature length " + std::to_string(r.data.size()),
                                         what.ja + ": 署名の長さが不正です（" + std::to_string(r.data.size()) + "）"});
    return std::move(r.data);
}

}  // namespace onshi::card
