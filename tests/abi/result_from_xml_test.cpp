// onshi_result_from_xml as a C host calls it: fields by official name, exact strings, errors.
#include "result_reading.h"

#include <onshi/onshi.h>

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace {

using onshi_test::field;

std::string fixture(const std::string &name) { return onshi_test::read_fixture(ONSHI_TEST_XML_DIR, name); }

TEST(ResultFromXml, FieldsByOfficialName) {
    std::string xml = fixture("face_mynumber_utf8_shuffled.xml");
    onshi_result *r = nullptr;
    ASSERT_EQ(onshi_result_from_xml(nullptr, xml.data(), xml.size(), &r), ONSHI_OK) << onshi_last_error(nullptr);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(field(r, "InsurerNumber"), "  123456");
    EXPECT_EQ(field(r, "InsuredBranchNumber"), "00");
    EXPECT_EQ(field(r, "QualificationValidity"), "1");
    EXPECT_EQ(field(r, "verdict"), "eligible");
    EXPECT_EQ(field(r, "source"), "xml");
    EXPECT_EQ(field(r, "Name"), "診療　次郎");
    EXPECT_EQ(field(r, "InsurerNumber", 1), "<10>");  // ONSHI_E_NOT_FOUND
    const char *json = nullptr;
    ASSERT_EQ(onshi_result_json(r, &json), ONSHI_OK);
    EXPECT_NE(std::strstr(json, "\"labels\":{"), nullptr);
    EXPECT_NE(std::strstr(json, "\"QualificationValidity\":{\"ja\":\"有効\",\"en\":\"Valid\"}"), nullptr);
    const uint8_t *png = nullptr;
    size_t size = 0;
    EXPECT_EQ(onshi_result_photo_png(r, &png, &size), ONSHI_E_NOT_FOUND);
    onshi_result_free(r);
}

TEST(ResultFromXml, ShiftJisThroughAContext) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(R"({"pcsc":{"enabled":false},"locale":"ja"})", &ctx), ONSHI_OK);
    std::string xml = fixture("kourei70_shiftjis.xml");
    onshi_result *r = nullptr;
    ASSERT_EQ(onshi_result_from_xml(ctx, xml.data(), xml.size(), &r), ONSHI_OK) << onshi_last_error(ctx);
    EXPECT_EQ(field(r, "ElderlyRecipientContributionRatio"), "020");
    EXPECT_EQ(field(r, "Name"), "長寿　松男");
    onshi_close(ctx);
    EXPECT_EQ(field(r, "CharacterCodeIdentifier"), "1");  // results outlive the context
    onshi_result_free(r);
}

// 医療扶助 through the ABI: every public-expense element by its official name (one index per
// ticket), and the registration layer's check-digit routine wired in: a wrong 公費負担者番号 /
// 受給者番号 check digit is a notice, never a refusal.
TEST(ResultFromXml, MedicalAidElementsAndCheckDigitNotices) {
    std::string xml = fixture("medical_aid_A1.xml");
    onshi_result *r = nullptr;
    ASSERT_EQ(onshi_result_from_xml(nullptr, xml.data(), xml.size(), &r), ONSHI_OK) << onshi_last_error(nullptr);
    EXPECT_EQ(field(r, "InsuredCardClassification"), "A1");
    EXPECT_EQ(field(r, "TicketType", 0), "01");
    EXPECT_EQ(field(r, "TicketType", 1), "02");
    EXPECT_EQ(field(r, "PrescriptionIssuerMedicalInstitutionCode", 1), "3410712362");
    EXPECT_EQ(field(r, "SelfPayAmount", 1), "1200");
    EXPECT_EQ(field(r, "StatusOfInfecton", 0), "02");
    EXPECT_EQ(field(r, "Remarks1", 0), "架空の医療券です");
    EXPECT_EQ(field(r, "code"), "<10>") << "valid check digits: no notice";
    const char *json = nullptr;
    ASSERT_EQ(onshi_result_json(r, &json), ONSHI_OK);
    EXPECT_NE(std::strstr(json, R"("TicketType":[{"ja":"医療券","en":"Medical ticket"},{"ja":"調剤券")"), nullptr) << json;
    onshi_result_free(r);

    xml = fixture("medical_aid_A1_bad_check_digits.xml");
    ASSERT_EQ(onshi_result_from_xml(nullptr, xml.data(), xml.size(), &r), ONSHI_OK) << onshi_last_error(nullptr);
    EXPECT_EQ(field(r, "verdict"), "eligible");
    EXPECT_EQ(field(r, "code", 0), "PUBLIC_EXPENSE_NUMBER_CHECK_DIGIT");
    EXPECT_EQ(field(r, "code", 1), "BENEFICIARY_NUMBER_CHECK_DIGIT");
    EXPECT_EQ(field(r, "value", 0), "12132016");
    onshi_result_free(r);
}

// A result whose processing failed is no result: the import fails with the file's own code and
// message (onshi_last_error), and hands out nothing to free.
TEST(ResultFromXml, AFailedProcessingIsAFailure) {
    std::string xml = fixture("error_segment9.xml");
    onshi_result *r = nullptr;
    EXPECT_EQ(onshi_result_from_xml(nullptr, xml.data(), xml.size(), &r), ONSHI_E_ELIGIBILITY_ERROR);
    EXPECT_EQ(r, nullptr);
    const std::string message = onshi_last_error(nullptr);
    EXPECT_NE(message.find("XX9999"), std::string::npos) << message;
    EXPECT_NE(message.find("システムエラーが発生しました（テスト用）"), std::string::npos) << message;
    EXPECT_STREQ(onshi_status_name(ONSHI_E_ELIGIBILITY_ERROR), "ONSHI_E_ELIGIBILITY_ERROR");
}

TEST(ResultFromXml, BadInputIsParseErrorWithMessage) {
    onshi_result *r = reinterpret_cast<onshi_result *>(1);
    EXPECT_EQ(onshi_result_from_xml(nullptr, "<x/>", 4, &r), ONSHI_E_PARSE);
    EXPECT_EQ(r, nullptr);
    std::string message = onshi_last_error(nullptr);
    EXPECT_NE(message.find("XmlMsg"), std::string::npos) << message;
    EXPECT_EQ(onshi_result_from_xml(nullptr, nullptr, 0, &r), ONSHI_E_PARSE);  // empty
    EXPECT_EQ(onshi_result_from_xml(nullptr, nullptr, 5, &r), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_result_from_xml(nullptr, "<x/>", 4, nullptr), ONSHI_E_INVALID_ARGUMENT);
    std::string truncated = fixture("invalid_loss_validity2.xml").substr(0, 300);
    EXPECT_EQ(onshi_result_from_xml(nullptr, truncated.data(), truncated.size(), &r), ONSHI_E_PARSE);
    message = onshi_last_error(nullptr);
    EXPECT_NE(message.find("行目"), std::string::npos) << message;
    EXPECT_NE(message.find("line"), std::string::npos) << message;
    // a context that is not live
    EXPECT_EQ(onshi_result_from_xml(reinterpret_cast<onshi_context *>(8), "<x/>", 4, &r), ONSHI_E_INVALID_HANDLE);
}

}  // namespace
