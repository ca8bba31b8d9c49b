// The sandbox's reader profiles (sandbox/card/reader_profile.h) in front of a small virtual card:
// what each kind of reader hands back, and the real-card answers to secure messaging.
#include "card/card_model.h"
#include "card/reader_profile.h"

#include <gtest/gtest.h>

namespace sandbox {
namespace {

const Bytes kAid = {0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};

CardModel small_card() {
  Application app;
  app.name = "jpki";
  app.aid = kAid;
  Bytes file(300);
  for (std::size_t i = 0; i < file.size(); ++i) file[i] = static_cast<std::uint8_t>(i);
  app.efs[0x000A] = BinaryEf{file, {}};
  app.efs[0x0018] = KeyEf{"1234", 3, 3};
  return CardModel({0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14}, {app});
}

Bytes select_app() {
  Bytes c = {0x00, 0xA4, 0x04, 0x0C, 0x0A};
  append(c, kAid);
  return c;
}
const Bytes kSelectFile = {0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A};
const Bytes kSelectPin = {0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x18};

std::uint16_t sw_of(const Bytes& r) { return static_cast<std::uint16_t>((r[r.size() - 2] << 8) | r[r.size() - 1]); }

TEST(ReaderProfile, Names) {
  for (const char* n : {"plain", "short-only", "t0-contact", "odd-atr", "flaky-field"})
    EXPECT_STREQ(reader_profile_name(*reader_profile_from_name(n)), n);
  EXPECT_FALSE(reader_profile_from_name("t1").has_value());
}

TEST(ReaderProfile, ShortOnlyRefusesExtendedLength) {
  CardModel card = small_card();
  ReaderFront front(ReaderProfile::short_only);
  front.transmit(card, select_app());
  front.transmit(card, kSelectFile);
  EXPECT_EQ(front.transmit(card, {0x00, 0xB0, 0x00, 0x00, 0x00, 0x01, 0x2C}), Bytes({0x67, 0x00}));
  EXPECT_EQ(front.transmit(card, {0x00, 0xB0, 0x00, 0x00, 0x00}).size(), 258u);  // short: passes
  // The plain reader passes the extended read whole.
  ReaderFront plain(ReaderProfile::plain);
  EXPECT_EQ(plain.transmit(card, {0x00, 0xB0, 0x00, 0x00, 0x00, 0x01, 0x2C}).size(), 302u);
}

TEST(ReaderProfile, T0GivesWrongLeAndMoreData) {
  CardModel card = small_card();
  ReaderFront front(ReaderProfile::t0_contact);
  EXPECT_EQ(sw_of(front.transmit(card, select_app())), 0x9000);
  EXPECT_EQ(sw_of(front.transmit(card, kSelectFile)), 0x9000);
  // 44 bytes remain at offset 256: Le 256 gets 6C2C and no data, Le 0x2C gets them.
  EXPECT_EQ(front.transmit(card, {0x00, 0xB0, 0x01, 0x00, 0x00}), Bytes({0x6C, 0x2C}));
  Bytes tail = front.transmit(card, {0x00, 0xB0, 0x01, 0x00, 0x2C});
  EXPECT_EQ(tail.size(), 0x2Cu + 2);
  EXPECT_EQ(sw_of(tail), 0x9000);
  // Extended length does not exist on T=0.
  EXPECT_EQ(front.transmit(card, {0x00, 0xB0, 0x00, 0x00, 0x00, 0x01, 0x2C}), Bytes({0x67, 0x00}));
  // GET RESPONSE with nothing announced.
  EXPECT_EQ(sw_of(front.transmit(card, {0x00, 0xC0, 0x00, 0x00, 0x10})), 0x6985);
}

TEST(ReaderProfile, OddAtrIsAValidContactlessAtr) {
  CardModel card = small_card();
  const Bytes atr = ReaderFront(ReaderProfile::odd_atr).atr(card);
  ASSERT_EQ(atr.size(), 13u);
  EXPECT_EQ(atr[0], 0x3B);
  EXPECT_EQ(atr[1], 0x88);
  std::uint8_t x = 0;
  for (std::size_t i = 1; i < atr.size(); ++i) x ^= atr[i];
  EXPECT_EQ(x, 0) << "TCK";
  EXPECT_EQ(ReaderFront(ReaderProfile::plain).atr(card), card.atr());
}

TEST(ReaderProfile, FlakyFieldVanishesOnceRightAfterTheFirstVerify) {
  ReaderFront front(ReaderProfile::flaky_field);
  EXPECT_FALSE(front.vanishes_at(select_app()));
  EXPECT_FALSE(front.vanishes_at(kSelectPin));
  EXPECT_FALSE(front.vanishes_at({0x00, 0x20, 0x00, 0x80}));  // the tries query is no VERIFY with data
  EXPECT_FALSE(front.vanishes_at({0x00, 0x20, 0x00, 0x80, 0x04, '1', '2', '3', '4'}));
  EXPECT_TRUE(front.vanishes_at(kSelectFile));
  // Back in the field: it stays.
  EXPECT_FALSE(front.vanishes_at({0x00, 0x20, 0x00, 0x80, 0x04, '1', '2', '3', '4'}));
  EXPECT_FALSE(front.vanishes_at(kSelectFile));
  EXPECT_FALSE(ReaderFront(ReaderProfile::plain).vanishes_at(kSelectFile));
}

TEST(CardModelSecureMessaging, AnswersLikeTheRealCard) {
  CardModel card = small_card();
  card.transmit(select_app());
  EXPECT_EQ(card.transmit({0x0C, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x0A}), Bytes({0x68, 0x82}));
  EXPECT_EQ(card.transmit({0x08, 0xB0, 0x00, 0x00, 0x10}), Bytes({0x69, 0xFC}));
  EXPECT_EQ(card.transmit({0x0C, 0x20, 0x00, 0x80}), Bytes({0x69, 0xFC}));
  EXPECT_EQ(card.transmit({0x10, 0xB0, 0x00, 0x00, 0x10}), Bytes({0x6E, 0x00}));
}

}  // namespace
}  // namespace sandbox
