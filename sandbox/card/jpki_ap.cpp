#include "card/jpki_ap.h"

namespace sandbox {

namespace {

Bytes padded_text(const std::string& text, std::size_t width) {
  Bytes out = to_bytes(text.substr(0, width));
  out.resize(width, ' ');
  return out;
}

// The token label that tells the media apart (docs/smartphones.md, soltia48/myna-card).
const char* token_label(CardKind kind) {
  switch (kind) {
    case CardKind::juki: return "JPKIAPICCTOKEN";
    case CardKind::android_phone: return "JPKIAPGPSETOKEN";
    case CardKind::iphone: return "JPKIAPIOSTOKEN";
    case CardKind::my_number:
    case CardKind::not_my_number: break;
  }
  return "JPKIAPICCTOKEN2";
}

// A PKCS#11 CK_TOKEN_INFO-like image: label, manufacturer, model, serial, then zeros.
Bytes token_info(const Persona& p) {
  Bytes out = padded_text(token_label(p.kind), 32);
  append(out, padded_text("onshi sandbox", 32));
  append(out, padded_text("virtual card", 16));
  append(out, padded_text(p.id, 16));
  out.resize(160, 0x00);
  return out;
}

}  // namespace

Bytes with_filler(Bytes data) {
  const std::size_t size = (data.size() + 255) / 256 * 256;
  data.resize(size, 0xFF);
  return data;
}

Application make_jpki_ap(const PersonaMaterial& m) {
  const Persona& p = *m.persona;
  Application ap;
  ap.name = "JPKI";
  ap.aid = kJpkiAid;
  ap.efs[0x0006] = BinaryEf{token_info(p), {}};
  ap.efs[0x0008] = BinaryEf{{0x8F, 0x8F, 0x00}, {}};
  // Android serves the auth certificate only after the auth PIN was verified (jpki/myna).
  const std::vector<std::uint16_t> auth_cert_needs =
      p.kind == CardKind::android_phone ? std::vector<std::uint16_t>{0x0018} : std::vector<std::uint16_t>{};
  ap.efs[0x000A] = BinaryEf{with_filler(m.auth_cert.der), auth_cert_needs};
  ap.efs[0x000B] = BinaryEf{with_filler(m.ca_cert_der), {}};
  ap.efs[0x0001] = BinaryEf{with_filler(m.sign_cert.der), {0x001B}};
  ap.efs[0x0002] = BinaryEf{with_filler(m.ca_cert_der), {}};
  // The iPhone authenticates its holder itself (Face ID / Touch ID); what it offers a terminal
  // instead of a PIN key is not public, so the virtual iPhone has none (VERIFY: 6A88).
  if (p.kind != CardKind::iphone) ap.efs[0x0018] = KeyEf{p.pin, 3, p.pin_tries};
  ap.efs[0x0017] = PrivateKeyEf{m.auth_key, 0x0018};
  ap.efs[0x001B] = KeyEf{p.sign_password, 5, 5};
  ap.efs[0x001A] = PrivateKeyEf{m.sign_key, 0x001B};
  return ap;
}

}  // namespace sandbox
