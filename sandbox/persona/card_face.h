// The 券面 files of a persona's card, part of what `up` makes for the persona (persona_material):
// the card face (券面事項確認AP EF 0002) and the age record (EF 0001), signed by the test CA. The
// card side (card/kenkaku_ap) serves them.
#pragma once

#include "common/bytes.h"
#include "common/test_ca.h"
#include "persona/persona.h"

namespace sandbox {

// EF 0002: FF20 { DF21 offsets, DF22 生年月日, DF23 性別, DF24 public key, DF25 氏名 PNG,
// DF26 住所 PNG, DF27 顔写真 JP2, DF28 signature, DF29 有効期限, DF2A セキュリティコード PNG }.
Bytes build_card_face(const Persona& p, EVP_PKEY* card_key, const Bytes& face_jp2,
                      EVP_PKEY* issuer_key);
// EF 0001: FF10 { DF11 生年月日, DF12 public key, DF13 signature }.
Bytes build_age_record(const Persona& p, EVP_PKEY* card_key, EVP_PKEY* issuer_key);
// 90 <exponent> 91 82 01 00 <modulus>, as RSA public keys appear in the 券面 files.
Bytes rsa_public_key_objects(EVP_PKEY* key);

}  // namespace sandbox
