// onshi_validate_numbers' JSON (保険者番号, 公費負担者番号, 公費受給者番号, 医療機関等コード) and the
// check-digit routine on raw text: findings go into a report that is valid JSON; a number the
// routine accepts has, by construction, its check digit recomputable from its body.
#include "fuzz_target.h"
#include "registration/check_digit.h"
#include "registration/number_validation.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace onshi;
    const std::string_view text = fuzz::as_text(data, size);
    try {
        (void)fuzz::must_parse(registration::validate_numbers(text).to_json());
    } catch (const Error &e) {
        if (e.status() != ONSHI_E_INVALID_ARGUMENT) fuzz::property_failed();
    }
    if (registration::check_digit_ok(text)) {
        const auto digit = registration::check_digit(text.substr(0, text.size() - 1));
        if (!digit || *digit != text.back() - '0') fuzz::property_failed();
    }
    return 0;
}
