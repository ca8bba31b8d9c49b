// onshi_application_validate and onshi_validate_numbers through the C ABI: statuses, the report
// (also for ONSHI_E_VALIDATION), argument errors, the password never echoed.
#include "application_form_fixture.h"

#include <onshi/onshi.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace {

using abi_test::kApplicationForm;
using abi_test::PcscOffContext;

// Calls fn(ctx, json, &report) and returns the status and the report text (freed with onshi_free).
template <class Fn> std::pair<onshi_status, std::string> call(Fn fn, onshi_context *ctx, const char *json) {
    char *report = reinterpret_cast<char *>(1);  // must be reset by the call
    const onshi_status status = fn(ctx, json, &report);
    std::string text = report ? report : "";
    onshi_free(report);
    return {status, text};
}

}  // namespace

TEST(AbiRegistrationForms, ValidFormIsOkWithAnEmptyReport) {
    PcscOffContext c;
    const auto [status, report] = call(onshi_application_validate, c.ctx, kApplicationForm);
    EXPECT_EQ(status, ONSHI_OK) << onshi_last_error(c.ctx);
    EXPECT_EQ(report, R"({"valid":true,"errors":[],"warnings":[]})");
}

TEST(AbiRegistrationForms, InvalidFormListsEveryErrorAndSetsTheLastError) {
    PcscOffContext c;
    const std::string form = R"({"application_types":[2],"application_date":"2026-01-05","contact_name":"受付",
      "institution_code":"3410712363","institution_name":"さくら","founder_name":"桜井","phone":"12345",
      "password":"SecretPw-1","staff_count":12,"terminal_count":20,"end_date_cancel":true})";
    const auto [status, report] = call(onshi_application_validate, c.ctx, form.c_str());
    EXPECT_EQ(status, ONSHI_E_VALIDATION);
    EXPECT_EQ(report.rfind(R"({"valid":false,"errors":[{"field":"institution_code","code":"check_digit","message_ja":")", 0), 0u)
        << report;
    for (const char *expected : {R"("field":"phone","code":"format")", R"("field":"email","code":"required")",
                                 R"("field":"password","code":"format")", R"("field":"terminal_count","code":"exceeds_staff")",
                                 R"("field":"end_date_cancel","code":"requires_3")", "message_en", "検証番号"})
        EXPECT_NE(report.find(expected), std::string::npos) << expected << " not in " << report;
    EXPECT_EQ(report.find("SecretPw-1"), std::string::npos);
    const std::string last = onshi_last_error(c.ctx);
    EXPECT_TRUE(last.find("6 件") != std::string::npos || last.find("6 error") != std::string::npos) << last;
    EXPECT_EQ(last.find("SecretPw-1"), std::string::npos);
}

TEST(AbiRegistrationForms, NumbersOkAndInvalid) {
    PcscOffContext c;
    auto [ok, ok_report] = call(onshi_validate_numbers, c.ctx, R"({"insurer_number":"06130488","institution_code":"3410712362"})");
    EXPECT_EQ(ok, ONSHI_OK);
    EXPECT_EQ(ok_report, R"({"valid":true,"errors":[],"warnings":[]})");
    auto [padded, padded_report] = call(onshi_validate_numbers, c.ctx, R"({"insurer_number":"  138057"})");
    EXPECT_EQ(padded, ONSHI_OK);
    EXPECT_NE(padded_report.find(R"("warnings":[{"field":"insurer_number","code":"trimmed")"), std::string::npos) << padded_report;
    auto [bad, bad_report] = call(onshi_validate_numbers, c.ctx,
                                  R"({"insurer_number":"06130487","public_expense_number":"54016027","recipient_number":"123"})");
    EXPECT_EQ(bad, ONSHI_E_VALIDATION);
    EXPECT_NE(bad_report.find(R"({"field":"insurer_number","code":"check_digit")"), std::string::npos) << bad_report;
    EXPECT_NE(bad_report.find(R"({"field":"recipient_number","code":"format")"), std::string::npos) << bad_report;
    EXPECT_EQ(bad_report.find("public_expense_number"), std::string::npos) << bad_report;
}

TEST(AbiRegistrationForms, ArgumentErrors) {
    PcscOffContext c;
    for (auto fn : {onshi_application_validate, onshi_validate_numbers}) {
        char *report = nullptr;
        EXPECT_EQ(fn(c.ctx, nullptr, &report), ONSHI_E_INVALID_ARGUMENT);
        EXPECT_EQ(fn(c.ctx, "{}", nullptr), ONSHI_E_INVALID_ARGUMENT);
        EXPECT_EQ(fn(nullptr, "{}", &report), ONSHI_E_INVALID_HANDLE);
        for (const char *malformed : {"", "{", "[]", "{\"insurer_number\": \"06130488\",}"}) {
            report = reinterpret_cast<char *>(1);
            EXPECT_EQ(fn(c.ctx, malformed, &report), ONSHI_E_INVALID_ARGUMENT) << malformed;
            EXPECT_EQ(report, nullptr);
            EXPECT_STRNE(onshi_last_error(c.ctx), "");
        }
    }
    char *report = nullptr;
    EXPECT_EQ(onshi_validate_numbers(c.ctx, "{}", &report), ONSHI_E_INVALID_ARGUMENT);  // nothing to check
    EXPECT_EQ(onshi_application_validate(c.ctx, "{}", &report), ONSHI_E_VALIDATION);  // a form with nothing filled in
    ASSERT_NE(report, nullptr);
    EXPECT_NE(std::string(report).find(R"("field":"application_types","code":"required")"), std::string::npos);
    onshi_free(report);
}
