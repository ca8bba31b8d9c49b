// The diagnosis report (core/reader_diagnosis_job.h): every item present, the certificate's expiry
// as a month with the rule's notice, and nothing personal from the certificate (its serial and its
// bytes stay out); the request's shape.
#include "core/reader_diagnosis_job.h"
#include "util/error.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <rapidjson/document.h>

#include <memory>

namespace onshi::core {
namespace {

using namespace std::chrono;

// A DER certificate with a recognisable serial, expiring at `not_after`.
std::vector<std::uint8_t> certificate(system_clock::time_point not_after, long serial) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    ASN1_TIME_set(X509_getm_notAfter(cert.get()), system_clock::to_time_t(not_after));
    X509_set_pubkey(cert.get(), key.get());
    X509_sign(cert.get(), key.get(), EVP_sha256());
    unsigned char *der = nullptr;
    const int n = i2d_X509(cert.get(), &der);
    std::vector<std::uint8_t> out(der, der + n);
    OPENSSL_free(der);
    return out;
}

card::CardDiagnosis card_diagnosis(std::vector<std::uint8_t> der) {
    card::CardDiagnosis d;
    d.atr = {0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14};
    d.reader.protocol = "T=1";
    d.medium = card::Medium::card;
    d.jpki_ap = d.kenkaku_ap = true;
    d.pin = {card::SecretTriesReading::State::counted, 3, ""};
    d.collation_b = {card::SecretTriesReading::State::counted, 10, ""};
    d.certificate.state = card::CertificateReading::State::read;
    d.certificate.der = std::move(der);
    d.extended_length = {card::ExtendedLengthProbe::State::supported, 955, "passed"};
    d.apdus = 15;
    d.round_trips = {microseconds(100), microseconds(300), microseconds(200)};
    d.largest_response = 258;
    return d;
}

const rapidjson::Value &at(const rapidjson::Value &v, const char *name) {
    EXPECT_TRUE(v.IsObject() && v.HasMember(name)) << name;
    static const rapidjson::Value null_value;
    return v.IsObject() && v.HasMember(name) ? v[name] : null_value;
}

TEST(ReaderDiagnosisReport, EveryItemAndNoSerial) {
    const auto today = sys_days{year{2026} / 12 / 5} + hours(1);
    const auto expires = sys_days{year{2027} / 2 / 10} + hours(14) + minutes(59);  // 2027-02-10 23:59 JST
    const long serial = 0x5A5A1234;
    auto report = diagnosis_report("ACS ACR1251 00 00", card_diagnosis(certificate(expires, serial)), today);
    rapidjson::Document doc;
    doc.Parse(report->json().c_str());
    ASSERT_FALSE(doc.HasParseError());
    const auto &d = at(doc, "diagnosis");
    EXPECT_FALSE(at(at(d, "personal_data"), "contains").GetBool());
    EXPECT_STREQ(at(at(d, "reader"), "name").GetString(), "ACS ACR1251 00 00");
    EXPECT_STREQ(at(at(d, "reader"), "protocol").GetString(), "T=1");
    EXPECT_STREQ(at(at(d, "reader"), "transport").GetString(), "contact");
    EXPECT_TRUE(at(at(d, "reader"), "vendor").IsNull());
    EXPECT_FALSE(at(at(d, "reader"), "pin_pad").GetBool());
    EXPECT_STREQ(at(at(d, "card"), "atr").GetString(), "3B E0 00 FF 81 31 FE 45 14");
    EXPECT_STREQ(at(at(d, "card"), "medium").GetString(), "card");
    EXPECT_EQ(at(at(d, "pin"), "tries_left").GetInt(), 3);
    EXPECT_EQ(at(at(d, "collation_b"), "tries_left").GetInt(), 10);
    const auto &cert = at(d, "certificate");
    EXPECT_STREQ(at(cert, "state").GetString(), "read");
    EXPECT_STREQ(at(cert, "expires_month").GetString(), "2027-02");
    EXPECT_STREQ(at(at(cert, "notice"), "code").GetString(), "CERT_EXPIRES_SOON");
    EXPECT_DOUBLE_EQ(at(at(d, "apdus"), "round_trip_median_ms").GetDouble(), 0.2);
    EXPECT_DOUBLE_EQ(at(at(d, "apdus"), "round_trip_max_ms").GetDouble(), 0.3);
    EXPECT_EQ(at(at(d, "apdus"), "largest_response_bytes").GetInt(), 258);
    EXPECT_STREQ(at(at(d, "extended_length"), "state").GetString(), "supported");
    // The day of expiry (a birthday, for JPKI certificates) and the serial are not in the report.
    EXPECT_EQ(report->json().find("2027-02-10"), std::string::npos);
    for (const char *serial_text : {"5A5A1234", "5a5a1234", "1515852340"})
        EXPECT_EQ(report->json().find(serial_text), std::string::npos) << serial_text;
}

TEST(ReaderDiagnosisReport, GraceNoticeNamesTheLastUsableDay) {
    const auto today = sys_days{year{2026} / 12 / 5};
    const auto expires = sys_days{year{2026} / 11 / 10} + hours(14);
    auto report = diagnosis_report("R", card_diagnosis(certificate(expires, 1)), today);
    rapidjson::Document doc;
    doc.Parse(report->json().c_str());
    const auto &notice = at(at(at(doc, "diagnosis"), "certificate"), "notice");
    EXPECT_STREQ(at(notice, "code").GetString(), "CERT_EXPIRED_GRACE");
    EXPECT_STREQ(at(notice, "usable_until").GetString(), "2027-02-28");
}

TEST(ReaderDiagnosisReport, AndroidSaysNeedsPin) {
    card::CardDiagnosis d = card_diagnosis({});
    d.medium = card::Medium::android;
    d.atr = {0x3B, 0x80, 0x80, 0x01, 0x01};
    d.contactless = true;  // as diagnose_card() finds it from this ATR
    d.certificate = {card::CertificateReading::State::needs_pin, {}, "needs the PIN"};
    auto report = diagnosis_report("R", d, system_clock::now());
    rapidjson::Document doc;
    doc.Parse(report->json().c_str());
    EXPECT_STREQ(at(at(at(doc, "diagnosis"), "certificate"), "state").GetString(), "needs_pin");
    EXPECT_STREQ(at(at(at(doc, "diagnosis"), "reader"), "transport").GetString(), "contactless");
    EXPECT_STREQ(at(at(at(doc, "diagnosis"), "card"), "medium").GetString(), "android");
}

TEST(DiagnosisRequest, ReaderOnly) {
    EXPECT_EQ(DiagnosisRequest::parse("").reader, "");
    EXPECT_EQ(DiagnosisRequest::parse("{}").reader, "");
    EXPECT_EQ(DiagnosisRequest::parse(R"({"reader":"X 00 00"})").reader, "X 00 00");
    for (const char *bad : {R"({"method":"pin"})", R"({"reader":1})", "[", "{\"reader\":\"x\""}) {
        try {
            DiagnosisRequest::parse(bad);
            ADD_FAILURE() << bad;
        } catch (const Error &e) {
            EXPECT_EQ(e.status(), ONSHI_E_INVALID_ARGUMENT) << bad;
        }
    }
}

}  // namespace
}  // namespace onshi::core
