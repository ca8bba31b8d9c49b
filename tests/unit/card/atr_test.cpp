// Contactless (PC/SC part 3 made-up) ATRs against the My Number Card's contact ATRs.
#include "card/atr.h"

#include <gtest/gtest.h>

namespace onshi::card {
namespace {

TEST(Atr, ContactlessFrameIsRecognised) {
    // The sandbox phone's ATR (no historical bytes) and a Type B card's with 8 historical bytes.
    EXPECT_TRUE(is_contactless_atr(std::vector<std::uint8_t>{0x3B, 0x80, 0x80, 0x01, 0x01}));
    EXPECT_TRUE(is_contactless_atr(
        std::vector<std::uint8_t>{0x3B, 0x88, 0x80, 0x01, 0, 0, 0, 0, 0x77, 0x81, 0x81, 0x00, 0x7E}));
}

TEST(Atr, ContactCardsAreNot) {
    // OpenSC's jpki ATR and the 2024 card of OpenSC issue #3021.
    EXPECT_FALSE(is_contactless_atr(std::vector<std::uint8_t>{0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14}));
    EXPECT_FALSE(is_contactless_atr(std::vector<std::uint8_t>{0x3B, 0xDA, 0x13, 0xFF, 0x81, 0x31, 0xFB, 0x46, 0x80,
                                                              0x12, 0x39, 0x2F, 0x31, 0xC1, 0x73, 0xC6, 0x01, 0xC0, 0x3B}));
    // The frame with a wrong length (historical bytes missing) is not one either.
    EXPECT_FALSE(is_contactless_atr(std::vector<std::uint8_t>{0x3B, 0x88, 0x80, 0x01, 0x00}));
    EXPECT_FALSE(is_contactless_atr(std::vector<std::uint8_t>{}));
}

TEST(Atr, HexWithSpaces) {
    EXPECT_EQ(hex_with_spaces(std::vector<std::uint8_t>{0x3B, 0x0A, 0xFF}), "3B 0A FF");
    EXPECT_EQ(hex_with_spaces(std::vector<std::uint8_t>{}), "");
}

}  // namespace
}  // namespace onshi::card
