// The eligibility result: verdicts, labels, ratios, unknown codes, exact copies of the official values.
#include "gateway/code_tables.h"
#include "gateway/eligibility_result.h"
#include "util/json.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace {

using onshi::gateway::code_label;
using onshi::gateway::Confirmation;
using onshi::gateway::eligibility_result_json;
using onshi::gateway::ResultDetails;

// A gateway-style result (fictitious person): body fields can be overridden by text substitution.
std::string official(const std::string &segment, const std::string &status, const std::string &validity,
                     const std::string &result_list) {
    return R"({"XmlMsg":{"MessageHeader":{"ProcessExecutionTime":"20261124201500","QualificationConfirmationDate":"20261124",)"
           R"("MedicalInstitutionCode":"3410712362","ReferenceClassification":"1","SegmentOfResult":")" +
           segment + R"(","CharacterCodeIdentifier":"0"},"MessageBody":{"ProcessingResultStatus":")" + status +
           R"(","QualificationValidity":")" + validity + R"(")" + result_list + "}}}";
}

const std::string kOneResult =
    R"(,"ResultList":{"ResultOfQualificationConfirmation":[{"InsuredCardClassification":"01","InsurerNumber":"  123456",)"
    R"("InsuredCardSymbol":"12-34","InsuredIdentificationNumber":"0012","InsuredBranchNumber":"01",)"
    R"("PersonalFamilyClassification":"1","Name":"試験　花子","Sex1":"2","InsuredPartialContributionRatio":"030",)"
    R"("ElderlyRecipientCertificateInfo":{"ElderlyRecipientContributionRatio":"020"},"PrescriptionIssueSelect":"1"}]})";

rapidjson::Document host(const std::string &official_json, const ResultDetails &options = {}) {
    return onshi::json::parse(eligibility_result_json(official_json, options), "host", ONSHI_E_INTERNAL,
                              {.max_bytes = 1 << 20, .max_depth = 64});
}

std::string verdict(const std::string &official_json) { return host(official_json)["verdict"].GetString(); }

std::string ja(const rapidjson::Value &doc, const char *element) {
    return doc["labels"][element]["ja"].GetString();
}

TEST(EligibilityResult, VerdictForEveryQualificationValidity) {
    EXPECT_EQ(verdict(official("1", "1", "1", kOneResult)), "eligible");
    EXPECT_EQ(verdict(official("1", "1", "2", kOneResult)), "not_eligible");
    EXPECT_EQ(verdict(official("1", "1", "3", kOneResult)), "needs_attention");
    EXPECT_EQ(verdict(official("1", "1", "4", "")), "not_eligible");
    EXPECT_EQ(verdict(official("1", "1", "5", kOneResult)), "needs_attention");
    EXPECT_EQ(verdict(official("1", "1", "6", kOneResult)), "needs_attention");
    EXPECT_EQ(verdict(official("1", "1", "7", kOneResult)), "needs_attention");  // unknown code
    EXPECT_EQ(verdict(official("1", "1", "", kOneResult)), "needs_attention");
}

TEST(EligibilityResult, EligibleNeedsEverythingOfTheRule) {
    EXPECT_EQ(verdict(official("9", "1", "1", kOneResult)), "needs_attention");
    EXPECT_EQ(verdict(official("2", "1", "1", kOneResult)), "needs_attention");
    EXPECT_EQ(verdict(official("1", "2", "1", kOneResult)), "needs_attention");
    EXPECT_EQ(verdict(official("1", "1", "1", "")), "needs_attention");  // no result
    // two results
    std::string two = R"(,"ResultList":{"ResultOfQualificationConfirmation":[{"InsurerNumber":"1"},{"InsurerNumber":"2"}]})";
    EXPECT_EQ(verdict(official("1", "1", "1", two)), "needs_attention");
    // a single result given as an object instead of a one-element array still counts as one
    std::string object = R"(,"ResultList":{"ResultOfQualificationConfirmation":{"InsurerNumber":"1"}})";
    EXPECT_EQ(verdict(official("1", "1", "1", object)), "eligible");
    // a failed segment is never "not eligible", whatever the body says
    EXPECT_EQ(verdict(official("9", "1", "2", "")), "needs_attention");
}

TEST(EligibilityResult, LabelsEveryCodedElementPresent) {
    auto doc = host(official("1", "1", "1", kOneResult));
    EXPECT_EQ(ja(doc, "QualificationValidity"), "有効");
    EXPECT_STREQ(doc["labels"]["QualificationValidity"]["en"].GetString(), "Valid");
    EXPECT_EQ(ja(doc, "SegmentOfResult"), "正常終了");
    EXPECT_EQ(ja(doc, "ProcessingResultStatus"), "正常終了");
    EXPECT_EQ(ja(doc, "ReferenceClassification"), "マイナンバーカード");
    EXPECT_EQ(ja(doc, "CharacterCodeIdentifier"), "UTF-8");
    EXPECT_EQ(ja(doc, "InsuredCardClassification"), "被保険者証（一般）");
    EXPECT_EQ(ja(doc, "PersonalFamilyClassification"), "本人");
    EXPECT_EQ(ja(doc, "Sex1"), "女");
    EXPECT_EQ(ja(doc, "PrescriptionIssueSelect"), "電子処方箋");
    EXPECT_EQ(ja(doc, "InsuredPartialContributionRatio"), "3割");
    EXPECT_EQ(ja(doc, "ElderlyRecipientContributionRatio"), "2割");
    EXPECT_STREQ(doc["labels"]["ElderlyRecipientContributionRatio"]["en"].GetString(), "20%");
    // uncoded elements get no label
    EXPECT_FALSE(doc["labels"].HasMember("InsurerNumber"));
    EXPECT_FALSE(doc["labels"].HasMember("Name"));
}

TEST(EligibilityResult, XmlMsgIsCopiedExactly) {
    ResultDetails options;
    options.confirmation = Confirmation{"C-0001", "pin", "20261124201500"};
    auto doc = host(official("1", "1", "1", kOneResult), options);
    const auto &r = doc["XmlMsg"]["MessageBody"]["ResultList"]["ResultOfQualificationConfirmation"][0];
    EXPECT_STREQ(r["InsurerNumber"].GetString(), "  123456");
    EXPECT_STREQ(r["InsuredIdentificationNumber"].GetString(), "0012");
    EXPECT_STREQ(r["InsuredBranchNumber"].GetString(), "01");
    EXPECT_STREQ(r["Name"].GetString(), "試験　花子");
    EXPECT_STREQ(doc["confirmation"]["id"].GetString(), "C-0001");
    EXPECT_STREQ(doc["confirmation"]["method"].GetString(), "pin");
    EXPECT_FALSE(doc.HasMember("source"));
    ResultDetails xml;
    xml.source = "xml";
    auto plain = host(official("1", "1", "1", kOneResult), xml);
    EXPECT_FALSE(plain.HasMember("confirmation"));
    EXPECT_STREQ(plain["source"].GetString(), "xml");
}

TEST(EligibilityResult, TimingComesLastAndOtherIsWhatTheRestLeaves) {
    using namespace std::chrono;
    ResultDetails details;
    details.timing = onshi::gateway::CheckTiming{.card = milliseconds(120), .warm_up_wait = microseconds(1500),
                                                 .network = milliseconds(40), .total = milliseconds(200)};
    const std::string text = eligibility_result_json(official("1", "1", "1", kOneResult), details);
    EXPECT_NE(text.find(R"(,"timing":{"card_ms":120.0,"warm_up_wait_ms":1.5,"network_ms":40.0,"other_ms":38.5,"total_ms":200.0}})"),
              std::string::npos)
        << text;
    EXPECT_EQ(host(official("1", "1", "1", kOneResult)).HasMember("timing"), false) << "only a check has timing";
}

TEST(EligibilityResult, WritesTheSameFieldsAsParsingTheTextBack) {
    // The check's result is indexed while it is written (onshi_result_field), never parsed again.
    onshi::json::FieldIndex fields;
    onshi::json::Writer w(&fields);
    rapidjson::Document in = onshi::json::parse(official("1", "1", "1", kOneResult), "t", ONSHI_E_INTERNAL);
    ResultDetails details;
    details.confirmation = Confirmation{"C-1", "pin", "20261124201500"};
    onshi::gateway::write_eligibility_result(w, in, details);
    onshi::json::FieldIndex parsed = onshi::json::FieldIndex::of(onshi::json::parse(w.text(), "t", ONSHI_E_INTERNAL, {16u << 20, 64}));
    ASSERT_GT(fields.size(), 10u);
    ASSERT_EQ(fields.size(), parsed.size());
    for (const char *name : {"verdict", "id", "InsurerNumber", "Name", "ja", "en", "QualificationValidity"}) {
        for (std::uint32_t i = 0; i < 4; ++i) {
            const std::string *a = fields.find(name, i);
            const std::string *b = parsed.find(name, i);
            ASSERT_EQ(a == nullptr, b == nullptr) << name << " " << i;
            if (a) {
                EXPECT_EQ(*a, *b) << name << " " << i;
            }
        }
    }
}

TEST(EligibilityResult, Ratios) {
    EXPECT_EQ(code_label("InsuredPartialContributionRatio", "010")->ja, "1割");
    EXPECT_EQ(code_label("InsuredPartialContributionRatio", "010")->en, "10%");
    EXPECT_EQ(code_label("ElderlyRecipientContributionRatio", "020")->ja, "2割");
    EXPECT_EQ(code_label("ElderlyRecipientContributionRatio", "030")->en, "30%");
    EXPECT_EQ(code_label("ElderlyRecipientContributionRatio", "000")->ja, "0割");
    EXPECT_EQ(code_label("ElderlyRecipientContributionRatio", "015")->ja, "1.5割");
    EXPECT_FALSE(code_label("ElderlyRecipientContributionRatio", "20"));
    EXPECT_FALSE(code_label("ElderlyRecipientContributionRatio", ""));
    EXPECT_FALSE(code_label("ElderlyRecipientContributionRatio", "1O0"));
    EXPECT_FALSE(code_label("ElderlyRecipientContributionRatio", "110"));
}

TEST(EligibilityResult, CodeTables) {
    EXPECT_EQ(code_label("ReasonOfLoss", "03")->ja, "医療保険等の資格取得");
    EXPECT_EQ(code_label("ReasonOfLoss", "99")->ja, "その他");
    EXPECT_EQ(code_label("Sex2", "3")->ja, "未設定");
    EXPECT_EQ(code_label("InsuredCardClassification", "A1")->ja, "医療扶助");
    EXPECT_EQ(code_label("LimitApplicationCertificateClassification", "01")->ja, "限度額適用認定証");
    EXPECT_EQ(code_label("LimitApplicationCertificateClassificationFlag", "A03")->ja, "ウ");
    EXPECT_EQ(code_label("LimitApplicationCertificateClassificationFlag", "B10")->ja, "一般Ⅰ");
    EXPECT_EQ(code_label("LimitApplicationCertificateRelatedConsFlg", "1")->ja, "同意");
    EXPECT_EQ(code_label("PharmacistsInfoConsFlg", "3")->ja, "同意取得困難");
    EXPECT_EQ(code_label("SpecificDiseasesDiseaseCategory", "1")->ja, "人工透析を必要とする慢性腎不全");
    EXPECT_EQ(code_label("PreschoolClassification", "1")->ja, "未就学");
    EXPECT_EQ(code_label("PrescriptionIssueSelect", "2")->ja, "紙の処方箋");
    EXPECT_EQ(code_label("TicketType", "02")->ja, "調剤券");
    EXPECT_EQ(code_label("StatusOfInfecton", "01")->ja, "あり");
    EXPECT_EQ(code_label("DesignatedMedicalInstitutionFlag", "1")->ja, "不一致");
    EXPECT_EQ(code_label("SegmentOfResult", "9")->ja, "異常終了");
}

TEST(EligibilityResult, UnknownCodesGetNoLabelAndNeverFail) {
    EXPECT_FALSE(code_label("QualificationValidity", "7"));
    EXPECT_FALSE(code_label("InsuredCardClassification", "1"));  // "01" is known, "1" is not
    EXPECT_FALSE(code_label("SegmentOfResult", "3"));
    EXPECT_FALSE(code_label("InsurerNumber", "06130488"));
    std::string odd = R"(,"ResultList":{"ResultOfQualificationConfirmation":[{"InsuredCardClassification":"Z9","Sex1":"",)"
                      R"("PersonalFamilyClassification":""}]})";
    auto doc = host(official("1", "1", "9", odd));
    EXPECT_STREQ(doc["verdict"].GetString(), "needs_attention");
    EXPECT_FALSE(doc["labels"].HasMember("QualificationValidity"));
    EXPECT_FALSE(doc["labels"].HasMember("InsuredCardClassification"));
    EXPECT_FALSE(doc["labels"].HasMember("Sex1"));
}

TEST(EligibilityResult, RepeatedElementsAndBothSpecificDiseasesShapes) {
    // wrapper shape in the result, with two certificates
    std::string wrapped = R"(,"ResultList":{"ResultOfQualificationConfirmation":[{"SpecificDiseasesCertificateList":)"
                          R"({"SpecificDiseasesCertificateInfo":[{"SpecificDiseasesDiseaseCategory":"1"},)"
                          R"({"SpecificDiseasesDiseaseCategory":"8"}]}}]})";
    auto a = host(official("1", "1", "1", wrapped));
    const auto &cats = a["labels"]["SpecificDiseasesDiseaseCategory"];
    ASSERT_TRUE(cats.IsArray());
    ASSERT_EQ(cats.Size(), 2u);
    EXPECT_STREQ(cats[0]["ja"].GetString(), "人工透析を必要とする慢性腎不全");
    EXPECT_TRUE(cats[1].IsNull());
    // unwrapped (repeated list elements) at body level, PrescriptionIssueSelect in the body
    std::string body_level = kOneResult + R"(,"PrescriptionIssueSelect":"2","SpecificDiseasesCertificateList":[)"
                                          R"({"SpecificDiseasesDiseaseCategory":"2"}])";
    auto b = host(official("1", "1", "1", body_level));
    EXPECT_STREQ(b["verdict"].GetString(), "eligible");
    EXPECT_STREQ(b["labels"]["SpecificDiseasesDiseaseCategory"]["ja"].GetString(),
                 "先天性血液凝固因子障害（第VIII因子、第IX因子）");
    // in document order: the result's "1" (ResultList comes first here), then the body's "2"
    const auto &rx = b["labels"]["PrescriptionIssueSelect"];
    ASSERT_TRUE(rx.IsArray());
    EXPECT_STREQ(rx[0]["ja"].GetString(), "電子処方箋");
    EXPECT_STREQ(rx[1]["ja"].GetString(), "紙の処方箋");
}

TEST(EligibilityResult, WrongShapeIsAnErrorNotACrash) {
    auto status = [](const std::string &text) -> int {
        try {
            eligibility_result_json(text, {});
        } catch (const onshi::Error &e) {
            return static_cast<int>(e.status());
        }
        return ONSHI_OK;
    };
    EXPECT_EQ(status("[]"), ONSHI_E_GATEWAY_PROTOCOL);
    EXPECT_EQ(status("{}"), ONSHI_E_GATEWAY_PROTOCOL);
    EXPECT_EQ(status(R"({"XmlMsg":{}})"), ONSHI_E_GATEWAY_PROTOCOL);
    EXPECT_EQ(status(R"({"XmlMsg":{"MessageHeader":{"SegmentOfResult":1}}})"), ONSHI_E_GATEWAY_PROTOCOL);
    EXPECT_EQ(status(R"({"XmlMsg":{"MessageHeader":{},"MessageBody":[1]}})"), ONSHI_E_GATEWAY_PROTOCOL);
    EXPECT_EQ(status("{not json"), ONSHI_E_GATEWAY_PROTOCOL);
    // header only (an error file may have an empty body): fine
    EXPECT_EQ(status(R"({"XmlMsg":{"MessageHeader":{"SegmentOfResult":"9"},"MessageBody":""}})"), ONSHI_OK);
    try {
        eligibility_result_json("{}", {}, ONSHI_E_PARSE);
        FAIL();
    } catch (const onshi::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_PARSE);
    }
}

}  // namespace
