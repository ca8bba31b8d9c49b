// The reference gateway's certificate-expiry rule (docs/certificate-expiry.md): a card whose
// 利用者証明用電子証明書 has expired can still be used for 資格確認 until the last day of the third
// month after the month in which it expired (MHLW's wording: 有効期限満了日が属する月の末日から
// 3か月間); in the three months before the expiry the patient should be told to renew.
// Calendar dates only, in Japan time; pure functions, so every month end can be tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sandbox::gateway {

struct CivilDate {
  int year = 1970, month = 1, day = 1;
  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

// Days since 1970-01-01 and back (proleptic Gregorian).
std::int64_t days_from_civil(CivilDate d);
CivilDate civil_from_days(std::int64_t days);
CivilDate add_days(CivilDate d, std::int64_t n);
int days_in_month(int year, int month);

// "YYYY-MM-DD" (nullopt for anything else, or a date that does not exist) and back.
std::optional<CivilDate> parse_date(const std::string& text);
std::string format_date(CivilDate d);

// The Japan-time (UTC+9) calendar date of a Unix time.
CivilDate jst_date(std::int64_t unix_seconds);
// 23:59:59 Japan time on `d`, as Unix seconds (what a certificate expiring that day says).
std::int64_t jst_end_of_day(CivilDate d);

// The last day a certificate that expired on `expiry` can be used for 資格確認.
CivilDate last_usable_day(CivilDate expiry);
// The first day of the renewal notice: `expiry` three calendar months earlier (the month's last
// day when that month is shorter).
CivilDate renewal_notice_from(CivilDate expiry);

enum class ExpiryState {
  valid,     // nothing to say
  expiring,  // renewal_notice_from(E) <= today <= E: success, "renew soon"
  grace,     // E < today <= last_usable_day(E): success, "expired, usable until ..."
  expired,   // today > last_usable_day(E): E_CERT_EXPIRED
};

ExpiryState expiry_state(CivilDate expiry, CivilDate today);

}  // namespace sandbox::gateway
