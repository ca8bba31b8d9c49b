#include "core/insurance_request.h"

#include "registration/check_digit.h"
#include "registration/number_validation.h"
#include "util/json.h"

namespace onshi::core {
namespace {

[[noreturn]] void invalid(const std::string &element, const std::string &en, const std::string &ja) {
    throw Error(ONSHI_E_VALIDATION, {element + ": " + en, element + ": " + ja});
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool real_date(std::string_view d) {
    if (d.size() != 8 || !registration::all_digits(d)) return false;
    const int y = std::stoi(std::string(d.substr(0, 4))), m = std::stoi(std::string(d.substr(4, 2))),
              day = std::stoi(std::string(d.substr(6, 2)));
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1868 || m < 1 || m > 12 || day < 1) return false;
    return day <= kDays[m - 1] + (m == 2 && leap(y) ? 1 : 0);
}

// Characters a terminal file cannot carry in a value: control characters (the XML is written as
// text; a tab or line break in a number is a paste accident).
bool has_control(std::string_view v) {
    for (unsigned char c : v)
        if (c < 0x20 || c == 0x7f) return true;
    return false;
}

}  // namespace

InsuranceRequest InsuranceRequest::parse(std::string_view text, std::chrono::milliseconds default_timeout) {
    rapidjson::Document doc = json::parse(text, "request_json", ONSHI_E_INVALID_ARGUMENT, {.max_bytes = 4096, .max_depth = 2});
    json::ObjectReader r(doc, "request_json", ONSHI_E_INVALID_ARGUMENT);
    InsuranceRequest out;
    auto &q = out.query;
    auto insurer = r.string("InsurerNumber", 16);
    auto symbol = r.string("InsuredCardSymbol", 160);
    auto number = r.string("InsuredIdentificationNumber", 160);
    auto branch = r.string("InsuredBranchNumber", 8);
    auto birthdate = r.string("Birthdate", 16);
    auto consent = r.string("LimitApplicationCertificateRelatedConsFlg", 4);
    auto timeout = r.integer("timeout_ms", 100, 600'000);
    r.finish();
    if (!insurer) r.fail("InsurerNumber", "is required", "必須です");
    if (!number) r.fail("InsuredIdentificationNumber", "is required", "必須です");
    if (!birthdate) r.fail("Birthdate", "is required", "必須です");

    // Leading spaces are the padding results carry ("  138057"): taken off, then put back below.
    std::string digits = *insurer;
    digits.erase(0, digits.find_first_not_of(' '));
    registration::Report report;
    registration::check_insurer_number(digits, "InsurerNumber", report);
    if (!report.valid()) {
        std::string en, ja;
        for (const auto &issue : report.errors) {
            en += (en.empty() ? "" : "; ") + issue.message.en;
            ja += (ja.empty() ? "" : "、") + issue.message.ja;
        }
        invalid("InsurerNumber", en, ja);
    }
    q.insurer_number = std::string(8 - digits.size(), ' ') + digits;

    if (symbol) {
        if (symbol->empty() || has_control(*symbol))
            invalid("InsuredCardSymbol", "must not be empty or hold control characters (leave it out when the card has none)",
                    "空や制御文字は使えません(記号のない証では省いてください)");
        q.card_symbol = *symbol;
    }
    if (number->empty() || has_control(*number))
        invalid("InsuredIdentificationNumber", "must not be empty or hold control characters", "空や制御文字は使えません");
    q.identification_number = *number;
    if (branch) {
        if (branch->size() != 2 || !registration::all_digits(*branch))
            invalid("InsuredBranchNumber", "must be 2 digits", "2桁の数字です");
        q.branch_number = *branch;
    }
    if (!real_date(*birthdate)) invalid("Birthdate", "must be a date YYYYMMDD", "日付(YYYYMMDD)を指定してください");
    q.birthdate = *birthdate;
    q.limit_consent = consent.value_or("0");
    if (q.limit_consent != "0" && q.limit_consent != "1")
        invalid("LimitApplicationCertificateRelatedConsFlg", "must be \"0\" or \"1\"", "\"0\" か \"1\" を指定してください");
    out.timeout = timeout ? std::chrono::milliseconds(*timeout) : default_timeout;
    return out;
}

}  // namespace onshi::core
