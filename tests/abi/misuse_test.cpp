// Host mistakes get a status code: never a crash, a hang or a leak (ASan runs this file too).
#include <onshi/onshi.h>

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr const char *kNoPcsc = R"({"pcsc":{"enabled":false}})";

TEST(Misuse, NullArguments) {
    EXPECT_EQ(onshi_open(nullptr, nullptr), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_close(nullptr), ONSHI_OK);
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    EXPECT_EQ(onshi_check_eligibility(ctx, "{}", nullptr, nullptr), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_list_readers(ctx, nullptr), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_poll_event(ctx, 0, nullptr), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_job_result(ctx, 1, nullptr), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_provide_pin(ctx, 1, nullptr, 0), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_result_json(nullptr, nullptr), ONSHI_E_INVALID_ARGUMENT);
    const char *json = nullptr;
    EXPECT_EQ(onshi_result_json(nullptr, &json), ONSHI_E_INVALID_HANDLE);
    onshi_result_free(nullptr);
    onshi_free(nullptr);
    EXPECT_STREQ(onshi_last_error(reinterpret_cast<onshi_context *>(0x1234)), "");
    onshi_close(ctx);
}

TEST(Misuse, DanglingAndDoubleClosedHandles) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    ASSERT_EQ(onshi_close(ctx), ONSHI_OK);
    EXPECT_EQ(onshi_close(ctx), ONSHI_E_INVALID_HANDLE);
    onshi_job_id job = 0;
    EXPECT_EQ(onshi_check_eligibility(ctx, "{}", nullptr, &job), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_job_cancel(ctx, 1), ONSHI_E_INVALID_HANDLE);
    char *readers = nullptr;
    EXPECT_EQ(onshi_list_readers(ctx, &readers), ONSHI_E_INVALID_HANDLE);
    auto *garbage = reinterpret_cast<onshi_context *>(0xdeadbeef);
    EXPECT_EQ(onshi_job_wait(garbage, 1, 0, nullptr), ONSHI_E_INVALID_HANDLE);
    auto *bad_result = reinterpret_cast<onshi_result *>(0xdeadbeef);
    const char *json = nullptr;
    EXPECT_EQ(onshi_result_json(bad_result, &json), ONSHI_E_INVALID_HANDLE);
    onshi_result_free(bad_result);  // ignored
}

TEST(Misuse, ResultOutlivesItsContextAndDoubleFreeIsHarmless) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_check_eligibility(ctx, nullptr, nullptr, &job), ONSHI_OK);
    ASSERT_EQ(onshi_job_wait(ctx, job, 10000, nullptr), ONSHI_OK);
    onshi_result *a = nullptr, *b = nullptr;
    ASSERT_EQ(onshi_job_result(ctx, job, &a), ONSHI_OK);
    ASSERT_EQ(onshi_job_result(ctx, job, &b), ONSHI_OK);
    EXPECT_NE(a, b);
    onshi_close(ctx);
    const char *json = nullptr;
    EXPECT_EQ(onshi_result_json(a, &json), ONSHI_OK);
    onshi_result_free(a);
    onshi_result_free(a);
    EXPECT_EQ(onshi_result_json(a, &json), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_result_json(b, &json), ONSHI_OK);
    onshi_result_free(b);
}

TEST(Misuse, UnknownJobsWrongStatesAndFlags) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    EXPECT_EQ(onshi_job_cancel(ctx, 0), ONSHI_E_NOT_FOUND);
    EXPECT_EQ(onshi_job_release(ctx, 777), ONSHI_E_NOT_FOUND);
    EXPECT_EQ(onshi_provide_pin(ctx, 777, "1234", 0), ONSHI_E_NOT_FOUND);
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_check_eligibility(ctx, nullptr, nullptr, &job), ONSHI_OK);
    ASSERT_EQ(onshi_job_wait(ctx, job, 10000, nullptr), ONSHI_OK);
    EXPECT_EQ(onshi_provide_pin(ctx, job, "1234", 0), ONSHI_E_WRONG_STATE);
    EXPECT_EQ(onshi_provide_pin(ctx, job, "1234", 0x80), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_job_cancel(ctx, job), ONSHI_OK);  // cancelling an ended job is fine
    onshi_close(ctx);
}

TEST(Misuse, HostileStrings) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    onshi_job_id job = 0;
    std::string deep(10000, '{');
    EXPECT_EQ(onshi_check_eligibility(ctx, deep.c_str(), nullptr, &job), ONSHI_E_INVALID_ARGUMENT);
    std::string deep_array = std::string(10000, '[') + std::string(10000, ']');
    onshi_context *refused = nullptr;
    EXPECT_EQ(onshi_open(deep_array.c_str(), &refused), ONSHI_E_CONFIG);
    EXPECT_EQ(refused, nullptr);
    std::string huge(8 << 20, ' ');
    EXPECT_EQ(onshi_check_eligibility(ctx, huge.c_str(), nullptr, &job), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_check_eligibility(ctx, "{\"reader\":\"\xc3\x28\"}", nullptr, &job), ONSHI_E_INVALID_ARGUMENT);
    std::string long_pin(1000, '1');
    EXPECT_EQ(onshi_check_eligibility(ctx, "{}", long_pin.c_str(), &job), ONSHI_E_INVALID_ARGUMENT);
    // The PIN never travels inside JSON: a "pin" member is refused, not ignored.
    EXPECT_EQ(onshi_check_eligibility(ctx, R"({"pin":"1234"})", nullptr, &job), ONSHI_E_INVALID_ARGUMENT);
    onshi_close(ctx);
}

struct CloseFromCallback {
    onshi_context *ctx = nullptr;
    std::atomic<onshi_status> close_status{-1};
    std::atomic<int> calls{0};
};

void ONSHI_CALL try_close_inside(void *user, const onshi_event *) {
    auto *self = static_cast<CloseFromCallback *>(user);
    if (self->calls++ == 0) self->close_status = onshi_close(self->ctx);
}

TEST(Misuse, CloseFromItsOwnCallbackIsRefusedNotDeadlocked) {
    CloseFromCallback state;
    ASSERT_EQ(onshi_open(kNoPcsc, &state.ctx), ONSHI_OK);
    ASSERT_EQ(onshi_set_event_callback(state.ctx, try_close_inside, &state), ONSHI_OK);
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_check_eligibility(state.ctx, nullptr, nullptr, &job), ONSHI_OK);
    ASSERT_EQ(onshi_job_wait(state.ctx, job, 10000, nullptr), ONSHI_OK);
    for (int i = 0; i < 500 && state.close_status == -1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    EXPECT_EQ(state.close_status.load(), ONSHI_E_WRONG_STATE);
    EXPECT_EQ(onshi_close(state.ctx), ONSHI_OK);
}

TEST(Misuse, CloseWakesThreadsBlockedInWaitAndPoll) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(R"({"pcsc":{"enabled":true},"card_wait_ms":600000})", &ctx), ONSHI_OK);
    std::vector<std::thread> waiters;
    std::atomic<int> returned{0};
    for (int i = 0; i < 4; ++i)
        waiters.emplace_back([&] {
            onshi_event e{};
            e.struct_size = sizeof e;
            // Returns when close drains the queue (CLOSING), or with an event.
            while (onshi_poll_event(ctx, 60000, &e) == ONSHI_OK) {
            }
            ++returned;
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(onshi_close(ctx), ONSHI_OK);
    for (auto &t : waiters) t.join();
    EXPECT_EQ(returned.load(), 4);
}

}  // namespace
