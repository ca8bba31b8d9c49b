// The host's request for a 個別照会 (the JSON of onshi_check_by_insurance), checked completely
// before any file is written: official element names, the InsurerNumber's shape and check digit
// (registration/number_validation.h), a real Birthdate, the 限度額 consent flag.
#pragma once

#include "gateway/terminal_query.h"

#include <chrono>
#include <string_view>

namespace onshi::core {

struct InsuranceRequest {
    gateway::InsuranceQuery query;  // values as they go into the request file
    std::chrono::milliseconds timeout{0};

    // Throws Error(ONSHI_E_INVALID_ARGUMENT) for JSON that is not an object of strings with the
    // official names (naming the member), Error(ONSHI_E_VALIDATION) for values that fail the checks
    // (naming the element and the rule, never the value). A 6-digit 国保 InsurerNumber is padded
    // with two leading spaces to the 8 characters the terminal expects.
    static InsuranceRequest parse(std::string_view json, std::chrono::milliseconds default_timeout);
};

}  // namespace onshi::core
