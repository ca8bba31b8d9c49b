// Notices beside the official result (gateway-protocol.md §3/§4): the gateway's are parsed
// strictly, the result model writes them with onshi's own (医療扶助 check digits), and a notice never
// changes the verdict.
#include "gateway/protocol_messages.h"
#include "gateway/eligibility_result.h"
#include "gateway/result_notices.h"
#include "util/error.h"
#include "util/json.h"
#include "status_of.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

using namespace onshi::gateway;

namespace {

using onshi::test::status_of;

// The MHLW mod-10 routine, written out independently of registration's (whose own tests cover it).
bool luhn(std::string_view digits) {
    int sum = 0;
    bool twice = true;
    for (auto it = digits.rbegin() + 1; it != digits.rend(); ++it, twice = !twice) {
        const int d = (*it - '0') * (twice ? 2 : 1);
        sum += d / 10 + d % 10;
    }
    return (10 - sum % 10) % 10 == digits.back() - '0';
}

const std::string kResult =
    R"({"XmlMsg":{"MessageHeader":{"SegmentOfResult":"1"},"MessageBody":{"ProcessingResultStatus":"1","QualificationValidity":"1",)"
    R"("ResultList":{"ResultOfQualificationConfirmation":[{"InsurerNumber":"06130488","Name":"試験　太郎"}]}}}})";

std::string answer(const std::string &notices) {
    return R"({"confirmation":{"id":"C-1","method":"pin","time":"20261205101500"},"result":)" + kResult + notices + "}";
}

rapidjson::Document host(const std::string &json) {
    return onshi::json::parse(json, "host", ONSHI_E_INTERNAL, {.max_bytes = 1 << 20, .max_depth = 64});
}

TEST(Notices, TheGatewaysAreParsedWithTheirDetails) {
    ConfirmationResponse r = parse_confirmation_response(answer(
        R"(,"notices":[{"code":"CERT_EXPIRED_GRACE","message_ja":"期限切れ","message_en":"expired","expires_on":"2026-11-15","usable_until":"2027-02-28"}])"));
    ASSERT_EQ(r.notices.size(), 1u);
    EXPECT_EQ(r.notices[0].code, "CERT_EXPIRED_GRACE");
    EXPECT_EQ(r.notices[0].ja, "期限切れ");
    EXPECT_EQ(r.notices[0].en, "expired");
    ASSERT_EQ(r.notices[0].details.size(), 2u);
    EXPECT_EQ(r.notices[0].details[1].first, "usable_until");
    EXPECT_EQ(r.notices[0].details[1].second, "2027-02-28");
    // Absent, null or empty: none (a gateway before notices existed).
    EXPECT_TRUE(parse_confirmation_response(answer("")).notices.empty());
    EXPECT_TRUE(parse_confirmation_response(answer(R"(,"notices":null)")).notices.empty());
    EXPECT_TRUE(parse_confirmation_response(answer(R"(,"notices":[])")).notices.empty());
}

TEST(Notices, MalformedOnesAreAProtocolError) {
    for (const char *bad : {R"(,"notices":{})", R"(,"notices":[1])", R"(,"notices":[{"code":"X"}])",
                            R"(,"notices":[{"code":"lower","message_ja":"a","message_en":"b"}])",
                            R"(,"notices":[{"code":"X","message_ja":"a","message_en":"b","n":1}])",
                            R"(,"notices":[{"code":"X","message_ja":"a","message_en":"b","ja":"twice"}])"}) {
        EXPECT_EQ(status_of([&] { parse_confirmation_response(answer(bad)); }), ONSHI_E_GATEWAY_PROTOCOL) << bad;
    }
    std::string many = R"(,"notices":[)";
    for (int i = 0; i < 17; ++i) many += std::string(i ? "," : "") + R"({"code":"X","message_ja":"a","message_en":"b"})";
    EXPECT_EQ(status_of([&] { parse_confirmation_response(answer(many + "]")); }), ONSHI_E_GATEWAY_PROTOCOL);
}

TEST(Notices, TheResultCarriesThemAndTheMediumWithoutChangingTheVerdict) {
    ResultDetails options;
    options.medium = "android";
    options.notices = {Notice{"CERT_EXPIRES_SOON", "更新を", "renew", {{"expires_on", "2027-01-04"}}}};
    auto doc = host(eligibility_result_json(kResult, options));
    EXPECT_STREQ(doc["verdict"].GetString(), "eligible");
    EXPECT_STREQ(doc["medium"].GetString(), "android");
    ASSERT_TRUE(doc["notices"].IsArray());
    ASSERT_EQ(doc["notices"].Size(), 1u);
    EXPECT_STREQ(doc["notices"][0]["code"].GetString(), "CERT_EXPIRES_SOON");
    EXPECT_STREQ(doc["notices"][0]["ja"].GetString(), "更新を");
    EXPECT_STREQ(doc["notices"][0]["en"].GetString(), "renew");
    EXPECT_STREQ(doc["notices"][0]["expires_on"].GetString(), "2027-01-04");
    EXPECT_FALSE(doc["XmlMsg"].HasMember("medium")) << "onshi's own, never an official element";
    // Nothing to say: no members at all.
    auto plain = host(eligibility_result_json(kResult, {}));
    EXPECT_FALSE(plain.HasMember("notices"));
    EXPECT_FALSE(plain.HasMember("medium"));
}

std::string medical_aid(const std::string &insurer, const std::string &number, const std::string &card_class = "A1") {
    return R"({"XmlMsg":{"MessageHeader":{"SegmentOfResult":"1"},"MessageBody":{"ProcessingResultStatus":"1","QualificationValidity":"1",)"
           R"("ResultList":{"ResultOfQualificationConfirmation":[{"InsuredCardClassification":")" + card_class +
           R"(","InsurerNumber":")" + insurer + R"(","InsuredIdentificationNumber":")" + number + R"("}]}}}})";
}

TEST(Notices, MedicalAidNumbersAreCheckedNeverRefused) {
    ResultDetails options;
    options.check_digit = luhn;
    // 12132015 / 5808084 check.
    EXPECT_FALSE(host(eligibility_result_json(medical_aid("12132015", "5808084"), options)).HasMember("notices"));
    auto bad = host(eligibility_result_json(medical_aid("12132016", "5808085"), options));
    EXPECT_STREQ(bad["verdict"].GetString(), "eligible") << "a check digit never refuses the answer";
    ASSERT_TRUE(bad.HasMember("notices"));
    ASSERT_EQ(bad["notices"].Size(), 2u);
    EXPECT_STREQ(bad["notices"][0]["code"].GetString(), "PUBLIC_EXPENSE_NUMBER_CHECK_DIGIT");
    EXPECT_STREQ(bad["notices"][0]["element"].GetString(), "InsurerNumber");
    EXPECT_STREQ(bad["notices"][0]["value"].GetString(), "12132016");
    EXPECT_STREQ(bad["notices"][1]["code"].GetString(), "BENEFICIARY_NUMBER_CHECK_DIGIT");
    EXPECT_STREQ(bad["notices"][1]["element"].GetString(), "InsuredIdentificationNumber");
    // Wrong shape (not 8 / 7 digits) is the same notice; spaces around are trimmed first.
    EXPECT_EQ(host(eligibility_result_json(medical_aid("1213201", " 5808084 "), options))["notices"].Size(), 1u);
    // Not 医療扶助, or no rule given: nothing is checked.
    EXPECT_FALSE(host(eligibility_result_json(medical_aid("12132016", "5808085", "01"), options)).HasMember("notices"));
    EXPECT_FALSE(host(eligibility_result_json(medical_aid("12132016", "5808085"), {})).HasMember("notices"));
}

}  // namespace
