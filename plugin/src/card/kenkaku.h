// The 券面事項確認AP (Kenkaku) for the visual check (目視確認): only the face photo, opened with
// 照合番号B (typed by staff from the card face), never 照合番号A and never EF 0005 (docs/card-protocol.md
// §The never-touch list). The photo is located through TLV headers (and the DF21 offset table when
// it checks out), so the birth date, name and address fields in the same file are skipped by
// length, not read.
//
// APDUs for a typical card: SELECT AP, SELECT 0012, empty VERIFY, VERIFY, SELECT 0002,
// READ 8 (FF20 + DF21 headers), READ offset table, READ 256 at DF27, then ceil((photo-251)/256).
#pragma once

#include "card/card_session.h"
#include "card/pin_guard.h"
#include "util/secure_buffer.h"

#include <cstdint>
#include <vector>

namespace onshi::card {

class Kenkaku {
public:
    explicit Kenkaku(CardSession &session) : session_(session) {}

    // Tries left for 照合番号B (1..10) or kTriesUnknown. Throws ONSHI_E_NOT_MYNUMBER_CARD when the
    // card has no Kenkaku AP, ONSHI_E_COLLATION_B_BLOCKED (value 0).
    int query_collation_b_tries();

    // PinGuard rules for 照合番号B (shape check first: ONSHI_E_COLLATION_B_FORMAT, no APDU);
    // wipes the secret.
    void verify_collation_b(SecureBuffer collation_b, bool allow_last_attempt);

    // The DF27 value of EF 0002 (JPEG 2000 / JP2), after verify_collation_b(). Throws
    // ONSHI_E_CARD_ERROR for a malformed file or a missing photo.
    std::vector<std::uint8_t> read_face_jp2();

private:
    void ensure_ap();

    CardSession &session_;
};

// The whole photo path: guarded 照合番号B, read DF27, convert to PNG.
std::vector<std::uint8_t> read_face_photo_png(CardSession &session, SecureBuffer collation_b,
                                              bool allow_last_attempt);

}  // namespace onshi::card
