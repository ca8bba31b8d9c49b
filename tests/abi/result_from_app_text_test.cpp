// onshi_result_from_app_text as a C host calls it, on texts the sandbox rendered from its personas
// (tests/data/app_text, `onshi-sandbox app-text --persona P`): fields by official name, 和暦 dates
// as YYYYMMDD, onshi's own "app_text" member, refusals.
#include "result_reading.h"

#include <onshi/onshi.h>

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace {

using onshi_test::field;

std::string fixture(const std::string &name) { return onshi_test::read_fixture(ONSHI_TEST_APP_TEXT_DIR, name); }

TEST(ResultFromAppText, APersonasTextByOfficialName) {
    const std::string text = fixture("valid-honnin.txt");
    onshi_result *r = nullptr;
    ASSERT_EQ(onshi_result_from_app_text(nullptr, text.data(), text.size(), &r), ONSHI_OK) << onshi_last_error(nullptr);
    EXPECT_EQ(field(r, "verdict"), "eligible");
    EXPECT_EQ(field(r, "source"), "app_text");
    EXPECT_EQ(field(r, "InsurerNumber"), "06130488");
    EXPECT_EQ(field(r, "InsuredBranchNumber"), "00");
    EXPECT_EQ(field(r, "Sex1"), "1");
    EXPECT_EQ(field(r, "QualificationDate"), "20180401");
    EXPECT_EQ(field(r, "QualificationConfirmationDate"), "20261205");
    EXPECT_EQ(field(r, "inferred", 2), "QualificationValidity");  // what onshi filled in, by index
    const char *json = nullptr;
    ASSERT_EQ(onshi_result_json(r, &json), ONSHI_OK);
    EXPECT_NE(std::strstr(json, "\"app_text\":{\"inferred\":[\"SegmentOfResult\",\"ProcessingResultStatus\","
                                "\"QualificationValidity\"],\"unmapped\":[]}"),
              nullptr)
        << json;
    onshi_result_free(r);
}

TEST(ResultFromAppText, SectionsThroughAContext) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(R"({"pcsc":{"enabled":false},"locale":"ja"})", &ctx), ONSHI_OK);
    for (const char *name : {"limit-cert.txt", "elderly-70.txt"}) {
        const std::string text = fixture(name);
        onshi_result *r = nullptr;
        ASSERT_EQ(onshi_result_from_app_text(ctx, text.data(), text.size(), &r), ONSHI_OK) << name << onshi_last_error(ctx);
        if (std::string(name) == "limit-cert.txt") {
            EXPECT_EQ(field(r, "LimitApplicationCertificateClassificationFlag"), "A03");
            EXPECT_EQ(field(r, "LimitApplicationCertificateValidEndDate"), "20270731");
        } else {
            EXPECT_EQ(field(r, "ElderlyRecipientContributionRatio"), "020");
            EXPECT_EQ(field(r, "InsurerNumber"), "138057");  // the app shows no padding
        }
        onshi_result_free(r);
    }
    onshi_close(ctx);
}

TEST(ResultFromAppText, RefusalsLeaveNoResult) {
    onshi_result *r = reinterpret_cast<onshi_result *>(8);
    const char *not_a_result = "受付番号：12\n";
    EXPECT_EQ(onshi_result_from_app_text(nullptr, not_a_result, std::strlen(not_a_result), &r), ONSHI_E_PARSE);
    EXPECT_EQ(r, nullptr);
    EXPECT_NE(std::strstr(onshi_last_error(nullptr), "保険者番号"), nullptr);
    EXPECT_EQ(onshi_result_from_app_text(nullptr, nullptr, 0, &r), ONSHI_E_PARSE);  // empty
    EXPECT_EQ(onshi_result_from_app_text(nullptr, nullptr, 5, &r), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_result_from_app_text(nullptr, "x", 1, nullptr), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_result_from_app_text(reinterpret_cast<onshi_context *>(8), "x", 1, &r), ONSHI_E_INVALID_HANDLE);
}

}  // namespace
