// The reception screen's Japanese era dates (samples/qt-host/era_date.h): every era boundary, 元年,
// leap days, and the texts that are not dates (shown raw by the screen).
#include "era_date.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

using reception::japanese_date;
using reception::japanese_date_time;

TEST(EraDate, ShowsTheEraDateWithTheGregorianDateBeside) {
    EXPECT_EQ(japanese_date("19800217"), "昭和55年2月17日 (1980-02-17)");
    EXPECT_EQ(japanese_date("20261124"), "令和8年11月24日 (2026-11-24)");
}

TEST(EraDate, SwitchesEraOnTheProclaimedFirstDay) {
    EXPECT_EQ(japanese_date("20190430"), "平成31年4月30日 (2019-04-30)");
    EXPECT_EQ(japanese_date("20190501"), "令和元年5月1日 (2019-05-01)");
    EXPECT_EQ(japanese_date("19890107"), "昭和64年1月7日 (1989-01-07)");
    EXPECT_EQ(japanese_date("19890108"), "平成元年1月8日 (1989-01-08)");
    EXPECT_EQ(japanese_date("19261224"), "大正15年12月24日 (1926-12-24)");
    EXPECT_EQ(japanese_date("19261225"), "昭和元年12月25日 (1926-12-25)");
    EXPECT_EQ(japanese_date("19120729"), "明治45年7月29日 (1912-07-29)");
    EXPECT_EQ(japanese_date("19120730"), "大正元年7月30日 (1912-07-30)");
    EXPECT_EQ(japanese_date("18681023"), "明治元年10月23日 (1868-10-23)");
    EXPECT_EQ(japanese_date("18690101"), "明治2年1月1日 (1869-01-01)");
}

TEST(EraDate, KnowsLeapDays) {
    EXPECT_EQ(japanese_date("20240229"), "令和6年2月29日 (2024-02-29)");
    EXPECT_EQ(japanese_date("20000229"), "平成12年2月29日 (2000-02-29)");
    EXPECT_EQ(japanese_date("20230229"), std::nullopt);
    EXPECT_EQ(japanese_date("19000229"), std::nullopt);
}

TEST(EraDate, RefusesWhatIsNotADateFromMeijiOn) {
    for (const char *text : {"18681022", "19800230", "19801317", "19800200", "19800017", "1980021",
                             "198002170", "1980-2-17", "1980021a", " 1980021", ""})
        EXPECT_EQ(japanese_date(text), std::nullopt) << '"' << text << '"';
}

TEST(EraDate, ShowsTimeStamps) {
    EXPECT_EQ(japanese_date_time("20261124201500"), "令和8年11月24日 (2026-11-24) 20:15:00");
    EXPECT_EQ(japanese_date_time("20190501000009"), "令和元年5月1日 (2019-05-01) 00:00:09");
    for (const char *text : {"20261124240000", "20261124206000", "20261124201560", "2026112420150",
                             "20261131201500", "2026-11-24 20:15"})
        EXPECT_EQ(japanese_date_time(text), std::nullopt) << '"' << text << '"';
}
