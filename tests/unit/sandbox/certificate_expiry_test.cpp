// The reference gateway's certificate-expiry rule (docs/certificate-expiry.md) on every month end:
// the last usable day is the last day of the third month after the month of expiry, the day after
// it is refused, and the renewal notice starts three calendar months before the expiry.
#include "gateway/certificate_expiry.h"

#include <gtest/gtest.h>

namespace sandbox::gateway {
namespace {

CivilDate d(int y, int m, int day) { return {y, m, day}; }

TEST(CertificateExpiry, MhlwWorkedExamples) {
    // 2025-11-10 -> 2026-02-28 (the example); 多摩市: expiry in February -> end of May.
    EXPECT_EQ(last_usable_day(d(2025, 11, 10)), d(2026, 2, 28));
    EXPECT_EQ(last_usable_day(d(2026, 2, 1)), d(2026, 5, 31));
    EXPECT_EQ(last_usable_day(d(2026, 2, 28)), d(2026, 5, 31));
}

TEST(CertificateExpiry, EveryMonthEndIncludingLeapFebruary) {
    // For each month M of 2027 and February 2028 (leap), an expiry in month M-3 (any day, the
    // first and the last tried) is usable through M's last day and refused the day after.
    struct End {
        int year, month, last_day;
    };
    const End ends[] = {{2027, 1, 31}, {2027, 2, 28}, {2027, 3, 31},  {2027, 4, 30},  {2027, 5, 31},
                        {2027, 6, 30}, {2027, 7, 31}, {2027, 8, 31},  {2027, 9, 30},  {2027, 10, 31},
                        {2027, 11, 30}, {2027, 12, 31}, {2028, 2, 29}};
    for (const End &e : ends) {
        const int index = e.year * 12 + (e.month - 1) - 3;
        const int ey = index / 12, em = index % 12 + 1;
        for (int day : {1, 15, days_in_month(ey, em)}) {
            const CivilDate expiry = d(ey, em, day);
            const CivilDate last = d(e.year, e.month, e.last_day);
            SCOPED_TRACE(format_date(expiry) + " -> " + format_date(last));
            EXPECT_EQ(last_usable_day(expiry), last);
            EXPECT_EQ(expiry_state(expiry, last), ExpiryState::grace);
            EXPECT_EQ(expiry_state(expiry, add_days(last, 1)), ExpiryState::expired);
            EXPECT_EQ(expiry_state(expiry, add_days(expiry, 1)), ExpiryState::grace);
            EXPECT_EQ(expiry_state(expiry, expiry), ExpiryState::expiring) << "the expiry day itself is still valid";
        }
    }
    EXPECT_EQ(days_in_month(2028, 2), 29);
    EXPECT_EQ(days_in_month(2100, 2), 28);
    EXPECT_EQ(days_in_month(2000, 2), 29);
}

TEST(CertificateExpiry, RenewalNoticeStartsThreeCalendarMonthsBefore) {
    EXPECT_EQ(renewal_notice_from(d(2027, 6, 15)), d(2027, 3, 15));
    EXPECT_EQ(renewal_notice_from(d(2027, 5, 31)), d(2027, 2, 28)) << "clamped to the shorter month";
    EXPECT_EQ(renewal_notice_from(d(2028, 5, 31)), d(2028, 2, 29));
    EXPECT_EQ(renewal_notice_from(d(2027, 2, 10)), d(2026, 11, 10)) << "across a year";
    const CivilDate expiry = d(2027, 6, 15);
    EXPECT_EQ(expiry_state(expiry, d(2027, 3, 14)), ExpiryState::valid);
    EXPECT_EQ(expiry_state(expiry, d(2027, 3, 15)), ExpiryState::expiring);
    EXPECT_EQ(expiry_state(expiry, d(2027, 6, 15)), ExpiryState::expiring);
    EXPECT_EQ(expiry_state(expiry, d(2027, 6, 16)), ExpiryState::grace);
}

TEST(CertificateExpiry, JapanTimeDates) {
    // 2027-11-15 23:59:59 JST is 14:59:59 UTC; one second later it is the 16th in Japan.
    const std::int64_t end = jst_end_of_day(d(2027, 11, 15));
    EXPECT_EQ(jst_date(end), d(2027, 11, 15));
    EXPECT_EQ(jst_date(end + 1), d(2027, 11, 16));
    EXPECT_EQ(end % 86400, 14 * 3600 + 59 * 60 + 59);
    EXPECT_EQ(jst_date(0), d(1970, 1, 1));
    EXPECT_EQ(civil_from_days(days_from_civil(d(2028, 2, 29))), d(2028, 2, 29));
}

TEST(CertificateExpiry, DatesParseStrictly) {
    EXPECT_EQ(parse_date("2028-02-29"), d(2028, 2, 29));
    EXPECT_FALSE(parse_date("2027-02-29").has_value());
    EXPECT_FALSE(parse_date("2027-13-01").has_value());
    EXPECT_FALSE(parse_date("2027-1-01").has_value());
    EXPECT_FALSE(parse_date("20270101").has_value());
    EXPECT_EQ(format_date(d(2027, 1, 5)), "2027-01-05");
}

}  // namespace
}  // namespace sandbox::gateway
