// The one check-digit routine (検証番号) of the MHLW 設定要領, shared by 保険者番号, 公費負担者番号,
// 公費受給者番号 and 医療機関等コード (docs/eligibility-format.md §Check digits): weights 2, 1, 2, 1, ...
// from the rightmost body digit, two-digit products replaced by their digit sum, check digit =
// (10 - sum mod 10) mod 10. This is the Luhn mod-10 scheme: it detects every single-digit change
// and every swap of two adjacent digits except 0<->9 (09 / 90), which keep the same weighted sum.
#pragma once

#include <optional>
#include <string_view>

namespace onshi::registration {

// True when text is non-empty and only ASCII digits.
bool all_digits(std::string_view text) noexcept;

// The check digit (0-9) for body (ASCII digits only), or nullopt when body is empty or not digits.
std::optional<int> check_digit(std::string_view body) noexcept;

// True when number is at least two ASCII digits and its last digit is the check digit of the rest.
bool check_digit_ok(std::string_view number) noexcept;

}  // namespace onshi::registration
