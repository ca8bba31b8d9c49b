#include "card/mynumber_card.h"
#include "scripted_channel.h"
#include "util/error.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>

namespace onshi::card {
namespace {

using test::ScriptedChannel;
using namespace test;  // the kSelect* constants

std::vector<std::uint8_t> ascii(const std::string &s) { return {s.begin(), s.end()}; }

std::vector<std::uint8_t> padded_token(const std::string &t, char pad = ' ') {
    std::vector<std::uint8_t> v = ascii(t);
    v.resize(32, static_cast<std::uint8_t>(pad));
    return v;
}

// A DER-shaped blob: 30 82 LL LL + body, total `n` bytes.
std::vector<std::uint8_t> fake_cert(std::size_t n) {
    std::vector<std::uint8_t> c = {0x30, 0x82, static_cast<std::uint8_t>((n - 4) >> 8),
                                   static_cast<std::uint8_t>((n - 4) & 0xFF)};
    for (std::size_t i = 4; i < n; ++i) c.push_back(static_cast<std::uint8_t>(i * 31));
    return c;
}

std::vector<std::uint8_t> slice(const std::vector<std::uint8_t> &v, std::size_t from, std::size_t n) {
    return {v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(from + n)};
}

template <class F>
Error expect_error(F &&fn, onshi_status status) {
    try {
        fn();
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), status) << e.detail().en;
        return e;
    }
    ADD_FAILURE() << "no error, expected status " << status;
    return Error(ONSHI_OK, {});
}

// ---- identify -----------------------------------------------------------------------------------

TEST(Identify, MyNumberCardTokenVariants) {
    for (char pad : {' ', '\0'}) {
        ScriptedChannel ch;
        ch.expect(kSelectJpki, "9000").expect(kSelectToken, "9000").expect("00B0000020", padded_token("JPKIAPICCTOKEN2", pad), 0x9000);
        CardSession s(ch);
        MyNumberCard(s).identify();
        EXPECT_TRUE(ch.all_consumed());
    }
    // Shorter EF (card says 6282 with what it has) and no padding at all.
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectToken, "9000").expect("00B0000020", ascii("JPKIAPICCTOKEN2"), 0x6282);
    CardSession s(ch);
    MyNumberCard(s).identify();
}

TEST(Identify, JukiCard) {
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectToken, "9000").expect("00B0000020", padded_token("JPKIAPICCTOKEN"), 0x9000);
    CardSession s(ch);
    expect_error([&] { MyNumberCard(s).identify(); }, ONSHI_E_JUKI_CARD);
}

TEST(Identify, NotAMyNumberCard) {
    {
        ScriptedChannel ch;
        ch.expect(kSelectJpki, "6A82");
        CardSession s(ch);
        Error e = expect_error([&] { MyNumberCard(s).identify(); }, ONSHI_E_NOT_MYNUMBER_CARD);
        EXPECT_NE(e.detail().en.find("6A82"), std::string::npos);
        EXPECT_EQ(s.apdu_count(), 1u);
    }
    {
        ScriptedChannel ch;
        ch.expect(kSelectJpki, "9000").expect(kSelectToken, "6A82");
        CardSession s(ch);
        expect_error([&] { MyNumberCard(s).identify(); }, ONSHI_E_NOT_MYNUMBER_CARD);
    }
    {
        ScriptedChannel ch;
        ch.expect(kSelectJpki, "9000").expect(kSelectToken, "9000").expect("00B0000020", padded_token("SOMETHINGELSE"), 0x9000);
        CardSession s(ch);
        expect_error([&] { MyNumberCard(s).identify(); }, ONSHI_E_NOT_MYNUMBER_CARD);
    }
}

TEST(Identify, CardRemovedMidApdu) {
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectToken, "");  // 0 bytes with success
    CardSession s(ch);
    expect_error([&] { MyNumberCard(s).identify(); }, ONSHI_E_CARD_REMOVED);
    EXPECT_FALSE(s.current_ap().has_value());  // selection forgotten after a transport error
}

// ---- certificate --------------------------------------------------------------------------------

TEST(Certificate, ChunkedRead749IsFiveApdus) {
    std::vector<std::uint8_t> cert = fake_cert(749);
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000")
        .expect(kSelectCert, "9000")
        .expect("00B0000000", slice(cert, 0, 256), 0x9000)
        .expect("00B0010000", slice(cert, 256, 256), 0x9000)
        .expect("00B00200ED", slice(cert, 512, 237), 0x9000);  // exact remainder
    CardSession s(ch);
    EXPECT_EQ(MyNumberCard(s).read_auth_certificate(), cert);
    // docs/card-protocol.md §APDU budget (a): 2 + ceil(N/256) = 5 for N = 749.
    EXPECT_EQ(s.apdu_count(), 5u);
    EXPECT_TRUE(ch.all_consumed());
}

TEST(Certificate, ExactMultipleAndPaddedFile) {
    std::vector<std::uint8_t> cert = fake_cert(512);
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectCert, "9000")
        .expect("00B0000000", slice(cert, 0, 256), 0x9000)
        .expect("00B0010000", slice(cert, 256, 256), 0x9000);
    CardSession s(ch);
    EXPECT_EQ(MyNumberCard(s).read_auth_certificate(), cert);
    EXPECT_EQ(s.apdu_count(), 4u);

    // A 300-byte cert read by a card that returns filler beyond it in the first chunk.
    std::vector<std::uint8_t> small = fake_cert(300);
    ScriptedChannel ch2;
    std::vector<std::uint8_t> first = slice(small, 0, 256);
    ch2.expect(kSelectJpki, "9000").expect(kSelectCert, "9000").expect("00B0000000", first, 0x9000)
        .expect("00B001002C", slice(small, 256, 44), 0x9000);
    CardSession s2(ch2);
    EXPECT_EQ(MyNumberCard(s2).read_auth_certificate(), small);
}

TEST(Certificate, MalformedLengths) {
    struct Case { std::vector<std::uint8_t> first; const char *why; };
    std::vector<std::uint8_t> absurd = {0x30, 0x82, 0xFF, 0xFF};
    absurd.resize(256, 0xAB);
    std::vector<std::uint8_t> tiny = {0x30, 0x82, 0x00, 0x10};
    tiny.resize(256, 0xAB);
    std::vector<std::uint8_t> wrong_tag = {0x31, 0x82, 0x02, 0xE9};
    wrong_tag.resize(256);
    std::vector<std::uint8_t> long_form = {0x30, 0x83, 0x00, 0x02, 0xE9};
    long_form.resize(256);
    for (const Case &c : {Case{absurd, "65539 bytes"}, Case{tiny, "20 bytes"}, Case{wrong_tag, "not SEQUENCE"},
                          Case{long_form, "30 83"}, Case{{0x30, 0x82}, "2 bytes"}, Case{{}, "empty"}}) {
        ScriptedChannel ch;
        ch.expect(kSelectJpki, "9000").expect(kSelectCert, "9000").expect("00B0000000", c.first, 0x9000);
        CardSession s(ch);
        expect_error([&] { MyNumberCard(s).read_auth_certificate(); }, ONSHI_E_CARD_ERROR);
        EXPECT_EQ(s.apdu_count(), 3u) << c.why;  // nothing read beyond the bad header
    }
}

TEST(Certificate, ShortChunkIsRefusedNotLooped) {
    std::vector<std::uint8_t> cert = fake_cert(749);
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectCert, "9000")
        .expect("00B0000000", slice(cert, 0, 256), 0x9000)
        .expect("00B0010000", slice(cert, 256, 100), 0x9000);  // fewer than asked
    CardSession s(ch);
    expect_error([&] { MyNumberCard(s).read_auth_certificate(); }, ONSHI_E_CARD_ERROR);
    // The EF ends before the certificate does.
    ScriptedChannel ch2;
    ch2.expect(kSelectJpki, "9000").expect(kSelectCert, "9000").expect("00B0000000", slice(cert, 0, 200), 0x6282);
    CardSession s2(ch2);
    expect_error([&] { MyNumberCard(s2).read_auth_certificate(); }, ONSHI_E_CARD_ERROR);
}

TEST(Certificate, CardErrorsCarrySw) {
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectCert, "6A82");
    CardSession s(ch);
    Error e = expect_error([&] { MyNumberCard(s).read_auth_certificate(); }, ONSHI_E_CARD_ERROR);
    EXPECT_NE(e.detail().en.find("6A82"), std::string::npos);
    EXPECT_NE(e.detail().ja.find("6A82"), std::string::npos);
}

// ---- sign ---------------------------------------------------------------------------------------

TEST(Sign, Sha256DigestInfo) {
    std::array<std::uint8_t, 32> digest;
    digest.fill(0xAA);
    std::vector<std::uint8_t> sig(256, 0x5A);
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectKey, "9000")
        .expect("802A0080333031300D060960864801650304020105000420" + std::string(64, 'A') + "00", sig, 0x9000);
    CardSession s(ch);
    EXPECT_EQ(MyNumberCard(s).sign_sha256(digest), sig);
}

TEST(Sign, NotVerified) {
    std::array<std::uint8_t, 32> digest{};
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectKey, "9000")
        .expect("802A0080333031300D060960864801650304020105000420" + std::string(64, '0') + "00", "6982");
    CardSession s(ch);
    Error e = expect_error([&] { MyNumberCard(s).sign_sha256(digest); }, ONSHI_E_CARD_ERROR);
    EXPECT_NE(e.detail().en.find("not been verified"), std::string::npos);
}

// ---- whole PIN phase, counted against docs/card-protocol.md §APDU budget ------------------------

TEST(PinPhase, ApduCountAgainstReferenceMinimum) {
    std::vector<std::uint8_t> cert = fake_cert(749);
    std::array<std::uint8_t, 32> digest{};
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectToken, "9000").expect("00B0000020", padded_token("JPKIAPICCTOKEN2"), 0x9000)
        .expect(kSelectCert, "9000")
        .expect("00B0000000", slice(cert, 0, 256), 0x9000)
        .expect("00B0010000", slice(cert, 256, 256), 0x9000)
        .expect("00B00200ED", slice(cert, 512, 237), 0x9000)
        .expect(kSelectPin, "9000").expect(kVerifyQuery, "63C3")
        .expect("002000800431323334", "9000")
        .expect(kSelectKey, "9000")
        .expect("802A0080333031300D060960864801650304020105000420" + std::string(64, '0') + "00",
                std::vector<std::uint8_t>(256, 1), 0x9000);
    CardSession s(ch);
    MyNumberCard card(s);
    card.identify();
    card.read_auth_certificate();
    std::size_t read_phase = s.apdu_count();
    EXPECT_EQ(card.query_pin_tries(), 3);
    card.verify_pin(SecureBuffer::from_string("1234"), false);
    card.sign_sha256(digest);
    EXPECT_TRUE(ch.all_consumed());

    // Reference (§5): (a) 5 for N=749 + token check 2 = 7; (b) with the safety query 6, minus the
    // shared SELECT AP = 5 -> 12. The PIN dialog's query is the safety query: the channel is
    // exclusive, so nobody can spend a try between it and our VERIFY.
    std::printf("[ card    ] APDUs: read phase %zu (reference 7), PIN check card phase %zu (reference 12)\n",
                read_phase, s.apdu_count());
    EXPECT_EQ(read_phase, 7u);
    EXPECT_EQ(s.apdu_count(), 12u);
}

TEST(PinPhase, AQueriedCountServesOneVerifyOnly) {
    // After a wrong PIN the next VERIFY must ask again: the count it read was used up.
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "63C3")
        .expect("002000800439393939", "63C2")
        .expect(kVerifyQuery, "63C2").expect("002000800431323334", "9000");
    CardSession s(ch);
    MyNumberCard card(s);
    EXPECT_EQ(card.query_pin_tries(), 3);
    EXPECT_THROW(card.verify_pin(SecureBuffer::from_string("9999"), false), Error);
    card.verify_pin(SecureBuffer::from_string("1234"), false);
    EXPECT_TRUE(ch.all_consumed());
}

TEST(PinPhase, PinGivenUpFrontMeetsReference) {
    // When the PIN came with the request there is no separate query: exactly §5(b) with the query.
    std::array<std::uint8_t, 32> digest{};
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "63C3")
        .expect("002000800431323334", "9000").expect(kSelectKey, "9000")
        .expect("802A0080333031300D060960864801650304020105000420" + std::string(64, '0') + "00",
                std::vector<std::uint8_t>(256, 1), 0x9000);
    CardSession s(ch);
    MyNumberCard card(s);
    card.verify_pin(SecureBuffer::from_string("1234"), false);
    card.sign_sha256(digest);
    EXPECT_EQ(s.apdu_count(), 6u);
}

TEST(Session, GetResponseForT0) {
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectKey, "9000")
        .expect("802A0080333031300D060960864801650304020105000420" + std::string(64, '0') + "00", "6100")
        .expect("00C0000000", std::vector<std::uint8_t>(256, 7), 0x9000);
    CardSession s(ch);
    std::array<std::uint8_t, 32> digest{};
    EXPECT_EQ(MyNumberCard(s).sign_sha256(digest), std::vector<std::uint8_t>(256, 7));
}

}  // namespace
}  // namespace onshi::card
