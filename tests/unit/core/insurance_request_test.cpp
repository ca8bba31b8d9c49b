// The 個別照会 request (core/insurance_request.h): official names only, the InsurerNumber's check
// digit and 8-character padding, a real Birthdate, and messages that never repeat a value.
#include "core/insurance_request.h"
#include "util/error.h"

#include <gtest/gtest.h>

namespace onshi::core {
namespace {

using namespace std::chrono_literals;

onshi_status status_of(const std::string &json) {
    try {
        InsuranceRequest::parse(json, 1000ms);
        return ONSHI_OK;
    } catch (const Error &e) {
        return e.status();
    }
}

TEST(InsuranceRequest, AValidRequestKeepsItsValues) {
    const auto r = InsuranceRequest::parse(
        R"({"InsurerNumber":"06130488","InsuredCardSymbol":"1234","InsuredIdentificationNumber":"567",
            "InsuredBranchNumber":"00","Birthdate":"19800217","LimitApplicationCertificateRelatedConsFlg":"1",
            "timeout_ms":5000})",
        1000ms);
    EXPECT_EQ(r.query.insurer_number, "06130488");
    EXPECT_EQ(r.query.card_symbol, "1234");
    EXPECT_EQ(r.query.identification_number, "567");
    EXPECT_EQ(r.query.branch_number, "00");
    EXPECT_EQ(r.query.birthdate, "19800217");
    EXPECT_EQ(r.query.limit_consent, "1");
    EXPECT_EQ(r.timeout, 5000ms);
}

TEST(InsuranceRequest, KokuhoNumbersArePaddedToEightCharacters) {
    for (const char *given : {"138057", "  138057"}) {
        const auto r = InsuranceRequest::parse(
            std::string(R"({"InsurerNumber":")") + given + R"(","InsuredIdentificationNumber":"2468","Birthdate":"19500101"})",
            1000ms);
        EXPECT_EQ(r.query.insurer_number, "  138057") << given;
        EXPECT_EQ(r.query.limit_consent, "0");
        EXPECT_EQ(r.timeout, 1000ms);
    }
}

TEST(InsuranceRequest, ABadCheckDigitIsAValidationErrorThatHidesTheNumber) {
    try {
        InsuranceRequest::parse(R"({"InsurerNumber":"06130487","InsuredIdentificationNumber":"1","Birthdate":"19800217"})", 1000ms);
        FAIL() << "accepted";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_VALIDATION);
        EXPECT_NE(e.detail().en.find("InsurerNumber"), std::string::npos);
        EXPECT_EQ(e.detail().en.find("06130487"), std::string::npos);
    }
}

TEST(InsuranceRequest, ValuesThatCannotBeRightAreValidationErrors) {
    const std::string ok_rest = R"("InsuredIdentificationNumber":"1","Birthdate":"19800217")";
    EXPECT_EQ(status_of(R"({"InsurerNumber":"0613048",)" + ok_rest + "}"), ONSHI_E_VALIDATION);
    EXPECT_EQ(status_of(R"({"InsurerNumber":"0613048A",)" + ok_rest + "}"), ONSHI_E_VALIDATION);
    const std::string insurer = R"({"InsurerNumber":"06130488",)";
    EXPECT_EQ(status_of(insurer + R"("InsuredIdentificationNumber":"1","Birthdate":"19800230"})"), ONSHI_E_VALIDATION);
    EXPECT_EQ(status_of(insurer + R"("InsuredIdentificationNumber":"1","Birthdate":"1980-02-17"})"), ONSHI_E_VALIDATION);
    EXPECT_EQ(status_of(insurer + R"("InsuredIdentificationNumber":"","Birthdate":"19800217"})"), ONSHI_E_VALIDATION);
    EXPECT_EQ(status_of(insurer + ok_rest + R"(,"InsuredBranchNumber":"0"})"), ONSHI_E_VALIDATION);
    EXPECT_EQ(status_of(insurer + ok_rest + R"(,"InsuredCardSymbol":"a\tb"})"), ONSHI_E_VALIDATION);
    EXPECT_EQ(status_of(insurer + ok_rest + R"(,"LimitApplicationCertificateRelatedConsFlg":"2"})"), ONSHI_E_VALIDATION);
    EXPECT_EQ(status_of(insurer + ok_rest + "}"), ONSHI_OK);
    EXPECT_EQ(status_of(insurer + R"("InsuredIdentificationNumber":"1","Birthdate":"20000229"})"), ONSHI_OK);
}

TEST(InsuranceRequest, ShapeErrorsAreInvalidArguments) {
    EXPECT_EQ(status_of("not json"), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(status_of("[]"), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(status_of(R"({"InsurerNumber":6130488,"InsuredIdentificationNumber":"1","Birthdate":"19800217"})"),
              ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(status_of(R"({"insurer_number":"06130488","InsuredIdentificationNumber":"1","Birthdate":"19800217"})"),
              ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(status_of(R"({"InsuredIdentificationNumber":"1","Birthdate":"19800217"})"), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(status_of(R"({"InsurerNumber":"06130488","Birthdate":"19800217"})"), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(status_of(R"({"InsurerNumber":"06130488","InsuredIdentificationNumber":"1"})"), ONSHI_E_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace onshi::core
