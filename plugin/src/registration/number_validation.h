// Format and check-digit validation of the numbers a host keys in from a 資格確認書 or an old card
// (保険者番号, 公費負担者番号, 公費受給者番号) and of the facility's own 医療機関等コード
// (docs/eligibility-format.md §Check digits; rules in docs/registration.md). Every function appends
// its findings to a Report under the given field name and never stops at the first problem.
#pragma once

#include "registration/validation_report.h"

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace onshi::registration {

// 01-47, or the alternates 51-97 (primary + 50) used once a prefecture's range runs out.
bool insurer_prefecture_ok(std::string_view two_digits) noexcept;

// 保険者番号: 8 digits (法別2 + 都道府県2 + 保険者別3 + 検証1) or 6 digits for 国保 (都道府県2 +
// 保険者別3 + 検証1). Surrounding spaces (results pad 国保 numbers to 8) are removed first, and the
// messages say so. koukikourei: the number is from a 後期高齢者 card, so 法別 must be 39.
void check_insurer_number(std::string_view value, const std::string &field, Report &report,
                          bool koukikourei = false);
// 公費負担者番号: 8 digits (法別2 + 都道府県2 + 実施機関3 + 検証1).
void check_public_expense_number(std::string_view value, const std::string &field, Report &report);
// 公費受給者番号: 7 digits (6 + 検証1).
void check_recipient_number(std::string_view value, const std::string &field, Report &report);

// 医療機関等コード, 10 digits: 都道府県2 (01-47) + 点数表1 (1 医科, 3 歯科, 4 調剤) + 医療機関コード7,
// the check digit over the 9 leading digits. Returns the 10 digits when the shape is right (even if
// the check digit is wrong), else "".
std::string check_institution_code(std::string_view value, const std::string &field, Report &report);

// The same code as a JSON value: the 10-digit string, or {"prefecture": "34", "score_table": "1",
// "code": "0712362"} (errors on a part name "<field>.prefecture" etc.). Returns the 10 digits or "".
std::string check_institution_code_value(const rapidjson::Value &value, const std::string &field,
                                         Report &report);

// onshi_validate_numbers: {"insurer_number", "public_expense_number", "recipient_number",
// "institution_code", "insurer_kind"}, any subset but not none. Throws Error(ONSHI_E_INVALID_ARGUMENT)
// when the text is not a JSON object; everything else is in the report.
Report validate_numbers(std::string_view numbers_json);

}  // namespace onshi::registration
