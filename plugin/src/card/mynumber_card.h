// The JPKI AP (公的個人認証AP) of a My Number Card: what an eligibility check needs and nothing
// more — identify the card, read the 利用者証明用 certificate (no PIN), ask the PIN tries, verify
// the PIN under PinGuard's rules, and sign a SHA-256 digest with the auth key.
// Short APDUs only. One job thread owns the object, its CardSession and channel.
//
// The same AP answers on a smartphone (docs/smartphones.md); identify() tells the media apart and
// the object then follows the medium's rules: on Android the certificate is read only after VERIFY.
//
// Typical PIN check on the card (APDUs, token check included):
//   identify()                 SELECT AP, SELECT 0006, READ 0006                        3
//   read_auth_certificate()    SELECT 000A, READ x ceil(N/256)                          1 + 3 (N=749)
//   query_pin_tries()          SELECT 0018, empty VERIFY                                2
//   verify_pin()               VERIFY (the tries were just asked)                       1
//   sign_sha256()              SELECT 0017, SIGN                                        2
// On Android: identify, query_pin_tries, verify_pin, then read_auth_certificate and sign_sha256.
#pragma once

#include "card/card_session.h"
#include "card/medium.h"
#include "card/pin_guard.h"
#include "util/error.h"
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

    // Selects the JPKI AP (by AID — never by ATR: several manufacturers) and reads the token EF
    // (3 APDUs, no secret). A refused AID or token EF is Medium::other, and `why_other` (when
    // given) says which answer it was. Throws only card errors (removal, a bad READ answer).
    Medium read_medium(Text *why_other = nullptr);

    // read_medium(), then the medium's verdict for `method` (card/medium.h require_supported):
    // ONSHI_E_NOT_MYNUMBER_CARD, ONSHI_E_JUKI_CARD, ONSHI_E_VISUAL_NOT_AVAILABLE,
    // ONSHI_E_MEDIUM_NOT_SUPPORTED, card errors. Remembers the medium for the calls below.
    Medium identify(CheckMethod method = CheckMethod::pin);

    // The medium identify() found (Medium::card before identify(), the legacy behaviour).
    Medium medium() const noexcept { return medium_; }
    // True while the certificate cannot be read yet: an Android phone before a successful VERIFY.
    bool certificate_needs_pin() const noexcept { return card::certificate_needs_pin(medium_) && !pin_verified_; }

    // The DER auth certificate (EF 000A) with the fewest APDUs: READ Le=00, take the length from
    // the 30 82 LL LL header, then read exactly the remainder in <= 256-byte chunks. While
    // certificate_needs_pin() it sends nothing and throws ONSHI_E_INTERNAL (a sequencing bug).
    std::vector<std::uint8_t> read_auth_certificate();

    // Tries left on the auth PIN (1..15) or kTriesUnknown (a card only: a phone must answer with
    // a counter, else ONSHI_E_CARD_ERROR). Throws ONSHI_E_PIN_BLOCKED (value 0).
    int query_pin_tries();

    // PinGuard rules (docs/design.md §Rules 2); wipes `pin`. See PinGuard::verify for the errors.
    void verify_pin(SecureBuffer pin, bool allow_last_attempt);

    // RSA PKCS#1 v1.5 signature (256 bytes for RSA-2048) over SHA-256 DigestInfo(digest), made by
    // the auth key. Needs a verified PIN: 6982 -> ONSHI_E_CARD_ERROR "PIN not verified".
    std::vector<std::uint8_t> sign_sha256(std::span<const std::uint8_t, 32> digest);

private:
    PinGuard pin_guard();

    CardSession &session_;
    Medium medium_ = Medium::card;
    bool pin_verified_ = false;
};

}  // namespace onshi::card
