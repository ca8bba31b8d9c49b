#include "card/kenkaku_ap.h"

#include "card/jpki_ap.h"
#include "common/test_ca.h"
#include "common/tlv.h"
#include "persona/png_image.h"

namespace sandbox {

namespace {

Bytes png_for(std::string_view text, std::uint32_t height) {
  return make_pattern_png(text, static_cast<std::uint32_t>(text.size() * 6 + 2), height);
}

}  // namespace

Bytes rsa_public_key_objects(EVP_PKEY* key) {
  Bytes out = tlv(0x90, rsa_exponent(key));
  append(out, tlv(0x91, rsa_modulus(key)));
  return out;
}

Bytes cv_certificate(EVP_PKEY* key) {
  Bytes body(16, 0x11);       // issuer key id (fictitious)
  body.resize(32, 0x22);      // subject key id (fictitious)
  append(body, rsa_public_key_objects(key));
  Bytes content = tlv(0x5F4E, body);
  append(content, tlv(0x5F37, sign_sha256(key, body)));
  return tlv(0x7F21, content);
}

Bytes build_card_face(const Persona& p, EVP_PKEY* card_key, const Bytes& face_jp2,
                      EVP_PKEY* issuer_key) {
  const Bytes df22 = tlv(0xDF22, to_bytes(p.birth_date));
  const Bytes df23 = tlv(0xDF23, Bytes{static_cast<std::uint8_t>(p.sex)});
  const Bytes df24 = tlv(0xDF24, rsa_public_key_objects(card_key));
  const Bytes df25 = tlv(0xDF25, png_for(p.name, 24));
  const Bytes df26 = tlv(0xDF26, png_for(p.address, 24));
  const Bytes df27 = tlv(0xDF27, face_jp2);
  Bytes signed_part = sha256(df22 + df23 + df24);
  append(signed_part, sha256(df25 + df26));
  append(signed_part, sha256(df27));
  const Bytes df28 = tlv(0xDF28, sign_sha256(issuer_key, signed_part));
  const Bytes df29 = tlv(0xDF29, to_bytes(card_expiry_date(p)));
  const Bytes df2a = tlv(0xDF2A, png_for(p.security_code, 16));
  const std::vector<const Bytes*> fields = {&df22, &df23, &df24, &df25, &df26,
                                            &df27, &df28, &df29, &df2a};

  std::size_t content_size = 2 + 1 + 2 * fields.size();  // DF21 tag, length, offsets
  for (const Bytes* f : fields) content_size += f->size();
  const std::size_t header_size = 2 + ber_length(content_size).size();
  Bytes offsets;
  std::size_t at = header_size + 3 + 2 * fields.size();
  for (const Bytes* f : fields) {
    offsets.push_back(static_cast<std::uint8_t>(at >> 8));
    offsets.push_back(static_cast<std::uint8_t>(at & 0xFF));
    at += f->size();
  }
  Bytes content = tlv(0xDF21, offsets);
  for (const Bytes* f : fields) append(content, *f);
  return tlv(0xFF20, content);
}

Bytes build_age_record(const Persona& p, EVP_PKEY* card_key, EVP_PKEY* issuer_key) {
  Bytes content = tlv(0xDF11, to_bytes(p.birth_date));
  append(content, tlv(0xDF12, rsa_public_key_objects(card_key)));
  append(content, tlv(0xDF13, sign_sha256(issuer_key, content)));
  return tlv(0xFF10, content);
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
