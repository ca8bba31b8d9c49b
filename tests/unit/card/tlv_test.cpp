#include "card/tlv.h"
#include "scripted_channel.h"
#include "util/error.h"

#include <gtest/gtest.h>

namespace onshi::card {
namespace {

using test::from_hex;

TEST(Tlv, HeaderForms) {
    auto h = parse_tlv_header(from_hex("DF2708"));
    ASSERT_TRUE(h);
    EXPECT_EQ(h->tag, 0xDF27);
    EXPECT_EQ(h->header_size, 3u);
    EXPECT_EQ(h->length, 8u);
    h = parse_tlv_header(from_hex("FF208180"));
    ASSERT_TRUE(h);
    EXPECT_EQ(h->tag, 0xFF20);
    EXPECT_EQ(h->length, 0x80u);
    h = parse_tlv_header(from_hex("FF20820BB8"));
    ASSERT_TRUE(h);
    EXPECT_EQ(h->header_size, 5u);
    EXPECT_EQ(h->length, 3000u);
    h = parse_tlv_header(from_hex("9003"));
    ASSERT_TRUE(h);
    EXPECT_EQ(h->tag, 0x90);
}

TEST(Tlv, IncompleteHeaderAsksForMore) {
    for (const char *hex : {"", "DF", "DF27", "DF2781", "DF2782", "DF278201"})
        EXPECT_FALSE(parse_tlv_header(from_hex(hex))) << hex;
}

TEST(Tlv, MalformedHeaderIsRefused) {
    for (const char *hex : {"DF2780", "DF27830000FF", "DF2784", "DFA70101"}) {
        try {
            parse_tlv_header(from_hex(hex));
            ADD_FAILURE() << hex;
        } catch (const Error &e) {
            EXPECT_EQ(e.status(), ONSHI_E_CARD_ERROR);
        }
    }
}

TEST(Tlv, FindChild) {
    auto seq = from_hex("DF2101AA DF2202BBCC DF2703010203 FFFF0000");
    auto v = find_tlv(seq, 0xDF27);
    ASSERT_TRUE(v);
    EXPECT_EQ(std::vector<std::uint8_t>(v->begin(), v->end()), from_hex("010203"));
    EXPECT_FALSE(find_tlv(seq, 0xDF29));  // stops at filler
}

TEST(Tlv, TruncationIsRefused) {
    for (const char *hex : {"DF2105AABB", "DF2101AA DF27820100 01", "DF21"}) {
        auto seq = from_hex(hex);
        try {
            find_tlv(seq, 0xDF27);
            ADD_FAILURE() << hex;
        } catch (const Error &e) {
            EXPECT_EQ(e.status(), ONSHI_E_CARD_ERROR);
        }
    }
}

TEST(Tlv, GarbageNeverReadsOutside) {
    // Deterministic pseudo-random garbage: must return or throw Error, never crash (ASan builds).
    std::uint32_t x = 12345;
    for (int round = 0; round < 2000; ++round) {
        std::vector<std::uint8_t> b(static_cast<std::size_t>(round % 40));
        for (auto &c : b) {
            x = x * 1103515245u + 12345u;
            c = static_cast<std::uint8_t>(x >> 16);
        }
        try {
            (void)find_tlv(b, 0xDF27);
        } catch (const Error &) {
        }
    }
}

}  // namespace
}  // namespace onshi::card
