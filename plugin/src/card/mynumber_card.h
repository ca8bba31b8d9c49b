// The JPKI AP (公的個人認証AP) of a My Number Card: what an eligibility check needs and nothing
// more — identify the card, read the 利用者証明用 certificate (no PIN), ask the PIN tries, verify
// the PIN under PinGuard's rules, and sign a SHA-256 digest with the auth key.
// Short APDUs only. One job thread owns the object, its CardSession and channel.
//
// Typical PIN check (APDUs, token check included):
//   identify()                 SELECT AP, SELECT 0006, READ 0006                        3
//   read_auth_certificate()    SELECT 000A, READ x ceil(N/256)                          1 + 3 (N=749)
//   query_pin_tries()          SELECT 0018, empty VERIFY                                2
//   verify_pin()               empty VERIFY (always, §7.2), VERIFY                      2
//   sign_sha256()              SELECT 0017, SIGN                                        2
#pragma once

#include "card/card_session.h"
#include "card/pin_guard.h"
#include "util/secure_buffer.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace onshi::card {

// The auth certificate EF holds one DER certificate; anything far beyond a real one (~1-2 KB) is
// refused before we spend APDUs on it.
inline constexpr std::size_t kMaxCertificateBytes = 8192;

class MyNumberCard {
public:
    explicit MyNumberCard(CardSession &session) : session_(session) {}

    // Selects the JPKI AP (by AID — never by ATR: several manufacturers) and reads the token EF.
    // Throws ONSHI_E_NOT_MYNUMBER_CARD (no JPKI AP / no or unknown token), ONSHI_E_JUKI_CARD
    // ("JPKIAPICCTOKEN": an old 住基カード), card errors.
    void identify();

    // The DER auth certificate (EF 000A) with the fewest APDUs: READ Le=00, take the length from
    // the 30 82 LL LL header, then read exactly the remainder in <= 256-byte chunks.
    std::vector<std::uint8_t> read_auth_certificate();

    // Tries left on the auth PIN (1..3) or kTriesUnknown. Throws ONSHI_E_PIN_BLOCKED (value 0).
    int query_pin_tries();

    // PinGuard rules (docs/design.md §Rules 2); wipes `pin`. See PinGuard::verify for the errors.
    void verify_pin(SecureBuffer pin, bool allow_last_attempt);

    // RSA PKCS#1 v1.5 signature (256 bytes for RSA-2048) over SHA-256 DigestInfo(digest), made by
    // the auth key. Needs a verified PIN: 6982 -> ONSHI_E_CARD_ERROR "PIN not verified".
    std::vector<std::uint8_t> sign_sha256(std::span<const std::uint8_t, 32> digest);

    // Token text trimmed of trailing spaces/NULs, and what it means (pure, for tests).
    enum class Token { my_number_card, juki_card, unknown };
    static Token classify_token(std::span<const std::uint8_t> raw, std::string *trimmed = nullptr);

private:
    CardSession &session_;
};

}  // namespace onshi::card
