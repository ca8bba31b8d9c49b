#include "card/kenkaku_ap.h"

#include "card/jpki_ap.h"
#include "common/test_ca.h"
#include "common/tlv.h"
#include "persona/card_face.h"
#include "persona/png_image.h"

namespace sandbox {

Bytes cv_certificate(EVP_PKEY* key) {
  Bytes body(16, 0x11);       // issuer key id (fictitious)
  body.resize(32, 0x22);      // subject key id (fictitious)
  append(body, rsa_public_key_objects(key));
  Bytes content = tlv(0x5F4E, body);
  append(content, tlv(0x5F37, sign_sha256(key, body)));
  return tlv(0x7F21, content);
}

Application make_kenkaku_ap(const PersonaMaterial& m) {
  const Persona& p = *m.persona;
  Application ap;
  ap.name = "Kenkaku";
  ap.aid = kKenkakuAid;
  Bytes basic = tlv(0xDF31, {0x01});
  append(basic, tlv(0xDF32, Bytes(16, 0x22)));
  append(basic, tlv(0xDF33, to_bytes("0001")));
  append(basic, tlv(0xDF34, to_bytes("13999")));  // a municipality code that does not exist
  ap.efs[0x0001] = BinaryEf{with_filler(m.age_record), {0x0011}};
  ap.efs[0x0002] = BinaryEf{with_filler(m.card_face), {0x0012, 0x0013}};
  ap.efs[0x0003] = BinaryEf{tlv(0xFF30, basic), {}};
  ap.efs[0x0004] = BinaryEf{cv_certificate(m.auth_key.get()), {}};
  Bytes number_image = tlv(0xDF41, make_pattern_png(fictitious_individual_number(p), 72, 12));
  append(number_image, tlv(0xDF42, rsa_public_key_objects(m.auth_key.get())));
  append(number_image, tlv(0xDF43, sign_sha256(m.auth_key.get(), number_image)));
  ap.efs[0x0005] = BinaryEf{with_filler(tlv(0xFF40, number_image)), {0x0013}};
  ap.efs[0x0006] = BinaryEf{Bytes(16, 0xFF), {}};
  ap.efs[0x0011] = KeyEf{era_birth_date(p.birth_date), 10, 10};
  ap.efs[0x0012] = KeyEf{collation_number_b(p), 10, 10};
  ap.efs[0x0013] = KeyEf{fictitious_individual_number(p), 10, 10};
  return ap;
}

}  // namespace sandbox
