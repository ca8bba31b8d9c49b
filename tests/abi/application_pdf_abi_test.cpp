// onshi_application_render_pdf through the C ABI: a valid form gives a PDF freed with onshi_free,
// an invalid form ONSHI_E_VALIDATION naming the field, bad options ONSHI_E_INVALID_ARGUMENT; the
// same form gives the same bytes, also from several threads at once.
#include "application_form_fixture.h"

#include <onshi/onshi.h>

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace {

using abi_test::kApplicationForm;
using abi_test::PcscOffContext;

std::pair<onshi_status, std::string> render(onshi_context *ctx, const char *form, const char *options) {
    // Once the arguments are there, the call resets the outputs whatever happens.
    uint8_t *pdf = form ? reinterpret_cast<uint8_t *>(1) : nullptr;
    size_t size = form ? 12345 : 0;
    const onshi_status status = onshi_application_render_pdf(ctx, form, options, &pdf, &size);
    std::string bytes = pdf ? std::string(reinterpret_cast<const char *>(pdf), size) : std::string();
    if (!pdf) {
        EXPECT_EQ(size, 0u);
    }
    onshi_free(pdf);
    return {status, bytes};
}

}  // namespace

TEST(AbiApplicationPdf, ValidFormGivesAPdf) {
    PcscOffContext c;
    const auto [status, pdf] = render(c.ctx, kApplicationForm, nullptr);
    if (status == ONSHI_E_NOT_SUPPORTED) GTEST_SKIP() << "built without cairo/pango: " << onshi_last_error(c.ctx);
    ASSERT_EQ(status, ONSHI_OK) << onshi_last_error(c.ctx);
    EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
    EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
    EXPECT_NE(pdf.find("/FontFile"), std::string::npos) << "the font is embedded";
    EXPECT_EQ(render(c.ctx, kApplicationForm, "").second, pdf);
    EXPECT_EQ(render(c.ctx, kApplicationForm, R"({"include_password": false})").second, pdf);
    const auto [status2, with_password] = render(c.ctx, kApplicationForm, R"({"include_password": true})");
    EXPECT_EQ(status2, ONSHI_OK);
    EXPECT_NE(with_password, pdf);
}

TEST(AbiApplicationPdf, InvalidFormIsValidationError) {
    PcscOffContext c;
    std::string form = kApplicationForm;
    form.replace(form.find("3410712362"), 10, "3410712363");
    const auto [status, pdf] = render(c.ctx, form.c_str(), nullptr);
    EXPECT_EQ(status, ONSHI_E_VALIDATION);
    EXPECT_TRUE(pdf.empty());
    const std::string message = onshi_last_error(c.ctx);
    EXPECT_NE(message.find("institution_code"), std::string::npos) << message;
    EXPECT_EQ(message.find("Sakura2026Clinic"), std::string::npos);
}

TEST(AbiApplicationPdf, ArgumentErrors) {
    PcscOffContext c;
    EXPECT_EQ(render(c.ctx, kApplicationForm, R"({"include_password": 1})").first, ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(render(c.ctx, kApplicationForm, R"({"print_password": true})").first, ONSHI_E_INVALID_ARGUMENT);
    EXPECT_NE(std::string(onshi_last_error(c.ctx)).find("print_password"), std::string::npos);
    EXPECT_EQ(render(c.ctx, "not json", nullptr).first, ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(render(c.ctx, nullptr, nullptr).first, ONSHI_E_INVALID_ARGUMENT);
    uint8_t *pdf = nullptr;
    EXPECT_EQ(onshi_application_render_pdf(c.ctx, kApplicationForm, nullptr, &pdf, nullptr), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(pdf, nullptr);
    size_t size = 0;
    EXPECT_EQ(onshi_application_render_pdf(c.ctx, kApplicationForm, nullptr, nullptr, &size), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_application_render_pdf(nullptr, kApplicationForm, nullptr, &pdf, &size), ONSHI_E_INVALID_HANDLE);
}

TEST(AbiApplicationPdf, SameBytesFromSeveralThreads) {
    PcscOffContext c;
    const auto [status, expected] = render(c.ctx, kApplicationForm, nullptr);
    if (status == ONSHI_E_NOT_SUPPORTED) GTEST_SKIP() << "built without cairo/pango";
    ASSERT_FALSE(expected.empty());
    std::vector<std::string> got(4);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < got.size(); ++i)
        threads.emplace_back([&, i] {
            for (int n = 0; n < 2; ++n) got[i] = render(c.ctx, kApplicationForm, nullptr).second;
        });
    for (auto &t : threads) t.join();
    for (const auto &pdf : got) EXPECT_EQ(pdf, expected);
}
