#include "gateway/era_date.h"

#include <array>
#include <cstdio>

namespace onshi::gateway {
namespace {

struct Era {
    std::string_view name;
    char initial;
    int first_day;  // YYYYMMDD of the era's first day
};

// First days as proclaimed (明治 counted from the Gregorian calendar's use, as the reception
// screen sample does). Each era ends the day before the next begins.
constexpr std::array<Era, 5> kEras{{{"明治", 'M', 18681023},
                                    {"大正", 'T', 19120730},
                                    {"昭和", 'S', 19261225},
                                    {"平成", 'H', 19890108},
                                    {"令和", 'R', 20190501}}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool real_day(int y, int m, int d) {
    static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1) return false;
    return d <= days[static_cast<std::size_t>(m - 1)] + (m == 2 && leap(y) ? 1 : 0);
}

// Reads 1..max_digits digits at `at`; -1 when there is none.
int number(std::string_view s, std::size_t &at, std::size_t max_digits) {
    std::size_t n = 0;
    int v = 0;
    while (at < s.size() && is_digit(s[at]) && n < max_digits) v = v * 10 + (s[at++] - '0'), ++n;
    return n == 0 || (at < s.size() && is_digit(s[at])) ? -1 : v;
}

bool take(std::string_view s, std::size_t &at, std::string_view what) {
    if (s.substr(at, what.size()) != what) return false;
    at += what.size();
    return true;
}

std::string yyyymmdd(int y, int m, int d) {
    char out[40];  // room for any int, though callers pass a real day
    std::snprintf(out, sizeof out, "%04d%02d%02d", y, m, d);
    return out;
}

}  // namespace

std::string ascii_width(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto b0 = static_cast<unsigned char>(text[i]);
        if (b0 == 0xE3 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
            static_cast<unsigned char>(text[i + 2]) == 0x80) {  // U+3000
            out += ' ';
            i += 2;
            continue;
        }
        if (b0 == 0xEF && i + 2 < text.size()) {
            const auto b1 = static_cast<unsigned char>(text[i + 1]);
            const auto b2 = static_cast<unsigned char>(text[i + 2]);
            // U+FF01..U+FF5E: EF BC 81..BF, EF BD 80..9E
            int cp = -1;
            if (b1 == 0xBC && b2 >= 0x81 && b2 <= 0xBF) cp = 0xFF00 + (b2 - 0x80);
            if (b1 == 0xBD && b2 >= 0x80 && b2 <= 0x9E) cp = 0xFF40 + (b2 - 0x80);
            if (cp > 0) {
                out += static_cast<char>(cp - 0xFF00 + 0x20);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::optional<std::string> western_date(std::string_view text) {
    std::string s;
    for (char c : ascii_width(text))
        if (c != ' ' && c != '\t') s += c;
    // A trailing remark in parentheses, e.g. "昭和55年2月17日(1980年)".
    if (!s.empty() && s.back() == ')') {
        const std::size_t open = s.find('(');
        if (open == std::string::npos || open == 0) return std::nullopt;
        s.resize(open);
    }
    std::size_t at = 0;
    const Era *era = nullptr;
    for (const Era &e : kEras) {
        if (take(s, at, e.name)) {
            era = &e;
            break;
        }
        if (!s.empty() && (s[0] == e.initial || s[0] == e.initial - 'A' + 'a') && s.size() > 1 &&
            (is_digit(s[1]) || s.substr(1, 3) == "元")) {
            at = 1;
            era = &e;
            break;
        }
    }
    int year;
    if (era) {
        year = take(s, at, "元") ? 1 : number(s, at, 2);
        if (year < 1) return std::nullopt;
    } else {
        if (s.size() == 8 && s.find_first_not_of("0123456789") == std::string::npos) {
            const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(4, 2)), d = std::stoi(s.substr(6, 2));
            if (!real_day(y, m, d)) return std::nullopt;
            return s;
        }
        year = number(s, at, 4);
        if (year < 1000) return std::nullopt;
    }
    // 年月日, or one separator used twice.
    int month, day;
    if (take(s, at, "年")) {
        month = number(s, at, 2);
        if (month < 0 || !take(s, at, "月")) return std::nullopt;
        day = number(s, at, 2);
        if (day < 0 || !take(s, at, "日")) return std::nullopt;
    } else {
        if (at >= s.size() || (s[at] != '.' && s[at] != '/' && s[at] != '-')) return std::nullopt;
        const char sep = s[at++];
        month = number(s, at, 2);
        if (month < 0 || at >= s.size() || s[at++] != sep) return std::nullopt;
        day = number(s, at, 2);
        if (day < 0) return std::nullopt;
    }
    if (at != s.size()) return std::nullopt;
    if (era) {
        const int first_year = era->first_day / 10000;
        year += first_year - 1;
        if (!real_day(year, month, day)) return std::nullopt;
        const int date = year * 10000 + month * 100 + day;
        if (date < era->first_day) return std::nullopt;
        if (era + 1 != kEras.end() && date >= (era + 1)->first_day) return std::nullopt;
        return yyyymmdd(year, month, day);
    }
    if (!real_day(year, month, day)) return std::nullopt;
    return yyyymmdd(year, month, day);
}

}  // namespace onshi::gateway
