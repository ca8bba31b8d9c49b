// Import of the マイナ資格確認アプリ's result as staff copy it out of the app (text) into the
// eligibility result (eligibility_result.h), so that a 限定型 facility's manual checks reach the
// host through the same model as onshi's own checks (docs/folder-interface.md §App text).
//
// One "label: value" per line, in any order: full- or half-width colons, a tab or spaces between
// label and value, CRLF or LF; 和暦 (明治 to 令和, 元年) or Western dates become YYYYMMDD
// (era_date.h); headings (限度額適用認定証, 高齢受給者証) open a section whose labels fill that
// block. The official elements are built in a fixed order, whatever the text's order. What onshi
// filled in without the text saying so is listed in "app_text": {"inferred": [...]}; lines it
// does not know stay in "app_text": {"unmapped": [{"line", "section", "label", "value"}]}, so
// that nothing the staff copied is lost.
//
// Refused with Error(ONSHI_E_PARSE) and a ja/en message that names the line and the label (never
// the value: it is personal data): empty text, more than kMaxAppTextBytes or kMaxAppTextLines,
// bytes that are not UTF-8, a value that cannot be what its label says (a date that is no date,
// an insurer number that is no number, an unknown 性別), and a text without 保険者番号 and a
// 氏名 or 生年月日 (not such a result at all).
#pragma once

#include "util/json_writer.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace onshi::gateway {

inline constexpr std::size_t kMaxAppTextBytes = 64u << 10;
inline constexpr std::size_t kMaxAppTextLines = 2000;

// {"XmlMsg": {...}} as JSON text: the official part only.
std::string official_json_from_app_text(std::string_view text);

// Writes the host JSON of an app text into `out`, with "source": "app_text"; nothing is written
// when the text is refused.
void write_result_from_app_text(json::Writer &out, std::string_view text);
// The same JSON as text.
std::string result_json_from_app_text(std::string_view text);

}  // namespace onshi::gateway
