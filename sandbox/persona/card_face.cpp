#include "persona/card_face.h"

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

}  // namespace sandbox
