// The reference gateway's fictitious insured-person records, one per persona, in the official
// 資格確認結果 element names and code values (docs/eligibility-format.md). Insurer
// numbers and the facility code carry valid check digits; names, symbols and numbers are made up.
#pragma once

#include <string>
#include <vector>

#include "gateway/registry.h"

namespace sandbox::gateway {

// person_id = persona id. Personas without a JPKI certificate (not-mynumber) have no record.
std::vector<InsuredPerson> seed_insured_persons();

// 検証番号 of the body digits (MHLW 設定要領: weights 2,1,2,... from the right, digit sums, 10 - last).
char check_digit(const std::string& body);

}  // namespace sandbox::gateway
