#include "card/medium.h"

#include "util/error.h"

#include <algorithm>

namespace onshi::card {

const char *medium_name(Medium medium) noexcept {
    switch (medium) {
    case Medium::card: return "card";
    case Medium::android: return "android";
    case Medium::iphone: return "iphone";
    case Medium::juki: return "juki";
    case Medium::other: return "other";
    }
    return "other";
}

Medium medium_of_token(std::span<const std::uint8_t> raw, std::string *label) {
    // The label is the first 32 bytes of a 160-byte CK_TOKEN_INFO image (soltia48/myna-card).
    std::string t(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(raw.size(), 32)));
    while (!t.empty() && (t.back() == ' ' || t.back() == '\0')) t.pop_back();
    const std::size_t start = t.find_first_not_of(std::string(" \0", 2));
    t = start == std::string::npos ? std::string() : t.substr(start);
    if (label) *label = t;
    if (t == "JPKIAPICCTOKEN2") return Medium::card;
    if (t == "JPKIAPGPSETOKEN") return Medium::android;
    if (t == "JPKIAPIOSTOKEN") return Medium::iphone;
    if (t == "JPKIAPICCTOKEN") return Medium::juki;
    return Medium::other;
}

void require_supported(Medium medium, CheckMethod method) {
    switch (medium) {
    case Medium::card: return;
    case Medium::juki:
        throw Error(ONSHI_E_JUKI_CARD, {"this is an old Basic Resident Register card (住基カード), not a My Number Card",
                                        "住民基本台帳カードです。マイナンバーカードをお使いください"});
    case Medium::other:
        throw Error(ONSHI_E_NOT_MYNUMBER_CARD, {"this card is not a My Number Card: unknown JPKI token",
                                                "マイナンバーカードではありません: 公的個人認証APのトークン情報が不明です"});
    case Medium::android:
        if (method == CheckMethod::pin) return;
        throw Error(ONSHI_E_VISUAL_NOT_AVAILABLE,
                    {"this is an Android smartphone: it has no card face and no face photo, so a visual check is "
                     "impossible. Check it with the PIN of the smartphone certificate, or ask for the My Number Card",
                     "Android のスマートフォンです。券面も顔写真もないため目視確認はできません。スマホ用電子証明書の"
                     "暗証番号で確認するか、マイナンバーカードをお使いください"});
    case Medium::iphone:
        if (method == CheckMethod::visual)
            throw Error(ONSHI_E_VISUAL_NOT_AVAILABLE,
                        {"this is an iPhone: it has no card face and no face photo, so a visual check is impossible. "
                         "Please ask for the My Number Card",
                         "iPhone です。券面も顔写真もないため目視確認はできません。マイナンバーカードをお使いください"});
        throw Error(ONSHI_E_MEDIUM_NOT_SUPPORTED,
                    {"this is an iPhone: onshi cannot check the iPhone's マイナ保険証 on a generic reader yet (the "
                     "sequence is not public). Please ask for the My Number Card, or use the face-recognition "
                     "card reader",
                     "iPhone のマイナ保険証です。汎用カードリーダーでの確認手順が公開されていないため、onshi はまだ"
                     "対応していません。マイナンバーカードをお使いいただくか、顔認証付きカードリーダーで受け付けてください"});
    }
    throw Error(ONSHI_E_NOT_MYNUMBER_CARD, {"unknown medium", "不明な媒体です"});
}

}  // namespace onshi::card
