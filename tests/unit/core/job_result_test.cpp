// What an onshi_result handle holds: JSON written once with its field index, JSON text indexed by
// parsing, the error shape, and the face photo.
#include "core/job_result.h"

#include <gtest/gtest.h>

using onshi::Error;
using onshi::core::JobResult;

namespace {

std::string field(const JobResult &r, const char *name, std::uint32_t index = 0) {
    const std::string *v = r.field(name, index);
    return v ? *v : "<none>";
}

TEST(JobResult, BuiltOnceWithItsFieldsAndPhoto) {
    JobResult::Builder builder;
    builder.json().begin_object().member("terminal_id", "T-1").member("enrolled", true).key("list");
    builder.json().begin_array().null().end_array().end_object();
    auto result = builder.build({0x89, 'P', 'N', 'G'});
    EXPECT_EQ(result->json(), R"({"terminal_id":"T-1","enrolled":true,"list":[null]})");
    EXPECT_EQ(field(*result, "terminal_id"), "T-1");
    EXPECT_EQ(field(*result, "enrolled"), "<none>");
    EXPECT_EQ(result->photo_png(), (std::vector<std::uint8_t>{0x89, 'P', 'N', 'G'}));
}

TEST(JobResult, FromJsonIndexesTheText) {
    auto result = JobResult::from_json(R"({"a":{"Name":"x"},"Name":["y","z"]})");
    EXPECT_EQ(field(*result, "Name", 0), "x");
    EXPECT_EQ(field(*result, "Name", 2), "z");
    EXPECT_EQ(field(*result, "Name", 3), "<none>");
    EXPECT_TRUE(result->photo_png().empty());
    try {
        JobResult::from_json("{");
        FAIL() << "malformed JSON accepted";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_INTERNAL);
    }
}

TEST(JobResult, ErrorShapeWithTriesOnlyWhenKnown) {
    auto wrong_pin = JobResult::from_error(Error(ONSHI_E_PIN_INCORRECT, {"one down", "一回減"}, 2), "en");
    EXPECT_EQ(wrong_pin->json(),
              R"({"status":"ONSHI_E_PIN_INCORRECT","code":106,"message":"The PIN is incorrect",)"
              R"("action":"Ask the patient to enter it again; mind the tries left","detail":"one down","tries_left":2})")
        << wrong_pin->json();
    EXPECT_EQ(field(*wrong_pin, "status"), "ONSHI_E_PIN_INCORRECT");
    EXPECT_EQ(field(*wrong_pin, "detail"), "one down");  // the failure's three parts are indexed too
    auto no_card = JobResult::from_error(Error(ONSHI_E_NO_CARD, {}), "ja");
    EXPECT_EQ(no_card->json().find("tries_left"), std::string::npos) << no_card->json();
    EXPECT_NE(field(*no_card, "message"), "<none>");
}

}  // namespace
