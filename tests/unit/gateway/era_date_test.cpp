// 和暦 and Western dates as screens print them, read back as YYYYMMDD.
#include "gateway/era_date.h"

#include <gtest/gtest.h>

namespace {

using onshi::gateway::ascii_width;
using onshi::gateway::western_date;

TEST(EraDate, EachEraFromItsFirstYear) {
    EXPECT_EQ(western_date("昭和55年2月17日"), "19800217");
    EXPECT_EQ(western_date("平成元年1月8日"), "19890108");
    EXPECT_EQ(western_date("令和元年5月1日"), "20190501");
    EXPECT_EQ(western_date("令和8年12月5日"), "20261205");
    EXPECT_EQ(western_date("大正15年12月24日"), "19261224");
    EXPECT_EQ(western_date("明治45年7月29日"), "19120729");
    EXPECT_EQ(western_date("昭和元年12月25日"), "19261225");
}

TEST(EraDate, TheLastDaysOfAnEraAndNotOneMore) {
    EXPECT_EQ(western_date("昭和64年1月7日"), "19890107");
    EXPECT_EQ(western_date("昭和64年1月8日"), std::nullopt);  // 平成元年1月8日
    EXPECT_EQ(western_date("平成31年4月30日"), "20190430");
    EXPECT_EQ(western_date("平成31年5月1日"), std::nullopt);  // 令和元年5月1日
    EXPECT_EQ(western_date("令和元年4月30日"), std::nullopt);
    EXPECT_EQ(western_date("平成0年1月8日"), std::nullopt);
}

TEST(EraDate, FullWidthDigitsSpacesInitialsAndSeparators) {
    EXPECT_EQ(western_date("昭和５５年２月１７日"), "19800217");
    EXPECT_EQ(western_date(" 昭和 55年 2月 17日 "), "19800217");
    EXPECT_EQ(western_date("昭和\u300055年2月17日"), "19800217");
    EXPECT_EQ(western_date("S55.2.17"), "19800217");
    EXPECT_EQ(western_date("h31/04/30"), "20190430");
    EXPECT_EQ(western_date("R元.5.1"), "20190501");
    EXPECT_EQ(western_date("Ｒ８．１２．５"), "20261205");
    EXPECT_EQ(western_date("昭和55年2月17日（1980年）"), "19800217");
}

TEST(EraDate, WesternDatesToo) {
    EXPECT_EQ(western_date("19800217"), "19800217");
    EXPECT_EQ(western_date("1980年2月17日"), "19800217");
    EXPECT_EQ(western_date("1980/2/17"), "19800217");
    EXPECT_EQ(western_date("2024-02-29"), "20240229");
    EXPECT_EQ(western_date("2023-02-29"), std::nullopt);
    EXPECT_EQ(western_date("19800230"), std::nullopt);
}

TEST(EraDate, WhatIsNoDate) {
    for (const char *bad : {"", "昭和", "昭和55年", "昭和55年2月", "昭和55年13月1日", "昭和55年2月30日", "昭和555年1月1日",
                            "S55.2-17", "X55.2.17", "55.2.17", "昭和55年2月17日です", "（1980）", "1980/2/17/1",
                            "昭和55年2月17日(", "平成元年1月7日", "1980年2月17", "198002170"})
        EXPECT_EQ(western_date(bad), std::nullopt) << bad;
}

TEST(EraDate, AsciiWidthMakesFullWidthAsciiAscii) {
    EXPECT_EQ(ascii_width("０６１３０４８８"), "06130488");
    EXPECT_EQ(ascii_width("１２３－４５６７"), "123-4567");
    EXPECT_EQ(ascii_width("試験\u3000太郎"), "試験 太郎");
    EXPECT_EQ(ascii_width("ｱｲｳ医国"), "ｱｲｳ医国");  // half-width katakana and kanji stay
}

}  // namespace
