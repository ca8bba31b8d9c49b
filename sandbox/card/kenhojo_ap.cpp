#include "card/kenhojo_ap.h"

#include "card/kenkaku_ap.h"
#include "common/test_ca.h"
#include "common/tlv.h"

namespace sandbox {

namespace {

Bytes basic_four(const Persona& p) {
  const std::vector<Bytes> fields = {tlv(0xDF22, to_bytes(p.name)), tlv(0xDF23, to_bytes(p.address)),
                                     tlv(0xDF24, to_bytes(p.birth_date)),
                                     tlv(0xDF25, Bytes{static_cast<std::uint8_t>(p.sex)})};
  std::size_t content_size = 3 + 2 * fields.size();
  for (const auto& f : fields) content_size += f.size();
  std::size_t at = 2 + ber_length(content_size).size() + 3 + 2 * fields.size();
  Bytes offsets;
  for (const auto& f : fields) {
    offsets.push_back(static_cast<std::uint8_t>(at >> 8));
    offsets.push_back(static_cast<std::uint8_t>(at & 0xFF));
    at += f.size();
  }
  Bytes content = tlv(0xDF21, offsets);
  for (const auto& f : fields) append(content, f);
  return tlv(0xFF20, content);
}

}  // namespace

Application make_kenhojo_ap(const PersonaMaterial& m) {
  const Persona& p = *m.persona;
  EVP_PKEY* key = m.auth_key.get();
  Application ap;
  ap.name = "Kenhojo";
  ap.aid = kKenhojoAid;
  Bytes number = tlv(0xFF10, to_bytes(fictitious_individual_number(p)));
  number.push_back(0xFF);
  number.push_back(0xFF);
  const Bytes four = basic_four(p);
  Bytes integrity = tlv(0xDF31, sha256(number));
  append(integrity, tlv(0xDF32, sha256(four)));
  append(integrity, tlv(0xDF33, sign_sha256(key, integrity)));
  Bytes info = tlv(0xFF40, tlv(0xDF41, Bytes{0x00, 0x01, 0x00, 0x01}) + tlv(0xDF42, Bytes(16, 0x33)));
  info.resize(info.size() + 128, 0x00);
  ap.efs[0x0001] = BinaryEf{number, {0x0011, 0x0014}};
  ap.efs[0x0002] = BinaryEf{four, {0x0011, 0x0015}};
  ap.efs[0x0003] = BinaryEf{tlv(0xFF30, integrity), {0x0011, 0x0014, 0x0015}};
  ap.efs[0x0004] = BinaryEf{cv_certificate(key), {}};
  ap.efs[0x0005] = BinaryEf{info, {}};
  ap.efs[0x0011] = KeyEf{p.pin, 3, 3};
  ap.efs[0x0012] = KeyEf{"", 3, 0};
  ap.efs[0x0014] = KeyEf{fictitious_individual_number(p), 10, 10};
  ap.efs[0x0015] = KeyEf{collation_number_b(p), 10, 10};
  return ap;
}

}  // namespace sandbox
