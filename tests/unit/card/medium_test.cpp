// The media that answer as the JPKI AP (docs/smartphones.md): how the token EF classifies them,
// which check each can do, and the sequences the card layer runs for them — against scripted
// channels that fail the test on any APDU the sequence must not send.
#include "card/medium.h"
#include "card/mynumber_card.h"
#include "scripted_channel.h"
#include "util/error.h"
#include "status_of.h"

#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <string>
#include <vector>

namespace onshi::card {
namespace {

using test::ScriptedChannel;
using namespace test;

std::vector<std::uint8_t> padded_token(const std::string &t, char pad = ' ', std::size_t size = 32) {
    std::vector<std::uint8_t> v(t.begin(), t.end());
    v.resize(size, static_cast<std::uint8_t>(pad));
    return v;
}

std::vector<std::uint8_t> fake_cert(std::size_t n) {
    std::vector<std::uint8_t> c = {0x30, 0x82, static_cast<std::uint8_t>((n - 4) >> 8),
                                   static_cast<std::uint8_t>((n - 4) & 0xFF)};
    for (std::size_t i = 4; i < n; ++i) c.push_back(static_cast<std::uint8_t>(i * 7));
    return c;
}

std::vector<std::uint8_t> slice(const std::vector<std::uint8_t> &v, std::size_t from, std::size_t n) {
    return {v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(from + n)};
}

using onshi::test::status_of;

// A channel that has answered the token check with `token`.
ScriptedChannel &token_check(ScriptedChannel &ch, const std::string &token) {
    return ch.expect(kSelectJpki, "9000").expect(kSelectToken, "9000").expect("00B0000020", padded_token(token), 0x9000);
}

const std::string kVerify1234 = "002000800431323334";
const std::string kSign = "802A0080333031300D060960864801650304020105000420" + std::string(64, '0') + "00";

// ---- classification -----------------------------------------------------------------------------

TEST(Medium, TokenLabelsFromTheSources) {
    struct Row {
        const char *label;
        Medium medium;
        const char *name;
    };
    for (const Row &r : {Row{"JPKIAPICCTOKEN2", Medium::card, "card"}, Row{"JPKIAPGPSETOKEN", Medium::android, "android"},
                         Row{"JPKIAPIOSTOKEN", Medium::iphone, "iphone"}, Row{"JPKIAPICCTOKEN", Medium::juki, "juki"},
                         Row{"JPKIAPICCTOKEN3", Medium::other, "other"}, Row{"", Medium::other, "other"}}) {
        for (char pad : {' ', '\0'}) {
            std::string label;
            EXPECT_EQ(medium_of_token(padded_token(r.label, pad), &label), r.medium) << r.label;
            EXPECT_EQ(label, r.label);
            EXPECT_STREQ(medium_name(r.medium), r.name);
        }
    }
}

TEST(Medium, OnlyTheFirst32BytesDecide) {
    // EF 0006 is a 160-byte CK_TOKEN_INFO image; the manufacturer field follows the label.
    std::vector<std::uint8_t> file = padded_token("JPKIAPGPSETOKEN");
    file.insert(file.end(), 128, 'X');
    EXPECT_EQ(medium_of_token(file), Medium::android);
    // A label that runs into a 33rd byte is not one of the known labels.
    EXPECT_EQ(medium_of_token(padded_token("JPKIAPICCTOKEN2", 'X', 40)), Medium::other);
    EXPECT_EQ(medium_of_token({}), Medium::other);
}

TEST(Medium, WhatEachMediumSupports) {
    struct Row {
        Medium medium;
        onshi_status pin, visual;
    };
    for (const Row &r : {Row{Medium::card, ONSHI_OK, ONSHI_OK},
                         Row{Medium::android, ONSHI_OK, ONSHI_E_VISUAL_NOT_AVAILABLE},
                         Row{Medium::iphone, ONSHI_E_MEDIUM_NOT_SUPPORTED, ONSHI_E_VISUAL_NOT_AVAILABLE},
                         Row{Medium::juki, ONSHI_E_JUKI_CARD, ONSHI_E_JUKI_CARD},
                         Row{Medium::other, ONSHI_E_NOT_MYNUMBER_CARD, ONSHI_E_NOT_MYNUMBER_CARD}}) {
        EXPECT_EQ(status_of([&] { require_supported(r.medium, CheckMethod::pin); }), r.pin) << medium_name(r.medium);
        EXPECT_EQ(status_of([&] { require_supported(r.medium, CheckMethod::visual); }), r.visual) << medium_name(r.medium);
    }
    EXPECT_TRUE(is_phone(Medium::android) && is_phone(Medium::iphone));
    EXPECT_FALSE(is_phone(Medium::card) || is_phone(Medium::juki) || is_phone(Medium::other));
    EXPECT_TRUE(certificate_needs_pin(Medium::android));
    EXPECT_FALSE(certificate_needs_pin(Medium::card));
}

// ---- read_medium: no secret, three APDUs, never a refusal for "other" ------------------------------

TEST(ReadMedium, ClassifiesWithoutRefusing) {
    for (const char *token : {"JPKIAPICCTOKEN2", "JPKIAPGPSETOKEN", "JPKIAPIOSTOKEN", "JPKIAPICCTOKEN", "XYZ"}) {
        ScriptedChannel ch;
        token_check(ch, token);
        CardSession s(ch);
        EXPECT_EQ(MyNumberCard(s).read_medium(), medium_of_token(padded_token(token))) << token;
        EXPECT_TRUE(ch.all_consumed());
    }
    // No JPKI AP: "other", one APDU, and the reason names the SW.
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "6A82");
    CardSession s(ch);
    Text why;
    EXPECT_EQ(MyNumberCard(s).read_medium(&why), Medium::other);
    EXPECT_NE(why.en.find("6A82"), std::string::npos);
    EXPECT_EQ(s.apdu_count(), 1u);
}

// ---- refusals happen after the token check, before anything else -----------------------------------

TEST(Identify, PhonesRefusedForWhatTheyCannotDoAfterThreeApdus) {
    struct Row {
        const char *token;
        CheckMethod method;
        onshi_status expected;
    };
    for (const Row &r : {Row{"JPKIAPGPSETOKEN", CheckMethod::visual, ONSHI_E_VISUAL_NOT_AVAILABLE},
                         Row{"JPKIAPIOSTOKEN", CheckMethod::visual, ONSHI_E_VISUAL_NOT_AVAILABLE},
                         Row{"JPKIAPIOSTOKEN", CheckMethod::pin, ONSHI_E_MEDIUM_NOT_SUPPORTED},
                         Row{"JPKIAPICCTOKEN", CheckMethod::visual, ONSHI_E_JUKI_CARD}}) {
        ScriptedChannel ch;
        token_check(ch, r.token);  // any further APDU would fail the script
        CardSession s(ch);
        std::string en;
        EXPECT_EQ(status_of([&] { MyNumberCard(s).identify(r.method); }, &en), r.expected) << r.token;
        EXPECT_EQ(s.apdu_count(), 3u) << r.token;
        EXPECT_TRUE(ch.all_consumed());
        EXPECT_FALSE(en.empty());
    }
}

TEST(Identify, ReturnsTheMedium) {
    ScriptedChannel ch;
    token_check(ch, "JPKIAPGPSETOKEN");
    CardSession s(ch);
    MyNumberCard phone(s);
    EXPECT_EQ(phone.identify(CheckMethod::pin), Medium::android);
    EXPECT_EQ(phone.medium(), Medium::android);
    EXPECT_TRUE(phone.certificate_needs_pin());

    ScriptedChannel ch2;
    token_check(ch2, "JPKIAPICCTOKEN2");
    CardSession s2(ch2);
    MyNumberCard card(s2);
    EXPECT_EQ(card.identify(CheckMethod::visual), Medium::card);
    EXPECT_FALSE(card.certificate_needs_pin());
}

// ---- Android: VERIFY first, then the certificate -----------------------------------------------------

TEST(Android, CertificateBeforeVerifyIsRefusedWithoutAnApdu) {
    ScriptedChannel ch;
    token_check(ch, "JPKIAPGPSETOKEN");
    CardSession s(ch);
    MyNumberCard phone(s);
    phone.identify(CheckMethod::pin);
    EXPECT_EQ(status_of([&] { phone.read_auth_certificate(); }), ONSHI_E_INTERNAL);
    EXPECT_EQ(s.apdu_count(), 3u);
}

TEST(Android, PinCheckSequence) {
    const std::vector<std::uint8_t> cert = fake_cert(749);
    ScriptedChannel ch;
    token_check(ch, "JPKIAPGPSETOKEN")
        .expect(kSelectPin, "9000").expect(kVerifyQuery, "63C3")
        .expect(kVerify1234, "9000")
        .expect(kSelectCert, "9000")
        .expect("00B0000000", slice(cert, 0, 256), 0x9000)
        .expect("00B0010000", slice(cert, 256, 256), 0x9000)
        .expect("00B00200ED", slice(cert, 512, 237), 0x9000)
        .expect(kSelectKey, "9000")
        .expect(kSign, std::vector<std::uint8_t>(256, 1), 0x9000);
    CardSession s(ch);
    MyNumberCard phone(s);
    phone.identify(CheckMethod::pin);
    EXPECT_EQ(phone.query_pin_tries(), 3);
    phone.verify_pin(SecureBuffer::from_string("1234"), false);
    EXPECT_FALSE(phone.certificate_needs_pin());
    EXPECT_EQ(phone.read_auth_certificate(), cert);
    const std::array<std::uint8_t, 32> digest{};
    phone.sign_sha256(digest);
    EXPECT_TRUE(ch.all_consumed());
    // Exactly one VERIFY with data, and it comes before the certificate's SELECT.
    const auto &sent = ch.journal();
    std::size_t verify_at = sent.size(), cert_at = sent.size(), verifies = 0;
    for (std::size_t i = 0; i < sent.size(); ++i) {
        if (sent[i].rfind("00200080", 0) == 0 && sent[i].size() > 8) {
            ++verifies;
            verify_at = i;
        }
        if (sent[i] == kSelectCert) cert_at = i;
    }
    EXPECT_EQ(verifies, 1u);
    EXPECT_LT(verify_at, cert_at);
}

TEST(Android, AWrongPinLeavesTheCertificateUnread) {
    ScriptedChannel ch;
    token_check(ch, "JPKIAPGPSETOKEN").expect(kSelectPin, "9000").expect(kVerifyQuery, "63C3").expect(kVerify1234, "63C2");
    CardSession s(ch);
    MyNumberCard phone(s);
    phone.identify(CheckMethod::pin);
    EXPECT_EQ(status_of([&] { phone.verify_pin(SecureBuffer::from_string("1234"), false); }), ONSHI_E_PIN_INCORRECT);
    EXPECT_TRUE(phone.certificate_needs_pin());
    EXPECT_EQ(status_of([&] { phone.read_auth_certificate(); }), ONSHI_E_INTERNAL);
    EXPECT_TRUE(ch.all_consumed());
}

TEST(Android, LastTryRefusedWithoutConsentAndNoVerifySent) {
    ScriptedChannel ch;
    token_check(ch, "JPKIAPGPSETOKEN").expect(kSelectPin, "9000").expect(kVerifyQuery, "63C1");
    CardSession s(ch);
    MyNumberCard phone(s);
    phone.identify(CheckMethod::pin);
    try {
        phone.verify_pin(SecureBuffer::from_string("1234"), false);
        ADD_FAILURE() << "the last try was spent";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_LAST_TRY_REFUSED);
        EXPECT_EQ(e.value(), 1);
    }
    EXPECT_TRUE(ch.all_consumed());
}

TEST(Android, BlockedPinNeverSendsVerify) {
    for (const char *answer : {"63C0", "6984", "6983"}) {
        ScriptedChannel ch;
        token_check(ch, "JPKIAPGPSETOKEN").expect(kSelectPin, "9000").expect(kVerifyQuery, answer);
        CardSession s(ch);
        MyNumberCard phone(s);
        phone.identify(CheckMethod::pin);
        EXPECT_EQ(status_of([&] { phone.verify_pin(SecureBuffer::from_string("1234"), true); }), ONSHI_E_PIN_BLOCKED) << answer;
        EXPECT_TRUE(ch.all_consumed()) << answer;
    }
}

TEST(Android, TriesMustBeACounterOnAPhone) {
    // A card may answer 9000 to the query while its key is verified; for a phone that answer is not
    // documented, so nothing is inferred from it and no VERIFY is sent.
    ScriptedChannel ch;
    token_check(ch, "JPKIAPGPSETOKEN").expect(kSelectPin, "9000").expect(kVerifyQuery, "9000");
    CardSession s(ch);
    MyNumberCard phone(s);
    phone.identify(CheckMethod::pin);
    std::string en;
    EXPECT_EQ(status_of([&] { phone.verify_pin(SecureBuffer::from_string("1234"), true); }, &en), ONSHI_E_CARD_ERROR);
    EXPECT_NE(en.find("no try was spent"), std::string::npos) << en;
    EXPECT_TRUE(ch.all_consumed());

    // The dialog's query is held to the same rule.
    ScriptedChannel ch2;
    token_check(ch2, "JPKIAPGPSETOKEN").expect(kSelectPin, "9000").expect(kVerifyQuery, "9000");
    CardSession s2(ch2);
    MyNumberCard phone2(s2);
    phone2.identify(CheckMethod::pin);
    EXPECT_EQ(status_of([&] { phone2.query_pin_tries(); }), ONSHI_E_CARD_ERROR);
    // Anything else than a counter is a card error too.
    ScriptedChannel ch3;
    token_check(ch3, "JPKIAPGPSETOKEN").expect(kSelectPin, "9000").expect(kVerifyQuery, "6D00");
    CardSession s3(ch3);
    MyNumberCard phone3(s3);
    phone3.identify(CheckMethod::pin);
    EXPECT_EQ(status_of([&] { phone3.query_pin_tries(); }), ONSHI_E_CARD_ERROR);
}

TEST(Card, StillReadsTheCertificateBeforeThePin) {
    const std::vector<std::uint8_t> cert = fake_cert(300);
    ScriptedChannel ch;
    token_check(ch, "JPKIAPICCTOKEN2")
        .expect(kSelectCert, "9000")
        .expect("00B0000000", slice(cert, 0, 256), 0x9000)
        .expect("00B001002C", slice(cert, 256, 44), 0x9000)
        .expect(kSelectPin, "9000").expect(kVerifyQuery, "9000")  // a card in the verified state
        .expect(kVerify1234, "9000");
    CardSession s(ch);
    MyNumberCard card(s);
    card.identify(CheckMethod::pin);
    EXPECT_EQ(card.read_auth_certificate(), cert);
    card.verify_pin(SecureBuffer::from_string("1234"), false);
    EXPECT_TRUE(ch.all_consumed());
}

}  // namespace
}  // namespace onshi::card
