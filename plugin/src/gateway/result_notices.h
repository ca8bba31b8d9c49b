// Notices: what staff should be told beside the official result, each with a stable code
// (docs/gateway-protocol.md §3 and §4). The gateway sends some (the certificate-expiry rule:
// CERT_EXPIRES_SOON, CERT_EXPIRED_GRACE); the result model adds the ones the result itself calls
// for (a 医療扶助 number whose check digit does not check: docs/public-assistance.md). A notice never
// changes the verdict.
#pragma once

#include "util/json_writer.h"

#include <rapidjson/document.h>

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace onshi::gateway {

struct Notice {
    std::string code;  // [A-Z0-9_]{1,64}, stable
    std::string ja, en;
    // Further string members as sent ("expires_on", "usable_until", "element", "value"), in order.
    std::vector<std::pair<std::string, std::string>> details;
};

// The gateway answer's "notices" array (absent = none). Throws Error(ONSHI_E_GATEWAY_PROTOCOL)
// naming the member for anything that is not an array of at most 16 objects with a code,
// message_ja and message_en (strings of bounded size) and at most 8 further string members.
std::vector<Notice> parse_notices(const rapidjson::Value *notices, const char *where);

// True when `digits` (ASCII digits) ends with the check digit of the rest (registration's routine,
// handed in so that this layer needs nothing above util).
using CheckDigitRule = std::function<bool(std::string_view digits)>;

// For every ResultOfQualificationConfirmation with InsuredCardClassification A1 (医療扶助): a notice
// when the 公費負担者番号 (InsurerNumber or PublicExpenseNumber, 8 digits) or the 受給者番号
// (InsuredIdentificationNumber or BeneficiaryNumber, 7 digits) is not of that shape or does not
// check. `xml_msg` has the result model's shape (checked before).
std::vector<Notice> public_assistance_notices(const rapidjson::Value &xml_msg, const CheckDigitRule &check_digit_ok);

// "notices": [{"code", "ja", "en", ...details}] — nothing when `notices` is empty.
void write_notices(json::Writer &w, const std::vector<Notice> &notices);

}  // namespace onshi::gateway
