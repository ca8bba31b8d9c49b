// docs/design.md §Rules 2 as tests: query first, never the last try unless allowed, never a retry,
// no APDU at all for a malformed secret, blocked without VERIFY.
#include "card/kenkaku.h"
#include "card/mynumber_card.h"
#include "scripted_channel.h"
#include "util/error.h"

#include <gtest/gtest.h>

namespace onshi::card {
namespace {

using test::ScriptedChannel;
using namespace test;

struct Outcome {
    onshi_status status = ONSHI_OK;
    int32_t value = -1;
};

template <class F>
Outcome run(F &&fn) {
    try {
        fn();
    } catch (const Error &e) {
        return {e.status(), e.value()};
    }
    return {};
}

const std::string kVerify1234 = "002000800431323334";

TEST(PinGuard, RightPin) {
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "63C3").expect(kVerify1234, "9000");
    CardSession s(ch);
    EXPECT_EQ(run([&] { MyNumberCard(s).verify_pin(SecureBuffer::from_string("1234"), false); }).status, ONSHI_OK);
    EXPECT_TRUE(ch.all_consumed());
}

TEST(PinGuard, WrongPinReportsTriesAndDoesNotRetry) {
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "63C3").expect(kVerify1234, "63C2");
    CardSession s(ch);
    Outcome o = run([&] { MyNumberCard(s).verify_pin(SecureBuffer::from_string("1234"), false); });
    EXPECT_EQ(o.status, ONSHI_E_PIN_INCORRECT);
    EXPECT_EQ(o.value, 2);
    EXPECT_EQ(ch.journal().size(), 4u);  // exactly one VERIFY with data
}

TEST(PinGuard, LastTryRefusedWithoutPermission) {
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "63C1");
    CardSession s(ch);
    Outcome o = run([&] { MyNumberCard(s).verify_pin(SecureBuffer::from_string("1234"), false); });
    EXPECT_EQ(o.status, ONSHI_E_LAST_TRY_REFUSED);
    EXPECT_EQ(o.value, 1);
    EXPECT_TRUE(ch.all_consumed());  // no VERIFY with data was sent
}

TEST(PinGuard, LastTryAllowed) {
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "63C1").expect(kVerify1234, "63C0");
    CardSession s(ch);
    Outcome o = run([&] { MyNumberCard(s).verify_pin(SecureBuffer::from_string("1234"), true); });
    EXPECT_EQ(o.status, ONSHI_E_PIN_BLOCKED);  // spent the last try and it was wrong
    EXPECT_EQ(o.value, 0);
}

TEST(PinGuard, BlockedNeverSendsVerify) {
    for (const char *sw : {"63C0", "6983", "6984"}) {
        ScriptedChannel ch;
        ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, sw);
        CardSession s(ch);
        Outcome o = run([&] { MyNumberCard(s).verify_pin(SecureBuffer::from_string("1234"), true); });
        EXPECT_EQ(o.status, ONSHI_E_PIN_BLOCKED) << sw;
        EXPECT_EQ(o.value, 0) << sw;
        EXPECT_TRUE(ch.all_consumed()) << sw;
    }
}

TEST(PinGuard, BlockedAnswersToVerify) {
    for (const char *sw : {"6983", "6984"}) {
        ScriptedChannel ch;
        ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "63C3").expect(kVerify1234, sw);
        CardSession s(ch);
        EXPECT_EQ(run([&] { MyNumberCard(s).verify_pin(SecureBuffer::from_string("1234"), false); }).status,
                  ONSHI_E_PIN_BLOCKED);
    }
}

TEST(PinGuard, FormatErrorsSendNothing) {
    for (const char *pin : {"123", "12345", "abcd", ""}) {
        ScriptedChannel ch;  // empty script: any APDU fails the test
        CardSession s(ch);
        EXPECT_EQ(run([&] { MyNumberCard(s).verify_pin(SecureBuffer::from_string(pin), true); }).status,
                  ONSHI_E_PIN_FORMAT);
        EXPECT_TRUE(ch.journal().empty());
    }
}

TEST(PinGuard, QueryAnswers) {
    {
        ScriptedChannel ch;
        ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "63C2");
        CardSession s(ch);
        EXPECT_EQ(MyNumberCard(s).query_pin_tries(), 2);
    }
    {
        // 9000 to the empty VERIFY: already verified on some cards -> tries unknown.
        ScriptedChannel ch;
        ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "9000");
        CardSession s(ch);
        EXPECT_EQ(MyNumberCard(s).query_pin_tries(), kTriesUnknown);
    }
    {
        ScriptedChannel ch;
        ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "6A88");
        CardSession s(ch);
        EXPECT_EQ(run([&] { MyNumberCard(s).query_pin_tries(); }).status, ONSHI_E_CARD_ERROR);
    }
}

TEST(PinGuard, VerifiedStateAllowsVerifyEvenWithoutCounter) {
    // 9000 to the query means a successful VERIFY reset the counter: this VERIFY cannot be the last.
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "9000").expect(kVerify1234, "9000");
    CardSession s(ch);
    EXPECT_EQ(run([&] { MyNumberCard(s).verify_pin(SecureBuffer::from_string("1234"), false); }).status, ONSHI_OK);
}

TEST(PinGuard, WrongPinWithoutCounter) {
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "63C3").expect(kVerify1234, "6300");
    CardSession s(ch);
    Outcome o = run([&] { MyNumberCard(s).verify_pin(SecureBuffer::from_string("1234"), false); });
    EXPECT_EQ(o.status, ONSHI_E_PIN_INCORRECT);
    EXPECT_EQ(o.value, -1);
}

TEST(PinGuard, UnexpectedVerifyAnswer) {
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "63C3").expect(kVerify1234, "6A86");
    CardSession s(ch);
    EXPECT_EQ(run([&] { MyNumberCard(s).verify_pin(SecureBuffer::from_string("1234"), false); }).status,
              ONSHI_E_CARD_ERROR);
}

TEST(PinGuard, CardRemovedDuringVerify) {
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "63C3").expect(kVerify1234, "");
    CardSession s(ch);
    EXPECT_EQ(run([&] { MyNumberCard(s).verify_pin(SecureBuffer::from_string("1234"), false); }).status,
              ONSHI_E_CARD_REMOVED);
}

// ---- 照合番号B: the same guard on the Kenkaku AP ---------------------------------------------------

const std::string kB = "55021720352285";
const std::string kVerifyB = "002000800E3535303231373230333532323835";

TEST(CollationBGuard, RightWrongLastBlocked) {
    {
        ScriptedChannel ch;
        ch.expect(kSelectKenkaku, "9000").expect(kSelectCollationB, "9000").expect(kVerifyQuery, "63CA").expect(kVerifyB, "9000");
        CardSession s(ch);
        EXPECT_EQ(run([&] { Kenkaku(s).verify_collation_b(SecureBuffer::from_string(kB), false); }).status, ONSHI_OK);
    }
    {
        ScriptedChannel ch;
        ch.expect(kSelectKenkaku, "9000").expect(kSelectCollationB, "9000").expect(kVerifyQuery, "63CA").expect(kVerifyB, "63C9");
        CardSession s(ch);
        Outcome o = run([&] { Kenkaku(s).verify_collation_b(SecureBuffer::from_string(kB), false); });
        EXPECT_EQ(o.status, ONSHI_E_COLLATION_B_INCORRECT);
        EXPECT_EQ(o.value, 9);
    }
    {
        ScriptedChannel ch;
        ch.expect(kSelectKenkaku, "9000").expect(kSelectCollationB, "9000").expect(kVerifyQuery, "63C1");
        CardSession s(ch);
        Outcome o = run([&] { Kenkaku(s).verify_collation_b(SecureBuffer::from_string(kB), false); });
        EXPECT_EQ(o.status, ONSHI_E_LAST_TRY_REFUSED);
        EXPECT_EQ(o.value, 1);
    }
    {
        ScriptedChannel ch;
        ch.expect(kSelectKenkaku, "9000").expect(kSelectCollationB, "9000").expect(kVerifyQuery, "63C0");
        CardSession s(ch);
        EXPECT_EQ(run([&] { Kenkaku(s).verify_collation_b(SecureBuffer::from_string(kB), true); }).status,
                  ONSHI_E_COLLATION_B_BLOCKED);
    }
}

TEST(CollationBGuard, FormatErrorSendsNothing) {
    for (const char *b : {"123456789012", "5502172035228", "55131720352285"}) {
        ScriptedChannel ch;
        CardSession s(ch);
        EXPECT_EQ(run([&] { Kenkaku(s).verify_collation_b(SecureBuffer::from_string(b), true); }).status,
                  ONSHI_E_COLLATION_B_FORMAT);
        EXPECT_TRUE(ch.journal().empty());
    }
}

TEST(CollationBGuard, NoKenkakuAp) {
    ScriptedChannel ch;
    ch.expect(kSelectKenkaku, "6A82");
    CardSession s(ch);
    EXPECT_EQ(run([&] { Kenkaku(s).verify_collation_b(SecureBuffer::from_string(kB), false); }).status,
              ONSHI_E_NOT_MYNUMBER_CARD);
}

}  // namespace
}  // namespace onshi::card
