// The behaviour of one virtual IC card: applications selected by AID, EFs selected by FID,
// PIN-type reference data with retry counters, RSA private-key EFs, security state that a reset
// or power-off clears. The content of each application (JPKI, 券面事項確認, 券面事項入力補助) is
// built elsewhere (jpki_ap, kenkaku_ap, kenhojo_ap); this class only knows the command set.
// One instance serves one slot and is used by that slot's thread only.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "card/apdu.h"
#include "common/bytes.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace sandbox {

struct BinaryEf {
  Bytes data;
  // Empty: readable without any verification. Otherwise: readable once any of these key EFs
  // (FIDs in the same application) has been verified in this session.
  std::vector<std::uint16_t> read_requires;
};

struct KeyEf {  // PIN / password / 照合番号 reference data
  std::string secret;
  int max_tries = 3;
  int tries = 3;
};

struct PrivateKeyEf {
  std::shared_ptr<EVP_PKEY> key;
  std::uint16_t pin_fid = 0;  // key EF whose verification allows signing
};

using Ef = std::variant<BinaryEf, KeyEf, PrivateKeyEf>;

struct Application {
  std::string name;
  Bytes aid;
  std::map<std::uint16_t, Ef> efs;
};

class CardModel {
public:
  CardModel(Bytes atr, std::vector<Application> apps);

  const Bytes& atr() const { return atr_; }
  void power_on();
  void power_off();
  void reset();
  Bytes transmit(const Bytes& command);

private:
  Bytes select(const CommandApdu& c);
  Bytes read_binary(const CommandApdu& c);
  Bytes verify(const CommandApdu& c);
  Bytes sign(const CommandApdu& c);
  Bytes get_challenge(const CommandApdu& c);
  // FID named by P2 = 80 (current EF) or 80|SFI; nullopt when P2 names nothing usable.
  std::optional<std::uint16_t> key_reference(std::uint8_t p2) const;
  Ef* find_ef(std::uint16_t fid);
  bool verified(std::uint16_t fid) const;
  void clear_security_state();

  Bytes atr_;
  std::vector<Application> apps_;
  int current_app_ = -1;
  std::optional<std::uint16_t> current_ef_;
  std::set<std::pair<int, std::uint16_t>> verified_;
};

}  // namespace sandbox
