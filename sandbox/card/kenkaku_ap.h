// Content of the 券面事項確認AP (card-face AP): the card face with the face photo in EF 0002,
// opened by 照合番号B (key 0012) or 照合番号A (key 0013, which onshi must never use).
#pragma once

#include "card/card_model.h"
#include "persona/persona_material.h"

namespace sandbox {

inline const Bytes kKenkakuAid = {0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02};

// A card-verifiable certificate 7F21 { 5F4E body, 5F37 signature } (fictitious content).
Bytes cv_certificate(EVP_PKEY* key);

// EFs: 0001 age record (key 0011), 0002 card face (0012 or 0013), 0003 AP basic data,
// 0004 CV certificate, 0005 個人番号 image (0013 only), 0006 unknown (16 x FF);
// keys 0011 birth date (era YYMMDD), 0012 照合番号B, 0013 照合番号A — 10 tries each.
Application make_kenkaku_ap(const PersonaMaterial& m);

}  // namespace sandbox
