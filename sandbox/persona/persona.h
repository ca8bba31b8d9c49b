// The catalogue of sandbox personas: who is on each virtual card and how the card behaves.
// Every name, address, date and number here is fictitious test data.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sandbox {

enum class CardKind {
  my_number,      // マイナンバーカード: JPKI AP (token JPKIAPICCTOKEN2), 券面事項確認AP, 券面事項入力補助AP
  juki,           // 住基カード: JPKI AP with token JPKIAPICCTOKEN, no 券面 APs
  not_my_number,  // some other IC card: no JPKI AP at all
  // Smartphones (docs/smartphones.md). No 券面 APs on either.
  android_phone,  // スマホ用電子証明書: JPKI AP, token JPKIAPGPSETOKEN, EF 000A readable only after VERIFY
  iphone,         // iPhone: JPKI AP, token JPKIAPIOSTOKEN; no PIN key (the iPhone authenticates itself)
};

enum class CertStatus { valid, revoked };

struct Persona {
  std::string id;
  std::string description_ja;
  std::string description_en;
  CardKind kind = CardKind::my_number;
  std::string atr_hex;
  std::string pin;  // 利用者証明用暗証番号 (4 digits); empty for cards without JPKI
  int pin_tries = 3;  // tries left when the card is inserted (3 = fresh, 0 = blocked)
  std::string sign_password;  // 署名用パスワード (6-16 upper-case letters/digits)
  std::string birth_date;     // YYYYMMDD (Gregorian)
  char sex = '1';             // ISO 5218: '1' male, '2' female
  int card_expiry_year = 0;   // カードの有効期限の年 (0: no 券面 APs)
  std::string security_code;  // 4-digit セキュリティコード printed on the card
  std::string name;           // 氏名
  std::string address;        // 住所
  CertStatus cert = CertStatus::valid;
  // When the 利用者証明用電子証明書 expires, in days from `up` (negative: already expired).
  int cert_expires_in_days = 4 * 365;
};

const std::vector<Persona>& persona_catalogue();
const Persona* find_persona(std::string_view id);

bool has_jpki(const Persona& p);
bool has_kenkaku(const Persona& p);
bool is_phone(const Persona& p);
// "valid", "expiring" (within 3 months), "grace" (expired, still usable for 資格確認), "expired"
// (past the grace window) or "revoked", as the reference gateway will treat the certificate.
const char* certificate_state(const Persona& p);
// 照合番号B: birth date as 和暦 YYMMDD + card expiry year (4 digits) + security code; "" if none.
std::string collation_number_b(const Persona& p);
// 和暦 YYMMDD of a Gregorian YYYYMMDD (also the 生年月日 key of the 券面事項確認AP).
std::string era_birth_date(const std::string& yyyymmdd);
// A 12-digit stand-in for the 個人番号 with a deliberately WRONG check digit, so that it can never
// be a real person's number. It lives only on the virtual card, behind 照合番号A.
std::string fictitious_individual_number(const Persona& p);
// Card face expiry date YYYYMMDD (expiry year + birthday).
std::string card_expiry_date(const Persona& p);

}  // namespace sandbox
