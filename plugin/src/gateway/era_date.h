// Dates as Japanese screens print them (和暦 and Western), read back into the official result's
// YYYYMMDD. The マイナ資格確認アプリ shows dates in 和暦 (docs/folder-interface.md §App text);
// the result model keeps Western dates only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace onshi::gateway {

// "昭和55年2月17日" -> "19800217". Accepts:
//   - an era name (明治, 大正, 昭和, 平成, 令和) or its initial (M, T, S, H, R, either case), a year
//     (digits or 元 for the first year), then 年 月 日 or one of . / - between the parts;
//   - a Western date: YYYY年M月D日, YYYY/M/D, YYYY-M-D, YYYY.M.D or YYYYMMDD;
//   - full-width digits and separators, spaces between the parts, and a trailing remark in
//     parentheses (half- or full-width) after the date.
// nullopt when the text is no such date, the day does not exist, or the date lies outside the
// era it names (平成31年5月1日 is 令和元年5月1日; 昭和64年 ends on 1月7日).
std::optional<std::string> western_date(std::string_view text);

// Full-width ASCII (U+FF01-FF5E, e.g. "０６" "／") as ASCII, and U+3000 as a space; every other
// character is kept. For values the official result holds in ASCII (numbers, dates).
std::string ascii_width(std::string_view text);

}  // namespace onshi::gateway
