#include "persona/persona.h"

#include <cstdio>

namespace sandbox {

namespace {

constexpr const char* kJpkiAtr = "3BE000FF8131FE4514";  // the My Number Card's contact ATR
// What a PC/SC contactless reader makes up for an ISO 14443-4 device without historical bytes
// (PC/SC part 3: 3B 8n 80 01 ... TCK); a phone's real one depends on the reader [inferred].
constexpr const char* kPhoneAtr = "3B80800101";
// A PC/SC-synthesised ATR of a FeliCa (transport/e-money) card: not a My Number Card.
constexpr const char* kFelicaAtr = "3B8F8001804F0CA00000030611003B0000000042";

Persona mynumber(std::string id, std::string ja, std::string en, std::string pin,
                 std::string birth, char sex, int expiry, std::string code, std::string name) {
  Persona p;
  p.id = std::move(id);
  p.description_ja = std::move(ja);
  p.description_en = std::move(en);
  p.kind = CardKind::my_number;
  p.atr_hex = kJpkiAtr;
  p.sign_password = "SANDBOX" + pin;
  p.pin = std::move(pin);
  p.birth_date = std::move(birth);
  p.sex = sex;
  p.card_expiry_year = expiry;
  p.security_code = std::move(code);
  p.name = std::move(name);
  p.address = "東京都架空区試験町１丁目２番３号";
  return p;
}

std::vector<Persona> build_catalogue() {
  std::vector<Persona> v;
  v.push_back(mynumber("valid-honnin", "本人（被保険者）。資格有効。",
                       "Insured person (本人), qualification valid.", "1234", "19800217", '1', 2035,
                       "2285", "試験　太郎"));
  v.push_back(mynumber("valid-kazoku", "家族（被扶養者）。資格有効。",
                       "Dependent family member (家族), qualification valid.", "2345", "19830707",
                       '2', 2033, "4821", "試験　花子"));
  v.push_back(mynumber("elderly-70", "70〜74歳（高齢受給者）。資格有効。",
                       "Aged 70-74 (高齢受給者), qualification valid.", "3456", "19540615", '1',
                       2031, "7319", "試験　一郎"));
  v.push_back(mynumber("koki-39", "後期高齢者医療制度（保険者番号39で始まる）。資格有効。",
                       "Late-stage elderly scheme (後期高齢者, insurer number 39xxxxxx), valid.",
                       "4567", "19450303", '2', 2030, "6620", "試験　ウメ"));
  v.push_back(mynumber("limit-cert", "限度額適用認定証の情報あり。資格有効。",
                       "Has a ceiling-amount certificate (限度額適用認定証), valid.", "5678",
                       "19751130", '1', 2034, "1198", "試験　次郎"));
  v.push_back(mynumber("lost-qualification", "資格喪失済み（退職等）。",
                       "Qualification lost (資格喪失, e.g. left the employer).", "6789", "19900401",
                       '1', 2032, "3307", "試験　三郎"));
  v.push_back(mynumber("new-qualification", "資格取得直後（新しい保険の登録が間もない）。",
                       "Qualification just acquired (資格取得直後, new insurer record).", "7890",
                       "20010909", '1', 2036, "8842", "試験　四郎"));
  v.push_back(mynumber("no-record", "資格情報の登録なし（該当資格なし）。",
                       "No insurance record for this certificate (該当資格なし).", "8901",
                       "19951224", '1', 2035, "5561", "試験　五郎"));
  Persona revoked = mynumber("revoked-cert", "利用者証明用電子証明書が失効済み（CRLに掲載）。",
                             "User-authentication certificate revoked (listed in the CRL).",
                             "9012", "19680505", '1', 2029, "9034", "試験　六郎");
  revoked.cert = CertStatus::revoked;
  v.push_back(revoked);
  // The certificate-expiry rule (docs/certificate-expiry.md): usable for 資格確認 until the end of
  // the third month after the month of expiry; a "renew soon" notice in the three months before.
  Persona expiring = mynumber("cert-expiring", "利用者証明用電子証明書の有効期限まで30日。資格有効（更新のお知らせ）。",
                              "Auth certificate expires in 30 days; valid, with a renew-soon notice.",
                              "4321", "19770505", '2', 2032, "5150", "試験　十一子");
  expiring.cert_expires_in_days = 30;
  v.push_back(expiring);
  Persona grace = mynumber("cert-grace", "利用者証明用電子証明書の有効期限切れ（20日前）。猶予期間内で資格確認可。",
                           "Auth certificate expired 20 days ago; inside the grace window, usable.",
                           "5432", "19660606", '1', 2031, "6262", "試験　十二郎");
  grace.cert_expires_in_days = -20;
  v.push_back(grace);
  Persona expired = mynumber("cert-expired", "利用者証明用電子証明書の有効期限切れ（130日前）。猶予期間も終了。",
                             "Auth certificate expired 130 days ago, past the grace window.", "0123",
                             "19720120", '2', 2030, "2468", "試験　七子");
  expired.cert_expires_in_days = -130;
  v.push_back(expired);
  Persona blocked = mynumber("blocked-pin", "暗証番号ロック中（残り回数0）。目視確認のみ可能。",
                             "Auth PIN blocked (0 tries left); only visual confirmation works.",
                             "1111", "19850808", '1', 2033, "1357", "試験　八郎");
  blocked.pin_tries = 0;
  v.push_back(blocked);
  Persona last = mynumber("last-try", "暗証番号の残り回数1回。",
                          "Auth PIN has 1 try left.", "2222", "19990314", '2', 2034, "8080",
                          "試験　九子");
  last.pin_tries = 1;
  v.push_back(last);
  Persona juki = mynumber("juki-card", "住基カード（マイナンバーカードではない。トークン JPKIAPICCTOKEN）。",
                          "Old Juki card (住基カード, token JPKIAPICCTOKEN), not a My Number Card.",
                          "3333", "19601010", '1', 0, "", "試験　十郎");
  juki.kind = CardKind::juki;
  v.push_back(juki);
  // Smartphones (docs/smartphones.md): same JPKI AP, own token, no 券面 APs, contactless only.
  const auto phone = [&](std::string id, std::string ja, std::string en, CardKind kind, std::string pin,
                         std::string birth, char sex, std::string name) {
    Persona p = mynumber(std::move(id), std::move(ja), std::move(en), std::move(pin), std::move(birth), sex, 0,
                         "", std::move(name));
    p.kind = kind;
    p.atr_hex = kPhoneAtr;
    return p;
  };
  v.push_back(phone("phone-android", "Android スマートフォンのマイナ保険証（スマホ用電子証明書）。資格有効。",
                    "Android smartphone (スマホ用電子証明書), qualification valid.", CardKind::android_phone,
                    "1234", "19920222", '2', "試験　スマ子"));
  Persona phone_blocked = phone("phone-android-blocked", "Android スマートフォン。暗証番号ロック中（残り0回）。",
                                "Android smartphone, PIN blocked (0 tries left).", CardKind::android_phone,
                                "1111", "19930303", '1', "試験　スマ男");
  phone_blocked.pin_tries = 0;
  v.push_back(phone_blocked);
  Persona phone_last = phone("phone-android-last-try", "Android スマートフォン。暗証番号の残り回数1回。",
                             "Android smartphone, 1 PIN try left.", CardKind::android_phone, "2222",
                             "19940404", '2', "試験　スマ美");
  phone_last.pin_tries = 1;
  v.push_back(phone_last);
  v.push_back(phone("phone-iphone", "iPhone のマイナンバーカード。onshi は未対応（手順が非公開）。",
                    "iPhone My Number Card; not supported by onshi (the sequence is not public).",
                    CardKind::iphone, "", "19950505", '1', "試験　アイ太"));
  // 医療扶助 (docs/public-assistance.md): the welfare office's 医療券, 公費負担者番号 in InsurerNumber.
  v.push_back(mynumber("seikatsu-hogo", "生活保護（医療扶助）。被保険者証区分 A1、医療券情報あり。",
                       "Public assistance (医療扶助): card class A1 with a medical ticket.", "6543",
                       "19580808", '1', 2033, "7373", "試験　扶助"));
  Persona other;
  other.id = "not-mynumber";
  other.description_ja = "マイナンバーカード以外のICカード（交通系IC等）。JPKI APなし。";
  other.description_en = "Another IC card (e.g. a transit card): other ATR, no JPKI AP.";
  other.kind = CardKind::not_my_number;
  other.atr_hex = kFelicaAtr;
  other.pin_tries = 0;
  v.push_back(other);
  return v;
}

}  // namespace

const std::vector<Persona>& persona_catalogue() {
  static const std::vector<Persona> catalogue = build_catalogue();
  return catalogue;
}

const Persona* find_persona(std::string_view id) {
  for (const auto& p : persona_catalogue())
    if (p.id == id) return &p;
  return nullptr;
}

bool has_jpki(const Persona& p) { return p.kind != CardKind::not_my_number; }
bool has_kenkaku(const Persona& p) { return p.kind == CardKind::my_number; }
bool is_phone(const Persona& p) { return p.kind == CardKind::android_phone || p.kind == CardKind::iphone; }

const char* certificate_state(const Persona& p) {
  if (p.cert == CertStatus::revoked) return "revoked";
  if (p.cert_expires_in_days > 90) return "valid";
  if (p.cert_expires_in_days >= 0) return "expiring";
  // The grace window ends with the third month after the month of expiry: at least ~90 days.
  return p.cert_expires_in_days > -90 ? "grace" : "expired";
}

std::string era_birth_date(const std::string& ymd) {
  const int year = std::stoi(ymd.substr(0, 4));
  const int mmdd = std::stoi(ymd.substr(4, 4));
  const int date = year * 10000 + mmdd;
  int era_year = 0;
  if (date >= 20190501) era_year = year - 2018;       // 令和
  else if (date >= 19890108) era_year = year - 1988;  // 平成
  else if (date >= 19261225) era_year = year - 1925;  // 昭和
  else era_year = year - 1911;                        // 大正
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", era_year % 100);
  return buf + ymd.substr(4, 4);
}

std::string collation_number_b(const Persona& p) {
  if (!has_kenkaku(p)) return "";
  return era_birth_date(p.birth_date) + std::to_string(p.card_expiry_year) + p.security_code;
}

std::string fictitious_individual_number(const Persona& p) {
  // 11 digits from the birth date and the security code, then a check digit computed as for a
  // real 個人番号 and deliberately shifted by one.
  std::string digits = "9" + p.birth_date.substr(2, 6) + (p.security_code.empty() ? "0000" : p.security_code);
  if (digits.size() > 11) digits.resize(11);
  int sum = 0;
  for (int n = 1; n <= 11; ++n) {
    const int pn = digits[static_cast<std::size_t>(11 - n)] - '0';
    const int qn = n <= 6 ? n + 1 : n - 5;
    sum += pn * qn;
  }
  const int rem = sum % 11;
  const int check = rem <= 1 ? 0 : 11 - rem;
  digits.push_back(static_cast<char>('0' + (check + 1) % 10));
  return digits;
}

std::string card_expiry_date(const Persona& p) {
  if (p.card_expiry_year == 0) return "";
  return std::to_string(p.card_expiry_year) + p.birth_date.substr(4, 4);
}

}  // namespace sandbox
