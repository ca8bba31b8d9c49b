// The reader diagnosis (card/reader_diagnosis.h) against scripted cards: the exact APDUs per medium
// (no VERIFY with data, nothing from the 券面事項確認AP but its selection and the tries query), what
// each finding becomes, and that only a vanished card or PC/SC ends it.
#include "card/reader_diagnosis.h"
#include "scripted_channel.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace onshi::card {
namespace {

using namespace test;

std::vector<std::uint8_t> token(const std::string &name) {
    std::vector<std::uint8_t> v(name.begin(), name.end());
    v.resize(32, ' ');
    return v;
}

std::vector<std::uint8_t> fake_cert(std::size_t n) {
    std::vector<std::uint8_t> c = {0x30, 0x82, static_cast<std::uint8_t>((n - 4) >> 8),
                                   static_cast<std::uint8_t>((n - 4) & 0xFF)};
    for (std::size_t i = 4; i < n; ++i) c.push_back(static_cast<std::uint8_t>(i * 7));
    return c;
}

std::vector<std::uint8_t> part(const std::vector<std::uint8_t> &v, std::size_t from, std::size_t n) {
    return {v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(from + n)};
}

// The card's common start: AP, token, PIN tries.
void expect_identity(ScriptedChannel &c, const std::string &name, const std::string &pin_answer) {
    c.expect(kSelectJpki, "9000").expect(kSelectToken, "9000").expect("00B0000020", token(name), 0x9000);
    c.expect(kSelectPin, "9000").expect(kVerifyQuery, pin_answer);
}

void expect_no_secret_spent(const ScriptedChannel &c) {
    for (const std::string &apdu : c.journal()) {
        if (apdu.rfind("0020", 0) == 0) {
            EXPECT_EQ(apdu, kVerifyQuery) << "a VERIFY with data was sent";
        }
    }
}

TEST(ReaderDiagnosis, CardReportsEveryFindingWithoutSpendingASecret) {
    const auto cert = fake_cert(300);
    ScriptedChannel c;
    expect_identity(c, "JPKIAPICCTOKEN2", "63C3");
    c.expect(kSelectCert, "9000").expect("00B0000000", part(cert, 0, 256), 0x9000).expect("00B001002C", part(cert, 256, 44), 0x9000);
    c.expect(kSelectKenkaku, "9000").expect(kSelectCollationB, "9000").expect(kVerifyQuery, "63CA");
    // The probe: back to the JPKI AP, the certificate in one extended READ.
    c.expect(kSelectJpki, "9000").expect(kSelectCert, "9000").expect("00B0000000012C", cert, 0x9000);

    CardDiagnosis d = diagnose_card(c);
    EXPECT_TRUE(c.all_consumed());
    expect_no_secret_spent(c);
    EXPECT_EQ(d.medium, Medium::card);
    EXPECT_TRUE(d.jpki_ap);
    EXPECT_TRUE(d.kenkaku_ap);
    EXPECT_FALSE(d.contactless);
    EXPECT_FALSE(d.features.has_value());  // the scripted reader has no part 10 features
    EXPECT_EQ(d.pin.state, SecretTriesReading::State::counted);
    EXPECT_EQ(d.pin.tries, 3);
    EXPECT_EQ(d.collation_b.state, SecretTriesReading::State::counted);
    EXPECT_EQ(d.collation_b.tries, 10);
    ASSERT_EQ(d.certificate.state, CertificateReading::State::read);
    EXPECT_EQ(d.certificate.der, cert);
    EXPECT_EQ(d.extended_length.state, ExtendedLengthProbe::State::supported);
    EXPECT_EQ(d.extended_length.bytes, 300u);
    EXPECT_EQ(d.apdus, c.journal().size());
    EXPECT_EQ(d.round_trips.size(), c.journal().size());
    EXPECT_EQ(d.largest_response, 302u);
}

TEST(ReaderDiagnosis, AndroidCertificateNeedsThePinAndTheProbeUsesTheToken) {
    ScriptedChannel c;
    expect_identity(c, "JPKIAPGPSETOKEN", "63C2");
    c.expect(kSelectKenkaku, "6A82");
    c.expect(kSelectJpki, "9000").expect(kSelectToken, "9000").expect("00B00000000000", token("JPKIAPGPSETOKEN"), 0x9000);

    CardDiagnosis d = diagnose_card(c);
    EXPECT_TRUE(c.all_consumed());
    expect_no_secret_spent(c);
    EXPECT_EQ(d.medium, Medium::android);
    EXPECT_EQ(d.certificate.state, CertificateReading::State::needs_pin);
    EXPECT_TRUE(d.certificate.der.empty());
    EXPECT_FALSE(d.kenkaku_ap);
    EXPECT_EQ(d.collation_b.state, SecretTriesReading::State::not_available);
    EXPECT_NE(d.collation_b.detail.find("6A82"), std::string::npos);
    EXPECT_EQ(d.pin.tries, 2);
    EXPECT_EQ(d.extended_length.state, ExtendedLengthProbe::State::supported);
    EXPECT_NE(d.extended_length.detail.find("not tried"), std::string::npos);
}

TEST(ReaderDiagnosis, ShortOnlyReaderAndBlockedPinAreFindings) {
    const auto cert = fake_cert(260);
    ScriptedChannel c;
    expect_identity(c, "JPKIAPICCTOKEN2", "63C0");
    c.expect(kSelectCert, "9000").expect("00B0000000", part(cert, 0, 256), 0x9000).expect("00B0010004", part(cert, 256, 4), 0x9000);
    c.expect(kSelectKenkaku, "9000").expect(kSelectCollationB, "9000").expect(kVerifyQuery, "6984");
    c.expect(kSelectJpki, "9000").expect(kSelectCert, "9000").expect("00B00000000104", "6700");

    CardDiagnosis d = diagnose_card(c);
    EXPECT_TRUE(c.all_consumed());
    EXPECT_EQ(d.pin.state, SecretTriesReading::State::blocked);
    EXPECT_EQ(d.pin.tries, 0);
    EXPECT_EQ(d.collation_b.state, SecretTriesReading::State::blocked);
    EXPECT_EQ(d.extended_length.state, ExtendedLengthProbe::State::not_supported);
    EXPECT_NE(d.extended_length.detail.find("6700"), std::string::npos);
}

TEST(ReaderDiagnosis, AReaderThatTruncatesExtendedAnswersIsNotSupported) {
    const auto cert = fake_cert(300);
    ScriptedChannel c;
    expect_identity(c, "JPKIAPICCTOKEN2", "63C3");
    c.expect(kSelectCert, "9000").expect("00B0000000", part(cert, 0, 256), 0x9000).expect("00B001002C", part(cert, 256, 44), 0x9000);
    c.expect(kSelectKenkaku, "9000").expect(kSelectCollationB, "9000").expect(kVerifyQuery, "63CA");
    c.expect(kSelectJpki, "9000").expect(kSelectCert, "9000").expect("00B0000000012C", part(cert, 0, 256), 0x9000);
    CardDiagnosis d = diagnose_card(c);
    EXPECT_EQ(d.extended_length.state, ExtendedLengthProbe::State::not_supported);
    EXPECT_EQ(d.extended_length.bytes, 256u);
}

TEST(ReaderDiagnosis, ForeignCardHasNoJpkiAndIsNotProbed) {
    ScriptedChannel c;
    c.expect(kSelectJpki, "6A82").expect(kSelectKenkaku, "6A82");
    CardDiagnosis d = diagnose_card(c);
    EXPECT_TRUE(c.all_consumed());
    EXPECT_EQ(d.medium, Medium::other);
    EXPECT_FALSE(d.jpki_ap);
    EXPECT_EQ(d.pin.state, SecretTriesReading::State::not_available);
    EXPECT_EQ(d.extended_length.state, ExtendedLengthProbe::State::not_probed);
}

TEST(ReaderDiagnosis, ACardPulledMidwayEndsTheDiagnosis) {
    ScriptedChannel c;
    c.expect(kSelectJpki, "9000").expect(kSelectToken, "");
    try {
        diagnose_card(c);
        FAIL() << "no error";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_CARD_REMOVED);
    }
}

}  // namespace
}  // namespace onshi::card
