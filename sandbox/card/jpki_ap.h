// Content of the 公的個人認証AP (JPKI AP) of one persona's card.
#pragma once

#include "card/card_model.h"
#include "persona/persona_material.h"

namespace sandbox {

inline const Bytes kJpkiAid = {0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};

// EFs (selected with P1 02 P2 0C):
//   0006 token info (160 bytes, label "JPKIAPICCTOKEN2", or "JPKIAPICCTOKEN" on a 住基カード)
//   0008 certificate presence (8F 8F 00)
//   000A 利用者証明用電子証明書 (free)      000B its CA certificate (free)
//   0001 署名用電子証明書 (sign password)   0002 its CA certificate (free)
//   0018 auth PIN (4 digits, 3 tries)       0017 auth private key (needs 0018)
//   001B sign password (5 tries)            001A sign private key (needs 001B)
// Certificate EFs carry FF filler after the DER object up to a multiple of 256 bytes.
Application make_jpki_ap(const PersonaMaterial& m);

// data followed by FF filler up to the next multiple of 256 bytes (as EFs on the card do).
Bytes with_filler(Bytes data);

}  // namespace sandbox
