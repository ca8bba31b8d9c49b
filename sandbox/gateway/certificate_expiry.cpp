#include "gateway/certificate_expiry.h"

#include <algorithm>
#include <cstdio>

namespace sandbox::gateway {

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
std::int64_t days_from_civil(CivilDate d) {
  const std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (d.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return {year, month, day};
}

CivilDate add_days(CivilDate d, std::int64_t n) { return civil_from_days(days_from_civil(d) + n); }

int days_in_month(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::optional<CivilDate> parse_date(const std::string& t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
  const CivilDate d{std::stoi(t.substr(0, 4)), std::stoi(t.substr(5, 2)), std::stoi(t.substr(8, 2))};
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month)) return std::nullopt;
  return d;
}

std::string format_date(CivilDate d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

namespace {
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kJst = 9 * 3600;

// The first day of the month `months` after d's month.
CivilDate month_shift(CivilDate d, int months) {
  const int index = d.year * 12 + (d.month - 1) + months;
  return {index / 12, index % 12 + 1, 1};
}
}  // namespace

CivilDate jst_date(std::int64_t unix_seconds) {
  const std::int64_t t = unix_seconds + kJst;
  return civil_from_days(t >= 0 ? t / kDay : (t - kDay + 1) / kDay);
}

std::int64_t jst_end_of_day(CivilDate d) { return days_from_civil(d) * kDay + kDay - 1 - kJst; }

CivilDate last_usable_day(CivilDate expiry) {
  CivilDate m = month_shift(expiry, 3);
  m.day = days_in_month(m.year, m.month);
  return m;
}

CivilDate renewal_notice_from(CivilDate expiry) {
  CivilDate m = month_shift(expiry, -3);
  m.day = std::min(expiry.day, days_in_month(m.year, m.month));
  return m;
}

ExpiryState expiry_state(CivilDate expiry, CivilDate today) {
  if (today > last_usable_day(expiry)) return ExpiryState::expired;
  if (today > expiry) return ExpiryState::grace;
  if (today >= renewal_notice_from(expiry)) return ExpiryState::expiring;
  return ExpiryState::valid;
}

}  // namespace sandbox::gateway
