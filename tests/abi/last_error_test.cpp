// Every failure an entry point returns - thrown inside onshi or answered without an exception (a
// poll or a wait that ran out, an absent element) - leaves a message in onshi_last_error that
// describes that call: under the handle the call was made with (NULL for context-less calls), on
// the calling thread, in the context's locale (both languages without a context). And every
// status a call returns is one its comment in onshi.h lists (@retval). No card is needed: these
// are the failures a host can meet before any card work.
#include "application_form_fixture.h"
#include "header_contract.h"
#include "silent_server.h"

#include <onshi/onshi.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;

constexpr const char *kEnglish = R"({"pcsc":{"enabled":false},"locale":"en"})";
// Setup credentials of the right shape (the job would fail: no gateway is configured).
constexpr const char *kSetup = R"({"facility_code":"3410712362","enrollment_id":"ENR-1","setup_password":"p"})";

enum class Language { en, ja, both };

class LastError : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        documented_ = new std::map<std::string, abi_test::DocumentedFunction>(
            abi_test::documented_functions(abi_test::read_header()));
    }
    static void TearDownTestSuite() {
        // What the header lists but no test here can provoke without a card, a gateway or a
        // missing font: for the reviewer, not an assertion.
        std::string unprovoked;
        for (const auto &[function, f] : *documented_)
            for (const auto &s : f.statuses)
                if (s != "ONSHI_OK" && !observed_.count(function + ":" + s)) unprovoked += function + ":" + s + " ";
        std::printf("[ figures ] %zu (function, failure) pairs provoked, each with its message; documented but "
                    "not provoked here: %s\n",
                    observed_.size(), unprovoked.c_str());
        delete documented_;
        documented_ = nullptr;
    }

    void SetUp() override {
        ASSERT_EQ(onshi_open(kEnglish, &ctx_), ONSHI_OK);
        ASSERT_EQ(onshi_open(kEnglish, &elsewhere_), ONSHI_OK);
    }
    void TearDown() override {
        onshi_close(ctx_);
        onshi_close(elsewhere_);
    }

    // Leaves this thread's last error with another handle than `handle`, so that a call that
    // fails without recording its own message is caught (onshi_last_error(handle) stays "").
    void record_elsewhere(const onshi_context *handle) {
        if (handle)
            ASSERT_EQ(onshi_result_json(nullptr, nullptr), ONSHI_E_INVALID_ARGUMENT);
        else
            ASSERT_EQ(onshi_job_cancel(elsewhere_, 0), ONSHI_E_NOT_FOUND);
        ASSERT_STREQ(onshi_last_error(handle), "");
    }

    // `status` is `expected`, the header lists it for `function`, and `message` (the last error
    // read right after the call) names the status in `language` and says `about`.
    static void verify(const std::string &function, onshi_status status, onshi_status expected, const std::string &message,
                       Language language, const std::string &about) {
        SCOPED_TRACE(function + " -> " + onshi_status_name(status) + ": \"" + message + "\"");
        EXPECT_EQ(status, expected) << "expected " << onshi_status_name(expected);
        const auto documented = documented_->find(function);
        ASSERT_NE(documented, documented_->end()) << function << " is not declared in onshi.h";
        EXPECT_TRUE(documented->second.statuses.count(onshi_status_name(status)))
            << function << " returned " << onshi_status_name(status) << ", which its @retval list does not name";
        const std::string en = onshi_status_message(status, "en"), ja = onshi_status_message(status, "ja");
        switch (language) {
        case Language::en: EXPECT_EQ(message.rfind(en, 0), 0u) << "not the English message of the status"; break;
        case Language::ja: EXPECT_EQ(message.rfind(ja, 0), 0u) << "not the Japanese message of the status"; break;
        case Language::both:
            EXPECT_EQ(message.rfind(ja, 0), 0u) << "no Japanese first";
            EXPECT_NE(message.find(" / " + en), std::string::npos) << "no English after it";
            break;
        }
        EXPECT_NE(message.find(about), std::string::npos) << "the message does not say \"" << about << "\"";
        std::lock_guard lock(mutex_);
        observed_.insert(function + ":" + onshi_status_name(status));
    }

    // Calls `call` (which fails with `expected`) and checks the last error it leaves for `handle`.
    void expect_failure(const std::string &function, const onshi_context *handle, Language language,
                        onshi_status expected, const std::string &about, const std::function<onshi_status()> &call) {
        record_elsewhere(handle);
        const onshi_status status = call();
        verify(function, status, expected, onshi_last_error(handle), language, about);
    }

    // A result of a failed job: the check needs a registered terminal, which this context has not.
    onshi_result *failed_job_result() {
        onshi_job_id job = 0;
        EXPECT_EQ(onshi_check_eligibility(ctx_, nullptr, nullptr, &job), ONSHI_OK);
        EXPECT_EQ(onshi_job_wait(ctx_, job, 10000, nullptr), ONSHI_OK);
        onshi_result *result = nullptr;
        EXPECT_EQ(onshi_job_result(ctx_, job, &result), ONSHI_OK);
        onshi_job_release(ctx_, job);
        return result;
    }

    onshi_context *ctx_ = nullptr;
    onshi_context *elsewhere_ = nullptr;

private:
    static inline std::map<std::string, abi_test::DocumentedFunction> *documented_ = nullptr;
    static inline std::mutex mutex_;
    static inline std::set<std::string> observed_;
};

TEST_F(LastError, ContextlessCallsLeaveItUnderNullInBothLanguages) {
    onshi_context *opened = nullptr;
    expect_failure("onshi_open", nullptr, Language::both, ONSHI_E_INVALID_ARGUMENT, "out_context",
                   [&] { return onshi_open(nullptr, nullptr); });
    expect_failure("onshi_open", nullptr, Language::both, ONSHI_E_CONFIG, "config.colour",
                   [&] { return onshi_open(R"({"colour": 1})", &opened); });
    EXPECT_EQ(opened, nullptr);

    onshi_result *result = failed_job_result();
    ASSERT_NE(result, nullptr);
    auto *dead = reinterpret_cast<const onshi_result *>(0xdeadbeef);
    const char *text = nullptr;
    const uint8_t *png = nullptr;
    size_t size = 0;
    expect_failure("onshi_result_json", nullptr, Language::both, ONSHI_E_INVALID_ARGUMENT, "out_json",
                   [&] { return onshi_result_json(result, nullptr); });
    expect_failure("onshi_result_json", nullptr, Language::both, ONSHI_E_INVALID_HANDLE, "onshi_result",
                   [&] { return onshi_result_json(dead, &text); });
    expect_failure("onshi_result_field", nullptr, Language::both, ONSHI_E_INVALID_ARGUMENT, "element_name",
                   [&] { return onshi_result_field(result, nullptr, 0, &text); });
    expect_failure("onshi_result_field", nullptr, Language::both, ONSHI_E_INVALID_ARGUMENT, "out_value",
                   [&] { return onshi_result_field(result, "status", 0, nullptr); });
    expect_failure("onshi_result_field", nullptr, Language::both, ONSHI_E_INVALID_HANDLE, "onshi_result",
                   [&] { return onshi_result_field(dead, "status", 0, &text); });
    expect_failure("onshi_result_field", nullptr, Language::both, ONSHI_E_NOT_FOUND, "no such element",
                   [&] { return onshi_result_field(result, "InsurerNumber", 0, &text); });
    expect_failure("onshi_result_field", nullptr, Language::both, ONSHI_E_NOT_FOUND, "index + 1",
                   [&] { return onshi_result_field(result, "status", 1, &text); });
    EXPECT_EQ(text, nullptr);
    expect_failure("onshi_result_photo_png", nullptr, Language::both, ONSHI_E_INVALID_ARGUMENT, "out_png",
                   [&] { return onshi_result_photo_png(result, nullptr, &size); });
    expect_failure("onshi_result_photo_png", nullptr, Language::both, ONSHI_E_INVALID_ARGUMENT, "out_size",
                   [&] { return onshi_result_photo_png(result, &png, nullptr); });
    expect_failure("onshi_result_photo_png", nullptr, Language::both, ONSHI_E_INVALID_HANDLE, "onshi_result",
                   [&] { return onshi_result_photo_png(dead, &png, &size); });
    expect_failure("onshi_result_photo_png", nullptr, Language::both, ONSHI_E_NOT_FOUND, "photo",
                   [&] { return onshi_result_photo_png(result, &png, &size); });
    onshi_result_free(result);

    onshi_result *parsed = nullptr;
    expect_failure("onshi_result_from_xml", nullptr, Language::both, ONSHI_E_INVALID_ARGUMENT, "out_result",
                   [&] { return onshi_result_from_xml(nullptr, "<x/>", 4, nullptr); });
    expect_failure("onshi_result_from_xml", nullptr, Language::both, ONSHI_E_INVALID_ARGUMENT, "xml must not be NULL",
                   [&] { return onshi_result_from_xml(nullptr, nullptr, 4, &parsed); });
    expect_failure("onshi_result_from_xml", nullptr, Language::both, ONSHI_E_PARSE, "XmlMsg",
                   [&] { return onshi_result_from_xml(nullptr, "<x/>", 4, &parsed); });
    expect_failure("onshi_result_from_app_text", nullptr, Language::both, ONSHI_E_INVALID_ARGUMENT, "out_result",
                   [&] { return onshi_result_from_app_text(nullptr, "x", 1, nullptr); });
    expect_failure("onshi_result_from_app_text", nullptr, Language::both, ONSHI_E_INVALID_ARGUMENT, "text must not be NULL",
                   [&] { return onshi_result_from_app_text(nullptr, nullptr, 4, &parsed); });
    expect_failure("onshi_result_from_app_text", nullptr, Language::both, ONSHI_E_PARSE, "保険者番号",
                   [&] { return onshi_result_from_app_text(nullptr, "note: x", 7, &parsed); });
    EXPECT_EQ(parsed, nullptr);
}

TEST_F(LastError, ContextCallsLeaveItUnderTheirContextInItsLocale) {
    const auto en = Language::en;
    onshi_event event{};
    event.struct_size = sizeof event;
    char *text = nullptr;
    onshi_job_id job = 0;
    expect_failure("onshi_poll_event", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "out_event",
                   [&] { return onshi_poll_event(ctx_, 0, nullptr); });
    onshi_event small{};
    small.struct_size = 8;
    expect_failure("onshi_poll_event", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "struct_size",
                   [&] { return onshi_poll_event(ctx_, 0, &small); });
#if !defined(_WIN32)
    expect_failure("onshi_set_event_window", ctx_, en, ONSHI_E_NOT_SUPPORTED, "Windows",
                   [&] { return onshi_set_event_window(ctx_, reinterpret_cast<void *>(1), 0x8001); });
#endif
    expect_failure("onshi_list_readers", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "out_json",
                   [&] { return onshi_list_readers(ctx_, nullptr); });
    expect_failure("onshi_list_readers", ctx_, en, ONSHI_E_PCSC_UNAVAILABLE, "disabled",
                   [&] { return onshi_list_readers(ctx_, &text); });
    EXPECT_EQ(text, nullptr);

    expect_failure("onshi_check_eligibility", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "out_job",
                   [&] { return onshi_check_eligibility(ctx_, "{}", nullptr, nullptr); });
    expect_failure("onshi_check_eligibility", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "method",
                   [&] { return onshi_check_eligibility(ctx_, R"({"method": "fax"})", nullptr, &job); });
    expect_failure("onshi_check_eligibility", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "64",
                   [&] { return onshi_check_eligibility(ctx_, "{}", std::string(65, '1').c_str(), &job); });
    expect_failure("onshi_check_eligibility", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "without photo",
                   [&] { return onshi_check_eligibility(ctx_, R"({"method": "visual"})", "1234", &job); });
    expect_failure("onshi_check_eligibility", ctx_, en, ONSHI_E_PIN_FORMAT, "4 digits",
                   [&] { return onshi_check_eligibility(ctx_, R"({"method": "pin"})", "12a4", &job); });
    expect_failure("onshi_check_eligibility", ctx_, en, ONSHI_E_COLLATION_B_FORMAT, "no try was spent",
                   [&] { return onshi_check_eligibility(ctx_, R"({"method": "visual", "photo": true})", "1234", &job); });
    EXPECT_EQ(job, 0u);

    onshi_job_id ended = 0;
    ASSERT_EQ(onshi_check_eligibility(ctx_, nullptr, nullptr, &ended), ONSHI_OK);
    ASSERT_EQ(onshi_job_wait(ctx_, ended, 10000, nullptr), ONSHI_OK);
    expect_failure("onshi_provide_pin", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "secret",
                   [&] { return onshi_provide_pin(ctx_, ended, nullptr, 0); });
    expect_failure("onshi_provide_pin", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "flags",
                   [&] { return onshi_provide_pin(ctx_, ended, "1234", 0x80); });
    expect_failure("onshi_provide_pin", ctx_, en, ONSHI_E_NOT_FOUND, "777",
                   [&] { return onshi_provide_pin(ctx_, 777, "1234", 0); });
    expect_failure("onshi_provide_pin", ctx_, en, ONSHI_E_WRONG_STATE, "not waiting",
                   [&] { return onshi_provide_pin(ctx_, ended, "1234", 0); });

    int32_t state = 0;
    onshi_result *result = nullptr;
    expect_failure("onshi_job_cancel", ctx_, en, ONSHI_E_NOT_FOUND, "777", [&] { return onshi_job_cancel(ctx_, 777); });
    expect_failure("onshi_job_wait", ctx_, en, ONSHI_E_NOT_FOUND, "777", [&] { return onshi_job_wait(ctx_, 777, 0, nullptr); });
    expect_failure("onshi_job_state", ctx_, en, ONSHI_E_NOT_FOUND, "777",
                   [&] { return onshi_job_state(ctx_, 777, &state, nullptr); });
    expect_failure("onshi_job_result", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "out_result",
                   [&] { return onshi_job_result(ctx_, ended, nullptr); });
    expect_failure("onshi_job_result", ctx_, en, ONSHI_E_NOT_FOUND, "777", [&] { return onshi_job_result(ctx_, 777, &result); });
    expect_failure("onshi_job_release", ctx_, en, ONSHI_E_NOT_FOUND, "777", [&] { return onshi_job_release(ctx_, 777); });
    EXPECT_EQ(onshi_job_release(ctx_, ended), ONSHI_OK);
    expect_failure("onshi_job_state", ctx_, en, ONSHI_E_NOT_FOUND, "already released",
                   [&] { return onshi_job_state(ctx_, ended, &state, nullptr); });

    onshi_result *parsed = nullptr;
    expect_failure("onshi_result_from_xml", ctx_, en, ONSHI_E_PARSE, "XmlMsg",
                   [&] { return onshi_result_from_xml(ctx_, "<x/>", 4, &parsed); });
    expect_failure("onshi_result_from_app_text", ctx_, en, ONSHI_E_PARSE, "line 1 (生年月日)",
                   [&] {
                       const char *bad_date = "生年月日：昭和99年1月1日";
                       return onshi_result_from_app_text(ctx_, bad_date, std::strlen(bad_date), &parsed);
                   });
}

TEST_F(LastError, RegistrationCallsLeaveTheirReportsMessage) {
    const auto en = Language::en;
    char *report = nullptr;
    onshi_job_id job = 0;
    expect_failure("onshi_application_validate", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "form_json",
                   [&] { return onshi_application_validate(ctx_, nullptr, &report); });
    expect_failure("onshi_application_validate", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "JSON object",
                   [&] { return onshi_application_validate(ctx_, "[]", &report); });
    EXPECT_EQ(report, nullptr);
    expect_failure("onshi_application_validate", ctx_, en, ONSHI_E_VALIDATION, "error(s), the first",
                   [&] { return onshi_application_validate(ctx_, "{}", &report); });
    EXPECT_NE(report, nullptr) << "the report is handed out with ONSHI_E_VALIDATION";
    onshi_free(report);
    report = nullptr;

    uint8_t *pdf = nullptr;
    size_t size = 0;
    expect_failure("onshi_application_render_pdf", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "out_size",
                   [&] { return onshi_application_render_pdf(ctx_, abi_test::kApplicationForm, nullptr, &pdf, nullptr); });
    expect_failure("onshi_application_render_pdf", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "options_json",
                   [&] { return onshi_application_render_pdf(ctx_, abi_test::kApplicationForm, R"({"colour": 1})", &pdf, &size); });
    expect_failure("onshi_application_render_pdf", ctx_, en, ONSHI_E_VALIDATION, "see onshi_application_validate",
                   [&] { return onshi_application_render_pdf(ctx_, "{}", nullptr, &pdf, &size); });
    EXPECT_EQ(pdf, nullptr);

    expect_failure("onshi_validate_numbers", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "names no number",
                   [&] { return onshi_validate_numbers(ctx_, "{}", &report); });
    expect_failure("onshi_validate_numbers", ctx_, en, ONSHI_E_VALIDATION, "1 error(s), the first",
                   [&] { return onshi_validate_numbers(ctx_, R"({"insurer_number": "06130489"})", &report); });
    EXPECT_NE(report, nullptr);
    onshi_free(report);

    expect_failure("onshi_terminal_enroll", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "setup_json",
                   [&] { return onshi_terminal_enroll(ctx_, nullptr, &job); });
    expect_failure("onshi_terminal_enroll", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "setup_json",
                   [&] { return onshi_terminal_enroll(ctx_, "{}", &job); });
    expect_failure("onshi_terminal_status", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "out_job",
                   [&] { return onshi_terminal_status(ctx_, nullptr); });
    expect_failure("onshi_terminal_set_end_date", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "YYYY-MM-DD",
                   [&] { return onshi_terminal_set_end_date(ctx_, "2030-3-31", &job); });
    expect_failure("onshi_terminal_unenroll", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "out_job",
                   [&] { return onshi_terminal_unenroll(ctx_, nullptr); });
    expect_failure("onshi_terminal_renew", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "out_job",
                   [&] { return onshi_terminal_renew(ctx_, nullptr); });
    expect_failure("onshi_reader_diagnose", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "out_job",
                   [&] { return onshi_reader_diagnose(ctx_, "{}", nullptr); });
    expect_failure("onshi_reader_diagnose", ctx_, en, ONSHI_E_INVALID_ARGUMENT, "method",
                   [&] { return onshi_reader_diagnose(ctx_, R"({"method":"pin"})", &job); });
    EXPECT_EQ(job, 0u);
}

// A handle that is not an open context - NULL, closed, never opened - is named in both
// languages, under that very handle.
TEST_F(LastError, EveryContextCallOnADeadOrNullContextSaysSo) {
    onshi_context *closed = nullptr;
    ASSERT_EQ(onshi_open(kEnglish, &closed), ONSHI_OK);
    ASSERT_EQ(onshi_close(closed), ONSHI_OK);
    for (onshi_context *dead : {closed, static_cast<onshi_context *>(nullptr), reinterpret_cast<onshi_context *>(0x10)}) {
        SCOPED_TRACE(dead ? "a dead context" : "NULL");
        onshi_job_id job = 0;
        char *text = nullptr;
        onshi_event event{};
        event.struct_size = sizeof event;
        onshi_result *result = nullptr;
        uint8_t *pdf = nullptr;
        size_t size = 0;
        const std::map<std::string, std::function<onshi_status()>> calls = {
            {"onshi_set_event_callback", [&] { return onshi_set_event_callback(dead, nullptr, nullptr); }},
            {"onshi_poll_event", [&] { return onshi_poll_event(dead, 0, &event); }},
            {"onshi_set_event_window", [&] { return onshi_set_event_window(dead, nullptr, 0); }},
            {"onshi_list_readers", [&] { return onshi_list_readers(dead, &text); }},
            {"onshi_check_eligibility", [&] { return onshi_check_eligibility(dead, "{}", nullptr, &job); }},
            {"onshi_provide_pin", [&] { return onshi_provide_pin(dead, 1, "1234", 0); }},
            {"onshi_job_cancel", [&] { return onshi_job_cancel(dead, 1); }},
            {"onshi_job_wait", [&] { return onshi_job_wait(dead, 1, 0, nullptr); }},
            {"onshi_job_state", [&] { return onshi_job_state(dead, 1, nullptr, nullptr); }},
            {"onshi_job_result", [&] { return onshi_job_result(dead, 1, &result); }},
            {"onshi_job_release", [&] { return onshi_job_release(dead, 1); }},
            {"onshi_application_validate", [&] { return onshi_application_validate(dead, "{}", &text); }},
            {"onshi_application_render_pdf", [&] { return onshi_application_render_pdf(dead, "{}", nullptr, &pdf, &size); }},
            {"onshi_validate_numbers", [&] { return onshi_validate_numbers(dead, "{}", &text); }},
            {"onshi_terminal_enroll", [&] { return onshi_terminal_enroll(dead, "{}", &job); }},
            {"onshi_terminal_status", [&] { return onshi_terminal_status(dead, &job); }},
            {"onshi_terminal_set_end_date", [&] { return onshi_terminal_set_end_date(dead, nullptr, &job); }},
            {"onshi_terminal_unenroll", [&] { return onshi_terminal_unenroll(dead, &job); }},
            {"onshi_terminal_renew", [&] { return onshi_terminal_renew(dead, &job); }},
            {"onshi_reader_diagnose", [&] { return onshi_reader_diagnose(dead, "{}", &job); }},
        };
        for (const auto &[function, call] : calls)
            expect_failure(function, dead, Language::both, ONSHI_E_INVALID_HANDLE, "onshi_context", call);
        if (dead) {
            // NULL is "nothing to close" (ONSHI_OK) and "no context" for onshi_result_from_xml.
            expect_failure("onshi_close", dead, Language::both, ONSHI_E_INVALID_HANDLE, "onshi_context",
                           [&] { return onshi_close(dead); });
            expect_failure("onshi_result_from_xml", dead, Language::both, ONSHI_E_INVALID_HANDLE, "onshi_context",
                           [&] { return onshi_result_from_xml(dead, "<x/>", 4, &result); });
            expect_failure("onshi_result_from_app_text", dead, Language::both, ONSHI_E_INVALID_HANDLE, "onshi_context",
                           [&] { return onshi_result_from_app_text(dead, "x", 1, &result); });
        }
        EXPECT_EQ(text, nullptr);
        EXPECT_EQ(result, nullptr);
    }
}

// A poll or a wait that ran out returns a status other than ONSHI_OK, so it leaves a message like
// every other: the header's rule has no exception a host must remember.
TEST_F(LastError, TimeoutsOfPollAndWaitLeaveAMessageToo) {
    onshi_event event{};
    event.struct_size = sizeof event;
    expect_failure("onshi_poll_event", ctx_, Language::en, ONSHI_E_TIMEOUT, "no event came within timeout_ms",
                   [&] { return onshi_poll_event(ctx_, 0, &event); });
    expect_failure("onshi_poll_event", ctx_, Language::en, ONSHI_E_TIMEOUT, "no event came within timeout_ms",
                   [&] { return onshi_poll_event(ctx_, 20, &event); });

    // A job that has not ended: an enrollment against a gateway that takes the connection and
    // never answers, so it waits for the TLS handshake until connect_timeout_ms (a batch of fast
    // jobs raced the worker and lost under Wine).
    abi_test::SilentServer hung;
    ASSERT_NE(hung.port(), 0) << "no port for the silent gateway";
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "onshi-last-error-hung";
    std::filesystem::remove_all(dir);
    const std::string config = R"({"pcsc":{"enabled":false},"locale":"en","credential_dir":")" + dir.generic_string() +
                               R"(","gateway":{"url":"https://127.0.0.1:)" + std::to_string(hung.port()) +
                               R"(","connect_timeout_ms":30000,"timeout_ms":30000,"ca_file":")" + ONSHI_TEST_HEADER + "\"}}";
    onshi_context *hanging = nullptr;
    ASSERT_EQ(onshi_open(config.c_str(), &hanging), ONSHI_OK) << onshi_last_error(nullptr);
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_terminal_enroll(hanging, kSetup, &job), ONSHI_OK) << onshi_last_error(hanging);
    record_elsewhere(hanging);
    onshi_status status = onshi_job_wait(hanging, job, 0, nullptr);
    verify("onshi_job_wait", status, ONSHI_E_TIMEOUT, onshi_last_error(hanging), Language::en, "has not ended within timeout_ms");
    record_elsewhere(hanging);
    onshi_result *result = nullptr;
    status = onshi_job_result(hanging, job, &result);
    verify("onshi_job_result", status, ONSHI_E_WRONG_STATE, onshi_last_error(hanging), Language::en, "not ended yet");
    EXPECT_EQ(onshi_job_cancel(hanging, job), ONSHI_OK);
    onshi_status final_status = ONSHI_OK;
    const auto cancelled_at = std::chrono::steady_clock::now();
    EXPECT_EQ(onshi_job_wait(hanging, job, 60000, &final_status), ONSHI_OK);
    std::printf("[ figures ] an enrollment hung in the TLS handshake ended %lld ms after its cancel\n",
                static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::steady_clock::now() - cancelled_at).count()));
    EXPECT_EQ(final_status, ONSHI_E_CANCELLED) << onshi_status_name(final_status);
    EXPECT_EQ(onshi_close(hanging), ONSHI_OK);
    std::filesystem::remove_all(dir);
}

// A refusal (kept as its parts until asked for) and a thrown error replace each other like any
// two failures: the message is always the last one's.
TEST_F(LastError, TheLastFailureWinsWhateverItsKind) {
    onshi_event event{};
    event.struct_size = sizeof event;
    ASSERT_EQ(onshi_poll_event(ctx_, 0, &event), ONSHI_E_TIMEOUT);
    ASSERT_EQ(onshi_job_cancel(ctx_, 0), ONSHI_E_NOT_FOUND);
    EXPECT_NE(std::string(onshi_last_error(ctx_)).find("no job 0"), std::string::npos) << onshi_last_error(ctx_);
    ASSERT_EQ(onshi_poll_event(ctx_, 0, &event), ONSHI_E_TIMEOUT);
    EXPECT_NE(std::string(onshi_last_error(ctx_)).find("no event came"), std::string::npos) << onshi_last_error(ctx_);
    ASSERT_EQ(onshi_result_json(nullptr, nullptr), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_STREQ(onshi_last_error(ctx_), "") << "the last failure was made without a context";
    EXPECT_NE(std::string(onshi_last_error(nullptr)).find("out_json"), std::string::npos) << onshi_last_error(nullptr);
}

TEST_F(LastError, BusyNamesTheLimitThatWasReached) {
    onshi_context *small = nullptr;
    ASSERT_EQ(onshi_open(R"({"pcsc":{"enabled":false},"locale":"en","max_jobs":1})", &small), ONSHI_OK);
    onshi_job_id first = 0, job = 0;
    ASSERT_EQ(onshi_check_eligibility(small, nullptr, nullptr, &first), ONSHI_OK);
    expect_failure("onshi_check_eligibility", small, Language::en, ONSHI_E_BUSY, "onshi_job_release",
                   [&] { return onshi_check_eligibility(small, nullptr, nullptr, &job); });
    expect_failure("onshi_terminal_enroll", small, Language::en, ONSHI_E_BUSY, "onshi_job_release",
                   [&] { return onshi_terminal_enroll(small, kSetup, &job); });
    expect_failure("onshi_terminal_status", small, Language::en, ONSHI_E_BUSY, "onshi_job_release",
                   [&] { return onshi_terminal_status(small, &job); });
    expect_failure("onshi_terminal_set_end_date", small, Language::en, ONSHI_E_BUSY, "onshi_job_release",
                   [&] { return onshi_terminal_set_end_date(small, nullptr, &job); });
    expect_failure("onshi_terminal_unenroll", small, Language::en, ONSHI_E_BUSY, "onshi_job_release",
                   [&] { return onshi_terminal_unenroll(small, &job); });
    expect_failure("onshi_terminal_renew", small, Language::en, ONSHI_E_BUSY, "onshi_job_release",
                   [&] { return onshi_terminal_renew(small, &job); });
    expect_failure("onshi_reader_diagnose", small, Language::en, ONSHI_E_BUSY, "onshi_job_release",
                   [&] { return onshi_reader_diagnose(small, "{}", &job); });
    EXPECT_EQ(onshi_close(small), ONSHI_OK);

    // Each reader name gets a lane (a thread) of its own, and a context has a bounded number of
    // lanes: one distinct name too many is refused (the bound is the core's; asserted loosely).
    int names = 0;
    onshi_status status = ONSHI_OK;
    for (; names < 1000; ++names) {
        const std::string request = R"({"reader": "reader )" + std::to_string(names) + "\"}";
        record_elsewhere(ctx_);
        status = onshi_check_eligibility(ctx_, request.c_str(), nullptr, &job);
        if (status != ONSHI_OK) break;
    }
    EXPECT_GE(names, 64) << "fewer reader names than the header promises";
    verify("onshi_check_eligibility", status, ONSHI_E_BUSY, onshi_last_error(ctx_), Language::en, "distinct readers");

    // With a gateway configured each reader also gets a warm-up lane: 64 names, as the header says.
    // The checks end before any connection (no terminal is registered); ca_file only has to be
    // readable at onshi_open.
    onshi_context *with_gateway = nullptr;
    const std::string config = std::string(R"({"pcsc":{"enabled":false},"locale":"en","gateway":{"url":"https://127.0.0.1:9","ca_file":")") +
                               ONSHI_TEST_HEADER + "\"}}";
    ASSERT_EQ(onshi_open(config.c_str(), &with_gateway), ONSHI_OK) << onshi_last_error(nullptr);
    int gateway_names = 0;
    for (; gateway_names < 1000; ++gateway_names) {
        const std::string request = R"({"reader": "reader )" + std::to_string(gateway_names) + "\"}";
        record_elsewhere(with_gateway);
        status = onshi_check_eligibility(with_gateway, request.c_str(), nullptr, &job);
        if (status != ONSHI_OK) break;
    }
    EXPECT_EQ(gateway_names, 64);
    verify("onshi_check_eligibility", status, ONSHI_E_BUSY, onshi_last_error(with_gateway), Language::en, "distinct readers");
    EXPECT_EQ(onshi_close(with_gateway), ONSHI_OK);
    std::printf("[ figures ] distinct reader names before ONSHI_E_BUSY: %d without a gateway, %d with one\n", names,
                gateway_names);
}

struct DuringClose {
    onshi_context *ctx = nullptr;
    std::atomic<bool> entered{false};
    std::map<std::string, std::pair<onshi_status, std::string>> seen;  // function -> status, message
};

// Runs on the callback thread while another thread closes the context: close from here is
// refused, and new work and a new callback are refused with ONSHI_E_CLOSING once the close began.
void ONSHI_CALL call_while_closing(void *user, const onshi_event *) {
    auto *self = static_cast<DuringClose *>(user);
    if (self->entered.exchange(true)) return;
    self->seen["onshi_close"] = {onshi_close(self->ctx), onshi_last_error(self->ctx)};
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    onshi_status status = ONSHI_OK;
    onshi_job_id job = 0;
    while ((status = onshi_terminal_status(self->ctx, &job)) == ONSHI_OK && std::chrono::steady_clock::now() < deadline) {
        onshi_job_release(self->ctx, job);
        std::this_thread::sleep_for(1ms);
    }
    self->seen["onshi_terminal_status"] = {status, onshi_last_error(self->ctx)};
    while ((status = onshi_set_event_callback(self->ctx, call_while_closing, self)) == ONSHI_OK &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(1ms);
    self->seen["onshi_set_event_callback"] = {status, onshi_last_error(self->ctx)};
}

TEST_F(LastError, CallsDuringCloseSayWhy) {
    DuringClose state;
    ASSERT_EQ(onshi_open(kEnglish, &state.ctx), ONSHI_OK);
    ASSERT_EQ(onshi_set_event_callback(state.ctx, call_while_closing, &state), ONSHI_OK);
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_check_eligibility(state.ctx, nullptr, nullptr, &job), ONSHI_OK);
    while (!state.entered) std::this_thread::sleep_for(1ms);
    // A poll already waiting when the close begins is woken with ONSHI_E_CLOSING.
    onshi_status polled = ONSHI_OK;
    std::string poll_message;
    std::thread poller([&] {
        onshi_event event{};
        event.struct_size = sizeof event;
        polled = onshi_poll_event(state.ctx, 60000, &event);
        poll_message = onshi_last_error(state.ctx);
    });
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(onshi_close(state.ctx), ONSHI_OK);
    poller.join();

    ASSERT_EQ(state.seen.size(), 3u);
    const auto &[close_status, close_message] = state.seen["onshi_close"];
    verify("onshi_close", close_status, ONSHI_E_WRONG_STATE, close_message, Language::en, "callback");
    for (const char *function : {"onshi_terminal_status", "onshi_set_event_callback"}) {
        const auto &[status, message] = state.seen[function];
        verify(function, status, ONSHI_E_CLOSING, message, Language::en, "");
    }
    // Woken by the close (CLOSING), or - when it began polling after the handle was gone -
    // refused as a dead handle; either way with its message.
    if (polled == ONSHI_E_CLOSING)
        verify("onshi_poll_event", polled, ONSHI_E_CLOSING, poll_message, Language::en, "");
    else
        verify("onshi_poll_event", polled, ONSHI_E_INVALID_HANDLE, poll_message, Language::both, "onshi_context");
}

// The rules of onshi_last_error itself: per thread, per handle, and a success changes nothing.
TEST_F(LastError, ItBelongsToItsThreadAndHandleAndSurvivesSuccesses) {
    ASSERT_EQ(onshi_job_cancel(ctx_, 0), ONSHI_E_NOT_FOUND);
    const std::string message = onshi_last_error(ctx_);
    EXPECT_NE(message.find("no job 0"), std::string::npos) << message;
    EXPECT_STREQ(onshi_last_error(nullptr), "") << "a context's failure is not a context-less one";
    EXPECT_STREQ(onshi_last_error(elsewhere_), "") << "nor another context's";

    onshi_job_id job = 0;
    ASSERT_EQ(onshi_check_eligibility(ctx_, nullptr, nullptr, &job), ONSHI_OK);
    int32_t state = 0;
    ASSERT_EQ(onshi_job_state(ctx_, job, &state, nullptr), ONSHI_OK);
    EXPECT_EQ(onshi_last_error(ctx_), message) << "a successful call leaves the last failure's message";

    std::string on_another_thread = "unset";
    std::thread([&] { on_another_thread = onshi_last_error(ctx_); }).join();
    EXPECT_EQ(on_another_thread, "") << "another thread has failures of its own";

    onshi_context *japanese = nullptr;
    ASSERT_EQ(onshi_open(R"({"pcsc":{"enabled":false},"locale":"ja"})", &japanese), ONSHI_OK);
    char *text = nullptr;
    expect_failure("onshi_list_readers", japanese, Language::ja, ONSHI_E_PCSC_UNAVAILABLE, "PC/SC",
                   [&] { return onshi_list_readers(japanese, &text); });
    onshi_event event{};
    event.struct_size = sizeof event;
    expect_failure("onshi_poll_event", japanese, Language::ja, ONSHI_E_TIMEOUT, "timeout_ms",
                   [&] { return onshi_poll_event(japanese, 0, &event); });
    EXPECT_EQ(onshi_close(japanese), ONSHI_OK);
    onshi_job_wait(ctx_, job, 10000, nullptr);
}

}  // namespace
