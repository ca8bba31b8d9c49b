#include "era_date.h"

#include <array>
#include <cstdio>

namespace reception {
namespace {

struct Era {
    const char *name;
    int first_day; // YYYYMMDD of the era's first day
};

// Newest first. The first days as the era changes were proclaimed (明治 counts from 1868-10-23,
// the day of the proclamation, in the Gregorian calendar).
constexpr std::array<Era, 5> kEras{{
    {"令和", 20190501},
    {"平成", 19890108},
    {"昭和", 19261225},
    {"大正", 19120730},
    {"明治", 18681023},
}};

// The number made of text[from, from + count) when all of it is ASCII digits.
std::optional<int> digits(std::string_view text, std::size_t from, std::size_t count) {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && leap(year) ? 29 : days[static_cast<std::size_t>(month - 1)];
}

struct Date {
    int year, month, day;
};

std::optional<Date> parse_date(std::string_view text) {
    const auto year = digits(text, 0, 4), month = digits(text, 4, 2), day = digits(text, 6, 2);
    if (!year || !month || !day || *month < 1 || *month > 12 || *day < 1 ||
        *day > days_in_month(*year, *month))
        return std::nullopt;
    return Date{*year, *month, *day};
}

std::optional<std::string> format(const Date &d) {
    const int key = d.year * 10000 + d.month * 100 + d.day;
    for (const Era &era : kEras) {
        if (key < era.first_day)
            continue;
        const int era_year = d.year - era.first_day / 10000 + 1;
        const std::string year = era_year == 1 ? "元" : std::to_string(era_year);
        char iso[16];
        std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", d.year, d.month, d.day);
        return era.name + year + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) + "日 (" +
               iso + ")";
    }
    return std::nullopt; // before 明治
}

} // namespace

std::optional<std::string> japanese_date(std::string_view yyyymmdd) {
    if (yyyymmdd.size() != 8)
        return std::nullopt;
    const auto date = parse_date(yyyymmdd);
    return date ? format(*date) : std::nullopt;
}

std::optional<std::string> japanese_date_time(std::string_view yyyymmddhhmmss) {
    if (yyyymmddhhmmss.size() != 14)
        return std::nullopt;
    const auto date = parse_date(yyyymmddhhmmss.substr(0, 8));
    const auto hour = digits(yyyymmddhhmmss, 8, 2), minute = digits(yyyymmddhhmmss, 10, 2),
               second = digits(yyyymmddhhmmss, 12, 2);
    if (!date || !hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 59)
        return std::nullopt;
    auto text = format(*date);
    if (!text)
        return std::nullopt;
    char time[16];
    std::snprintf(time, sizeof time, " %02d:%02d:%02d", *hour, *minute, *second);
    return *text + time;
}

} // namespace reception
