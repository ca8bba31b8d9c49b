#include "card/card_model.h"

#include <algorithm>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

namespace sandbox {

CardModel::CardModel(Bytes atr, std::vector<Application> apps)
    : atr_(std::move(atr)), apps_(std::move(apps)) {}

void CardModel::clear_security_state() {
  current_app_ = -1;
  current_ef_.reset();
  verified_.clear();
}

void CardModel::power_on() { clear_security_state(); }
void CardModel::power_off() { clear_security_state(); }
void CardModel::reset() { clear_security_state(); }

Ef* CardModel::find_ef(std::uint16_t fid) {
  if (current_app_ < 0) return nullptr;
  auto& efs = apps_[static_cast<std::size_t>(current_app_)].efs;
  auto it = efs.find(fid);
  return it == efs.end() ? nullptr : &it->second;
}

bool CardModel::verified(std::uint16_t fid) const {
  return verified_.count({current_app_, fid}) != 0;
}

std::optional<std::uint16_t> CardModel::key_reference(std::uint8_t p2) const {
  if (p2 == 0x80) return current_ef_;
  if ((p2 & 0xE0) == 0x80 && (p2 & 0x1F) != 0) return static_cast<std::uint16_t>(p2 & 0x1F);
  return std::nullopt;
}

Bytes CardModel::transmit(const Bytes& raw) {
  const auto parsed = parse_command(raw);
  if (!parsed) return response(sw::wrong_length);
  const CommandApdu& c = *parsed;
  // Secure messaging class bytes (08, 0C): the real card has no SM to talk to and refuses them,
  // 6882 to SELECT and 69FC to READ BINARY and VERIFY (myna-card README, seen on real cards).
  if (c.cla == 0x08 || c.cla == 0x0C) {
    if (c.ins == 0xA4) return response(sw::sm_not_supported);
    if (c.ins == 0xB0 || c.ins == 0x20) return response(sw::sm_refused);
    return response(sw::sm_not_supported);
  }
  if (c.cla == 0x00) {
    switch (c.ins) {
      case 0xA4: return select(c);
      case 0xB0: return read_binary(c);
      case 0x20: return verify(c);
      case 0x84: return get_challenge(c);
      default: return response(sw::ins_not_supported);
    }
  }
  if (c.cla == 0x80) {
    if (c.ins == 0x2A) return sign(c);
    return response(sw::ins_not_supported);
  }
  return response(sw::cla_not_supported);
}

Bytes CardModel::select(const CommandApdu& c) {
  if (c.p2 != 0x0C && c.p2 != 0x00) return response(sw::wrong_p1p2);
  if (c.p1 == 0x04) {  // by DF name (AID)
    for (std::size_t i = 0; i < apps_.size(); ++i) {
      if (apps_[i].aid == c.data) {
        // Selecting an application ends the session of the previous one (OpenSC's "logout").
        clear_security_state();
        current_app_ = static_cast<int>(i);
        return response(sw::ok);
      }
    }
    return response(sw::not_found);
  }
  if (c.p1 == 0x00 && c.data.empty()) {  // select MF: refused after reset, a no-op inside a DF
    return response(current_app_ < 0 ? sw::wrong_p1p2 : sw::ok);
  }
  if (c.p1 == 0x02 || c.p1 == 0x00) {  // EF by file identifier
    if (c.data.size() != 2) return response(sw::wrong_length);
    const auto fid = static_cast<std::uint16_t>((c.data[0] << 8) | c.data[1]);
    if (fid == 0x3F00 || find_ef(fid) == nullptr) return response(sw::not_found);
    current_ef_ = fid;
    return response(sw::ok);
  }
  return response(sw::wrong_p1p2);
}

Bytes CardModel::read_binary(const CommandApdu& c) {
  std::size_t offset = 0;
  std::uint16_t fid = 0;
  if (c.p1 & 0x80) {  // short EF identifier in P1, 8-bit offset in P2
    fid = static_cast<std::uint16_t>(c.p1 & 0x1F);
    if (find_ef(fid) == nullptr) return response(sw::not_found);
    current_ef_ = fid;
    offset = c.p2;
  } else {
    if (!current_ef_) return response(sw::no_current_ef);
    fid = *current_ef_;
    offset = (static_cast<std::size_t>(c.p1) << 8) | c.p2;
  }
  Ef* ef = find_ef(fid);
  auto* bin = ef ? std::get_if<BinaryEf>(ef) : nullptr;
  if (bin == nullptr) return response(sw::incompatible_file);
  if (!bin->read_requires.empty() &&
      std::none_of(bin->read_requires.begin(), bin->read_requires.end(),
                   [&](std::uint16_t k) { return verified(k); }))
    return response(sw::security_not_satisfied);
  if (!c.le) return response(sw::wrong_length);
  if (offset >= bin->data.size()) return response(sw::offset_beyond_ef);
  const std::size_t n = std::min(*c.le, bin->data.size() - offset);
  const auto first = bin->data.begin() + static_cast<std::ptrdiff_t>(offset);
  return response(Bytes(first, first + static_cast<std::ptrdiff_t>(n)), sw::ok);
}

Bytes CardModel::verify(const CommandApdu& c) {
  if (c.p1 != 0x00) return response(sw::wrong_p1p2);
  const auto fid = key_reference(c.p2);
  if (!fid) return response(c.p2 == 0x80 ? sw::reference_not_found : sw::wrong_p1p2);
  Ef* ef = find_ef(*fid);
  auto* key = ef ? std::get_if<KeyEf>(ef) : nullptr;
  if (key == nullptr) return response(sw::reference_not_found);
  const auto tries_sw = [&] {
    return static_cast<std::uint16_t>(sw::tries_left_base | std::min(key->tries, 15));
  };
  if (c.data.empty()) return response(tries_sw());  // retry query: costs nothing
  if (key->tries <= 0) return response(sw::reference_data_blocked);
  if (std::string(c.data.begin(), c.data.end()) == key->secret) {
    key->tries = key->max_tries;
    verified_.insert({current_app_, *fid});
    return response(sw::ok);
  }
  key->tries -= 1;
  verified_.erase({current_app_, *fid});
  return response(tries_sw());
}

Bytes CardModel::sign(const CommandApdu& c) {
  if (c.p1 != 0x00) return response(sw::wrong_p1p2);
  const auto fid = key_reference(c.p2);
  if (!fid) return response(sw::wrong_p1p2);
  Ef* ef = find_ef(*fid);
  auto* key = ef ? std::get_if<PrivateKeyEf>(ef) : nullptr;
  if (key == nullptr) return response(sw::reference_not_found);
  if (!verified(key->pin_fid)) return response(sw::security_not_satisfied);
  if (c.data.empty() || c.data.size() > 245) return response(sw::wrong_length);

  // PKCS#1 v1.5 type-1 padding of the DigestInfo as sent, then the RSA private operation.
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key->key.get(), nullptr);
  Bytes signature(512);
  std::size_t sig_len = signature.size();
  const bool ok = ctx != nullptr && EVP_PKEY_sign_init(ctx) == 1 &&
                  EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
                  EVP_PKEY_sign(ctx, signature.data(), &sig_len, c.data.data(), c.data.size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!ok) return response(sw::conditions_not_satisfied);
  signature.resize(sig_len);
  return response(std::move(signature), sw::ok);
}

Bytes CardModel::get_challenge(const CommandApdu& c) {
  if (c.extended) return response(sw::conditions_not_satisfied);
  if (!c.le) return response(sw::wrong_length);
  if (c.p1 != 0 || c.p2 != 0) return response(sw::wrong_p1p2);
  Bytes random(*c.le);
  RAND_bytes(random.data(), static_cast<int>(random.size()));
  return response(std::move(random), sw::ok);
}

}  // namespace sandbox
