// CardSession: no redundant SELECT (the APDU budget), the EF's AP selected first, T=0 61xx answers
// fetched with GET RESPONSE (bounded), the selection forgotten after any error, and the tries a
// query read handed to the next VERIFY once.
#include "card/card_session.h"
#include "card/status_words.h"

#include "scripted_channel.h"
#include "util/error.h"
#include "status_of.h"

#include <gtest/gtest.h>

namespace onshi::card {
namespace {

using namespace test;  // ScriptedChannel, the kSelect* constants

using onshi::test::status_of;

TEST(CardSession, SelectsAnApOnlyWhenItIsNotTheCurrentOne) {
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectKenkaku, "9000").expect(kSelectJpki, "9000");
    CardSession s(ch);
    EXPECT_EQ(s.select_ap(Ap::jpki), sw::ok);
    EXPECT_EQ(s.select_ap(Ap::jpki), sw::ok);  // no APDU
    EXPECT_EQ(s.current_ap(), Ap::jpki);
    EXPECT_EQ(s.select_ap(Ap::kenkaku), sw::ok);
    EXPECT_EQ(s.select_ap(Ap::jpki), sw::ok);
    EXPECT_TRUE(ch.all_consumed());
    EXPECT_EQ(s.apdu_count(), 3u);
}

TEST(CardSession, SelectsTheEfsApFirstAndSkipsRepeats) {
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectCert, "9000").expect(kSelectToken, "9000");
    CardSession s(ch);
    EXPECT_EQ(s.select_ef(Ef::jpki_auth_cert), sw::ok);
    EXPECT_EQ(s.select_ef(Ef::jpki_auth_cert), sw::ok);  // no APDU
    EXPECT_EQ(s.current_ef(), Ef::jpki_auth_cert);
    EXPECT_EQ(s.select_ef(Ef::jpki_token), sw::ok);      // same AP: only the EF
    EXPECT_TRUE(ch.all_consumed());
}

TEST(CardSession, AFailedSelectLeavesNothingSelected) {
    ScriptedChannel ch;
    ch.expect(kSelectKenkaku, "6A82").expect(kSelectJpki, "9000").expect(kSelectCert, "6A82");
    CardSession s(ch);
    EXPECT_EQ(s.select_ap(Ap::kenkaku), sw::not_found);
    EXPECT_FALSE(s.current_ap().has_value());
    EXPECT_EQ(s.select_ef(Ef::jpki_auth_cert), sw::not_found) << "the EF's SW goes to the caller";
    EXPECT_EQ(s.current_ap(), Ap::jpki);
    EXPECT_FALSE(s.current_ef().has_value());
    EXPECT_TRUE(ch.all_consumed());
}

TEST(CardSession, AnEfWhoseApCannotBeSelectedIsACardError) {
    ScriptedChannel ch;
    ch.expect(kSelectKenkaku, "6A82");
    CardSession s(ch);
    EXPECT_EQ(status_of([&] { s.select_ef(Ef::kenkaku_face); }), ONSHI_E_CARD_ERROR);
    EXPECT_TRUE(ch.all_consumed()) << "no EF SELECT without its AP";
}

TEST(CardSession, MoreDataIsFetchedWithGetResponse) {
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000")
        .expect("00A4020C020006", "AABB6103")  // T=0: 3 more bytes
        .expect("00C0000003", "CCDDEE6101")
        .expect("00C0000001", "FF9000");
    CardSession s(ch);
    s.select_ap(Ap::jpki);
    // Through transmit(): any command gets the chained answer.
    ResponseApdu r = s.transmit(Commands::select_ef(Ef::jpki_token));
    EXPECT_EQ(r.sw, sw::ok);
    EXPECT_EQ(to_hex(r.data), "AABBCCDDEEFF");
    EXPECT_EQ(s.apdu_count(), 4u) << "GET RESPONSEs count too";
    EXPECT_TRUE(ch.all_consumed());
}

TEST(CardSession, WrongLeIsSentAgainOnceWithTheCardsLength) {
    ScriptedChannel ch;
    // T=0 near the end of a file: the card has 0x2C bytes, not 256, and says so with 6C2C.
    ch.expect("00B0010000", "6C2C").expect("00B001002C", std::vector<std::uint8_t>(0x2C, 0x5A), 0x9000);
    // A second 6Cxx is the card's answer, not a loop.
    ch.expect("00B0000020", "6C10").expect("00B0000010", "6C08");
    CardSession s(ch);
    ResponseApdu r = s.transmit(Commands::read_binary(0x100, 256));
    EXPECT_EQ(r.sw, sw::ok);
    EXPECT_EQ(r.data.size(), 0x2Cu);
    EXPECT_EQ(s.transmit(Commands::read_binary(0, 0x20)).sw, 0x6C08);
    EXPECT_TRUE(ch.all_consumed());
}

TEST(CardSession, WrongLeToAnythingButAReadIsTheAnswer) {
    ScriptedChannel ch;
    ch.expect(kVerifyQuery, "6C00");  // never re-sent: VERIFY is not a read
    CardSession s(ch);
    EXPECT_EQ(s.transmit(Commands::verify_query()).sw, 0x6C00);
    EXPECT_TRUE(ch.all_consumed());
}

TEST(CardSession, EndlessMoreDataIsRefused) {
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectToken, "AA6101");
    for (int i = 0; i < 4; ++i) ch.expect("00C0000001", "AA6101");
    CardSession s(ch);
    s.select_ap(Ap::jpki);
    EXPECT_EQ(status_of([&] { s.transmit(Commands::select_ef(Ef::jpki_token)); }), ONSHI_E_CARD_ERROR);
    EXPECT_TRUE(ch.all_consumed()) << "four GET RESPONSE rounds at most";
}

TEST(CardSession, AnErrorFromTheChannelForgetsTheSelection) {
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectCert, "")  // 0 bytes: the card was pulled
        .expect(kSelectJpki, "9000");
    CardSession s(ch);
    s.select_ap(Ap::jpki);
    EXPECT_EQ(status_of([&] { s.select_ef(Ef::jpki_auth_cert); }), ONSHI_E_CARD_REMOVED);
    EXPECT_FALSE(s.current_ap().has_value());
    EXPECT_EQ(s.select_ap(Ap::jpki), sw::ok) << "the next operation starts with a SELECT AP";
    EXPECT_TRUE(ch.all_consumed());
}

TEST(CardSession, KnownTriesAreTakenOnceAndOnlyForTheirKey) {
    ScriptedChannel ch;
    CardSession s(ch);
    EXPECT_FALSE(s.take_known_tries(SecretKind::auth_pin).has_value());
    s.remember_tries(SecretKind::auth_pin, 3);
    EXPECT_FALSE(s.take_known_tries(SecretKind::collation_b).has_value());
    EXPECT_EQ(s.take_known_tries(SecretKind::auth_pin), 3);
    EXPECT_FALSE(s.take_known_tries(SecretKind::auth_pin).has_value()) << "used up";
    s.remember_tries(SecretKind::collation_b, 10);
    s.forget_selection();
    EXPECT_FALSE(s.take_known_tries(SecretKind::collation_b).has_value()) << "a reset card may have changed";
}

}  // namespace
}  // namespace onshi::card
