// The certificate-expiry rule (docs/certificate-expiry.md §2) as the reader diagnosis applies it:
// the renewal window, the grace period to the last day of the third month, month ends and leap
// years, the Japan-time date of notAfter, and notAfter read from a real DER certificate.
#include "core/certificate_expiry.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

namespace onshi::core {
namespace {

using Notice = ExpiryReading::Notice;

TEST(CertificateExpiry, TheDocumentsWorkedExamples) {
    EXPECT_EQ(read_expiry({2025, 11, 10}, {2026, 2, 28}).usable_until, (CivilDate{2026, 2, 28}));
    EXPECT_EQ(read_expiry({2027, 11, 30}, {2027, 1, 1}).usable_until, (CivilDate{2028, 2, 29}));
    EXPECT_EQ(read_expiry({2026, 1, 31}, {2025, 1, 1}).usable_until, (CivilDate{2026, 4, 30}));
}

TEST(CertificateExpiry, NoticeAtEachBoundary) {
    const CivilDate e{2025, 11, 10};
    EXPECT_EQ(read_expiry(e, {2025, 8, 9}).notice, Notice::none);
    EXPECT_EQ(read_expiry(e, {2025, 8, 10}).notice, Notice::expires_soon);
    EXPECT_EQ(read_expiry(e, {2025, 11, 10}).notice, Notice::expires_soon);
    EXPECT_EQ(read_expiry(e, {2025, 11, 11}).notice, Notice::expired_grace);
    EXPECT_EQ(read_expiry(e, {2026, 2, 28}).notice, Notice::expired_grace);
    EXPECT_EQ(read_expiry(e, {2026, 3, 1}).notice, Notice::expired);
    // The window starts on the month's last day when that month is shorter: 05-31 -> 02-28.
    EXPECT_EQ(read_expiry({2026, 5, 31}, {2026, 2, 27}).notice, Notice::none);
    EXPECT_EQ(read_expiry({2026, 5, 31}, {2026, 2, 28}).notice, Notice::expires_soon);
    // Across the year: expiry in January, window from October.
    EXPECT_EQ(read_expiry({2027, 1, 15}, {2026, 10, 15}).notice, Notice::expires_soon);
    EXPECT_EQ(read_expiry({2027, 1, 15}, {2026, 10, 14}).notice, Notice::none);
    EXPECT_STREQ(notice_code(Notice::expired_grace), "CERT_EXPIRED_GRACE");
    EXPECT_STREQ(notice_code(Notice::none), "");
}

TEST(CertificateExpiry, JapanDateOfAMoment) {
    using namespace std::chrono;
    // 2026-03-31 15:00 UTC is 2026-04-01 00:00 in Japan; a second earlier is still March 31.
    const auto t = sys_days{year{2026} / 3 / 31} + hours(15);
    EXPECT_EQ(japan_date(t), (CivilDate{2026, 4, 1}));
    EXPECT_EQ(japan_date(t - seconds(1)), (CivilDate{2026, 3, 31}));
    EXPECT_EQ((CivilDate{2026, 4, 1}).year_month(), "2026-04");
    EXPECT_EQ((CivilDate{2026, 4, 1}).iso(), "2026-04-01");
}

std::vector<std::uint8_t> certificate_expiring_at(std::time_t not_after) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
    X509_set_version(cert.get(), 2);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    ASN1_TIME_set(X509_getm_notAfter(cert.get()), not_after);
    X509_set_pubkey(cert.get(), key.get());
    X509_sign(cert.get(), key.get(), EVP_sha256());
    unsigned char *der = nullptr;
    const int n = i2d_X509(cert.get(), &der);
    std::vector<std::uint8_t> out(der, der + n);
    OPENSSL_free(der);
    return out;
}

TEST(CertificateExpiry, NotAfterFromDer) {
    using namespace std::chrono;
    // 14:59:59 UTC on 2030-06-30 is 23:59:59 in Japan: J-LIS's end of the expiry day.
    const auto when = sys_days{year{2030} / 6 / 30} + hours(14) + minutes(59) + seconds(59);
    const auto der = certificate_expiring_at(system_clock::to_time_t(when));
    auto not_after = certificate_not_after(der);
    ASSERT_TRUE(not_after.has_value());
    EXPECT_EQ(*not_after, when);
    EXPECT_EQ(japan_date(*not_after), (CivilDate{2030, 6, 30}));
    EXPECT_FALSE(certificate_not_after(std::vector<std::uint8_t>{0x30, 0x82, 0x01, 0x00}).has_value());
}

}  // namespace
}  // namespace onshi::core
