#include "core/certificate_expiry.h"

#include <openssl/asn1.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>

namespace onshi::core {
namespace {

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

// Moves a (year, month) by `months`, keeping the month in 1..12.
void add_months(int &year, int &month, int months) {
    int index = year * 12 + (month - 1) + months;
    year = index / 12;
    month = index % 12 + 1;
}

}  // namespace

std::string CivilDate::iso() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

std::string CivilDate::year_month() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
    return buf;
}

CivilDate japan_date(std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    const auto local = floor<days>(t + hours(9));
    const year_month_day ymd{local};
    return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

std::optional<std::chrono::system_clock::time_point> certificate_not_after(std::span<const std::uint8_t> der) {
    const unsigned char *p = der.data();
    std::unique_ptr<X509, decltype(&X509_free)> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
    if (!cert) return std::nullopt;
    std::tm tm{};
    if (ASN1_TIME_to_tm(X509_get0_notAfter(cert.get()), &tm) != 1) return std::nullopt;
    using namespace std::chrono;
    const year_month_day ymd{year{tm.tm_year + 1900}, month{static_cast<unsigned>(tm.tm_mon + 1)},
                             day{static_cast<unsigned>(tm.tm_mday)}};
    if (!ymd.ok()) return std::nullopt;
    return sys_days{ymd} + hours{tm.tm_hour} + minutes{tm.tm_min} + seconds{tm.tm_sec};
}

ExpiryReading read_expiry(CivilDate e, CivilDate today) {
    ExpiryReading out;
    int ly = e.year, lm = e.month;
    add_months(ly, lm, 3);
    out.usable_until = {ly, lm, days_in_month(ly, lm)};
    int wy = e.year, wm = e.month;
    add_months(wy, wm, -3);
    const CivilDate window_start{wy, wm, std::min(e.day, days_in_month(wy, wm))};
    if (today > out.usable_until) out.notice = ExpiryReading::Notice::expired;
    else if (today > e) out.notice = ExpiryReading::Notice::expired_grace;
    else if (today >= window_start) out.notice = ExpiryReading::Notice::expires_soon;
    return out;
}

const char *notice_code(ExpiryReading::Notice notice) noexcept {
    switch (notice) {
    case ExpiryReading::Notice::none: return "";
    case ExpiryReading::Notice::expires_soon: return "CERT_EXPIRES_SOON";
    case ExpiryReading::Notice::expired_grace: return "CERT_EXPIRED_GRACE";
    case ExpiryReading::Notice::expired: return "CERT_EXPIRED";
    }
    return "";
}

}  // namespace onshi::core
