// The entry points as a C host uses them (linked directly; tests/sdk loads them dynamically).
#include <onshi/onshi.h>

#include <gtest/gtest.h>

#include <atomic>

#include <string>

namespace {

constexpr const char *kNoPcsc = R"({"pcsc":{"enabled":false},"locale":"en"})";

TEST(Abi, VersionsAndStatusTexts) {
    EXPECT_EQ(onshi_abi_version() >> 16, static_cast<uint32_t>(ONSHI_ABI_VERSION_MAJOR));
    EXPECT_STREQ(onshi_version(), "0.1.0");
    EXPECT_STREQ(onshi_status_name(ONSHI_E_PIN_BLOCKED), "ONSHI_E_PIN_BLOCKED");
    EXPECT_STREQ(onshi_status_name(12345), "ONSHI_E_UNKNOWN");
    EXPECT_STREQ(onshi_status_message(ONSHI_E_NO_CARD, "en"), "No card on the reader");
    EXPECT_STREQ(onshi_status_message(ONSHI_E_NO_CARD, nullptr), "カードが置かれていません");
    EXPECT_STREQ(onshi_status_message(ONSHI_E_NO_CARD, "ja"), "カードが置かれていません");
}

TEST(Abi, EveryStatusHasANameAndTwoMessages) {
    for (onshi_status s = 0; s < 400; ++s) {
        std::string name = onshi_status_name(s);
        if (name == "ONSHI_E_UNKNOWN") continue;
        EXPECT_STRNE(onshi_status_message(s, "en"), onshi_status_message(s, "ja")) << name;
        EXPECT_GT(std::string(onshi_status_message(s, "en")).size(), 3u) << name;
    }
}

TEST(Abi, OpenCloseAndBadConfigMessage) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    ASSERT_NE(ctx, nullptr);
    EXPECT_EQ(onshi_close(ctx), ONSHI_OK);

    onshi_context *bad = reinterpret_cast<onshi_context *>(0x1);
    EXPECT_EQ(onshi_open(R"({"locale":"en","gatway":{}})", &bad), ONSHI_E_CONFIG);
    EXPECT_EQ(bad, nullptr);
    std::string message = onshi_last_error(nullptr);
    EXPECT_NE(message.find("config.gatway"), std::string::npos) << message;
    EXPECT_NE(message.find("設定"), std::string::npos) << "context-less errors come in both languages: " << message;
    EXPECT_EQ(onshi_open(nullptr, &ctx), ONSHI_OK);  // NULL config = defaults
    onshi_close(ctx);
}

TEST(Abi, ListReadersWithoutPcscSaysWhy) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    char *json = nullptr;
    EXPECT_EQ(onshi_list_readers(ctx, &json), ONSHI_E_PCSC_UNAVAILABLE);
    EXPECT_EQ(json, nullptr);
    EXPECT_NE(std::string(onshi_last_error(ctx)).find("disabled"), std::string::npos) << onshi_last_error(ctx);
    onshi_close(ctx);
}

TEST(Abi, CheckEndsWithEventsResultAndState) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_check_eligibility(ctx, R"({"method":"pin"})", "1234", &job), ONSHI_OK);
    EXPECT_NE(job, 0u);
    onshi_status final_status = ONSHI_OK;
    ASSERT_EQ(onshi_job_wait(ctx, job, 10000, &final_status), ONSHI_OK);
    // No terminal is registered in this configuration: the check stops before any card work.
    EXPECT_EQ(final_status, ONSHI_E_NOT_ENROLLED);

    onshi_event e{};
    e.struct_size = sizeof e;
    ASSERT_EQ(onshi_poll_event(ctx, 1000, &e), ONSHI_OK);
    EXPECT_EQ(e.type, ONSHI_EVENT_FAILED);
    EXPECT_EQ(e.job, job);
    EXPECT_EQ(e.status, ONSHI_E_NOT_ENROLLED);
    EXPECT_NE(std::string(e.text).find("not registered"), std::string::npos) << e.text;
    EXPECT_EQ(onshi_poll_event(ctx, 0, &e), ONSHI_E_TIMEOUT);

    int32_t state = 0;
    ASSERT_EQ(onshi_job_state(ctx, job, &state, &final_status), ONSHI_OK);
    EXPECT_EQ(state, ONSHI_JOB_FAILED);

    onshi_result *result = nullptr;
    ASSERT_EQ(onshi_job_result(ctx, job, &result), ONSHI_OK);
    const char *json = nullptr;
    ASSERT_EQ(onshi_result_json(result, &json), ONSHI_OK);
    EXPECT_NE(std::string(json).find("ONSHI_E_NOT_ENROLLED"), std::string::npos) << json;
    const char *value = nullptr;
    ASSERT_EQ(onshi_result_field(result, "status", 0, &value), ONSHI_OK);
    EXPECT_STREQ(value, "ONSHI_E_NOT_ENROLLED");
    EXPECT_EQ(onshi_result_field(result, "InsurerNumber", 0, &value), ONSHI_E_NOT_FOUND);
    const uint8_t *png = nullptr;
    size_t size = 1;
    EXPECT_EQ(onshi_result_photo_png(result, &png, &size), ONSHI_E_NOT_FOUND);
    EXPECT_EQ(size, 0u);
    onshi_result_free(result);

    EXPECT_EQ(onshi_job_release(ctx, job), ONSHI_OK);
    EXPECT_EQ(onshi_job_state(ctx, job, &state, nullptr), ONSHI_E_NOT_FOUND);
    onshi_close(ctx);
}

TEST(Abi, SmallerEventStructFromAnOlderHostIsFilledOnlyThatFar) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_check_eligibility(ctx, nullptr, nullptr, &job), ONSHI_OK);
    ASSERT_EQ(onshi_job_wait(ctx, job, 10000, nullptr), ONSHI_OK);
    // Too small to hold the fields of version 1: refused rather than overrun.
    onshi_event small{};
    small.struct_size = 8;
    EXPECT_EQ(onshi_poll_event(ctx, 0, &small), ONSHI_E_INVALID_ARGUMENT);
    onshi_close(ctx);
}

// Every entry point is implemented; without a registered terminal the terminal jobs end with a
// clear status, and only the window-message style is platform-specific.
TEST(Abi, EveryEntryPointAnswersWithoutATerminal) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    char *report = nullptr;
    EXPECT_EQ(onshi_application_validate(ctx, "{}", &report), ONSHI_E_VALIDATION);  // nothing filled in
    EXPECT_NE(report, nullptr);
    onshi_free(report);
    onshi_job_id job = 0;
    EXPECT_EQ(onshi_terminal_set_end_date(ctx, "2030-3-31", &job), ONSHI_E_INVALID_ARGUMENT);  // not YYYY-MM-DD
    for (auto start : {+[](onshi_context *c, onshi_job_id *j) { return onshi_terminal_set_end_date(c, "2030-03-31", j); },
                       +[](onshi_context *c, onshi_job_id *j) { return onshi_terminal_set_end_date(c, nullptr, j); },
                       +[](onshi_context *c, onshi_job_id *j) { return onshi_terminal_unenroll(c, j); },
                       +[](onshi_context *c, onshi_job_id *j) { return onshi_terminal_renew(c, j); }}) {
        ASSERT_EQ(start(ctx, &job), ONSHI_OK) << onshi_last_error(ctx);
        onshi_status final_status = ONSHI_OK;
        ASSERT_EQ(onshi_job_wait(ctx, job, 10000, &final_status), ONSHI_OK);
        EXPECT_EQ(final_status, ONSHI_E_NOT_ENROLLED);
    }
    EXPECT_EQ(onshi_terminal_enroll(ctx, nullptr, &job), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_terminal_enroll(ctx, "{}", &job), ONSHI_E_INVALID_ARGUMENT);  // no setup credentials in it
    onshi_result *r = nullptr;
    EXPECT_EQ(onshi_result_from_xml(ctx, "<x/>", 4, &r), ONSHI_E_PARSE);  // not a result XML
#if !defined(_WIN32)
    EXPECT_EQ(onshi_set_event_window(ctx, reinterpret_cast<void *>(1), 0x8001), ONSHI_E_NOT_SUPPORTED);
#endif
    EXPECT_EQ(onshi_set_event_window(ctx, nullptr, 0), ONSHI_OK);  // "no window" is always fine
    onshi_close(ctx);
}

}  // namespace

namespace {

struct ResultTaker {
    onshi_context *ctx = nullptr;
    std::atomic<int> finals{0};
    std::atomic<int> results_taken{0};
};

void ONSHI_CALL take_result(void *user, const onshi_event *e) {
    auto *t = static_cast<ResultTaker *>(user);
    if (e->type != ONSHI_EVENT_FAILED && e->type != ONSHI_EVENT_CANCELLED && e->type != ONSHI_EVENT_DONE) return;
    ++t->finals;
    onshi_result *r = nullptr;
    if (onshi_job_result(t->ctx, e->job, &r) == ONSHI_OK) ++t->results_taken;
    onshi_result_free(r);
}

// Final events delivered while onshi_close runs still find a live handle.
TEST(Abi, CallbackMayTakeResultsWhileTheContextCloses) {
    ResultTaker taker;
    ASSERT_EQ(onshi_open(R"({"pcsc":{"enabled":false}})", &taker.ctx), ONSHI_OK);
    ASSERT_EQ(onshi_set_event_callback(taker.ctx, take_result, &taker), ONSHI_OK);
    for (int i = 0; i < 200; ++i) {
        onshi_job_id job = 0;
        ASSERT_EQ(onshi_check_eligibility(taker.ctx, nullptr, nullptr, &job), ONSHI_OK);
    }
    ASSERT_EQ(onshi_close(taker.ctx), ONSHI_OK);
    EXPECT_EQ(taker.finals.load(), 200);
    EXPECT_EQ(taker.results_taken.load(), 200);
}

}  // namespace
