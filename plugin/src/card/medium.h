// What answers as the JPKI AP (docs/smartphones.md): the plastic My Number Card, the スマホ用電子証明書
// of an Android phone or an iPhone, an old 住基カード, or something else. The token EF 0006 tells
// them apart; this file says what each medium supports, so that the card phase runs the right
// sequence and refuses the impossible before anyone is asked for a secret.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace onshi::card {

enum class Medium : std::uint8_t {
    card,     // JPKIAPICCTOKEN2: the plastic My Number Card
    android,  // JPKIAPGPSETOKEN: スマホ用電子証明書 on Android
    iphone,   // JPKIAPIOSTOKEN:  マイナンバーカード on iPhone
    juki,     // JPKIAPICCTOKEN:  an old 住民基本台帳カード
    other,    // no JPKI AP, no token EF, or a label we do not know
};

// "card", "android", "iphone", "juki", "other" (the names hosts see).
const char *medium_name(Medium medium) noexcept;

// The medium a token EF names: its first 32 bytes, trimmed of trailing spaces and NULs (and leading
// ones). `label` receives the trimmed text when given.
Medium medium_of_token(std::span<const std::uint8_t> raw, std::string *label = nullptr);

constexpr bool is_phone(Medium m) noexcept { return m == Medium::android || m == Medium::iphone; }

// Android serves EF 000A only after the auth PIN was verified (jpki/myna); the card serves it freely.
constexpr bool certificate_needs_pin(Medium m) noexcept { return m == Medium::android; }

// A phone must answer the tries query with a counter (63Cx): its answer to an empty VERIFY is not
// documented anywhere, so onshi never infers "not the last try" from a 9000 there.
constexpr bool requires_tries_counter(Medium m) noexcept { return is_phone(m); }

// What the check is going to do with the medium.
enum class CheckMethod : std::uint8_t { pin, visual };

// Throws the refusal for a medium that cannot do `method`, and returns for one that can:
//   juki -> ONSHI_E_JUKI_CARD; other -> ONSHI_E_NOT_MYNUMBER_CARD;
//   a phone with visual -> ONSHI_E_VISUAL_NOT_AVAILABLE; iphone with pin -> ONSHI_E_MEDIUM_NOT_SUPPORTED.
void require_supported(Medium medium, CheckMethod method);

}  // namespace onshi::card
