#include "card/apdu.h"
#include "card/status_words.h"
#include "util/error.h"

#include <gtest/gtest.h>

namespace onshi::card {
namespace {

TEST(StatusWords, Table) {
    struct Row { std::uint16_t sw; const char *en; };
    for (Row r : {Row{0x9000, "success"}, Row{0x6A82, "not found"}, Row{0x6982, "not verified"},
                  Row{0x6983, "blocked"}, Row{0x6984, "blocked"}, Row{0x6B00, "beyond"},
                  Row{0x63C2, "2 tries left"}, Row{0x6D00, "instruction"}, Row{0x1234, "unexpected"}}) {
        Text t = sw_text(r.sw);
        EXPECT_NE(t.en.find(r.en), std::string::npos) << t.en;
        EXPECT_NE(t.en.find(sw_hex(r.sw)), std::string::npos) << t.en;
        EXPECT_NE(t.ja.find(sw_hex(r.sw)), std::string::npos) << t.ja;
    }
    EXPECT_EQ(sw_hex(0x6a82), "6A82");
}

TEST(StatusWords, Counter) {
    EXPECT_TRUE(sw::is_counter(0x63C0));
    EXPECT_TRUE(sw::is_counter(0x63CA));
    EXPECT_FALSE(sw::is_counter(0x6300));
    EXPECT_EQ(sw::counter(0x63C3), 3);
    EXPECT_TRUE(sw::is_more_data(0x6110));
}

TEST(StatusWords, CardErrorCarriesSwInBothLanguages) {
    Error e = card_error({"read X", "Xの読み取り"}, 0x6A86);
    EXPECT_EQ(e.status(), ONSHI_E_CARD_ERROR);
    EXPECT_NE(e.detail().en.find("6A86"), std::string::npos);
    EXPECT_NE(e.detail().ja.find("6A86"), std::string::npos);
    EXPECT_NE(e.detail().ja.find("Xの読み取り"), std::string::npos);
}

TEST(ParseResponse, SplitsDataAndSw) {
    std::vector<std::uint8_t> raw = {0x01, 0x02, 0x90, 0x00};
    ResponseApdu r = parse_response(raw);
    EXPECT_EQ(r.data, (std::vector<std::uint8_t>{1, 2}));
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.sw1(), 0x90);
}

TEST(ParseResponse, ZeroBytesMeansRemoved) {
    // pcsc-lite: a card pulled mid-APDU gives SCARD_S_SUCCESS with 0 bytes
    // (docs/pcsc-harness.md §A card pull).
    try {
        parse_response({});
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_CARD_REMOVED);
    }
    std::vector<std::uint8_t> one = {0x90};
    try {
        parse_response(one);
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_CARD_ERROR);
    }
}

}  // namespace
}  // namespace onshi::card
