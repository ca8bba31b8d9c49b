// The report of onshi_application_validate / onshi_validate_numbers: every problem found, each
// naming its field, a stable code and a message in Japanese and English. Validation never stops at
// the first error, so a host can mark every field of its form at once.
#pragma once

#include "util/error.h"

#include <string>
#include <vector>

namespace onshi::registration {

struct Issue {
    std::string field;  // the JSON key, e.g. "institution_code" or "institution_code.prefecture"
    std::string code;   // stable, for the host's logic: "required", "check_digit", ... (docs/registration.md)
    Text message;       // what is wrong, for staff
};

struct Report {
    std::vector<Issue> errors;
    std::vector<Issue> warnings;  // worth showing, but the input is valid

    bool valid() const noexcept { return errors.empty(); }
    void error(std::string field, std::string code, std::string en, std::string ja);
    void warning(std::string field, std::string code, std::string en, std::string ja);
    bool has_error(const std::string &field) const;

    // {"valid": bool, "errors": [{"field", "code", "message_ja", "message_en"}...], "warnings": [...]}
    std::string to_json() const;
};

}  // namespace onshi::registration
