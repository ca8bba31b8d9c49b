// The issue's acceptance test for the engine, through the ABI: a host thread calls
// check_eligibility 10,000 times while jobs complete on worker threads; every job ends exactly
// once; onshi_close during in-flight jobs leaves no thread, no leak (ASan) and no late callback.
#include <onshi/onshi.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

struct Tally {
    std::mutex mutex;
    std::unordered_map<onshi_job_id, int> finals;
    std::atomic<bool> closed{false};
    std::atomic<int> late{0};
};

void ONSHI_CALL count_finals(void *user, const onshi_event *e) {
    auto *t = static_cast<Tally *>(user);
    if (t->closed) ++t->late;
    if (e->type == ONSHI_EVENT_DONE || e->type == ONSHI_EVENT_FAILED || e->type == ONSHI_EVENT_CANCELLED) {
        std::lock_guard lock(t->mutex);
        ++t->finals[e->job];
    }
}

std::size_t thread_count() {
    std::size_t n = 0;
    for ([[maybe_unused]] auto &entry : std::filesystem::directory_iterator("/proc/self/task")) ++n;
    return n;
}

TEST(Stress, TenThousandChecksEachEndExactlyOnce) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(R"({"pcsc":{"enabled":false},"max_jobs":20000})", &ctx), ONSHI_OK);
    Tally tally;
    ASSERT_EQ(onshi_set_event_callback(ctx, count_finals, &tally), ONSHI_OK);
    std::vector<onshi_job_id> jobs;
    jobs.reserve(10000);
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 10000; ++i) {
        onshi_job_id job = 0;
        // Spread over readers so several lanes work at once.
        std::string request = R"({"reader":"R)" + std::to_string(i % 4) + R"("})";
        ASSERT_EQ(onshi_check_eligibility(ctx, request.c_str(), "1234", &job), ONSHI_OK) << onshi_last_error(ctx);
        jobs.push_back(job);
    }
    auto submit_time = std::chrono::steady_clock::now() - start;
    for (onshi_job_id job : jobs) ASSERT_EQ(onshi_job_wait(ctx, job, 60000, nullptr), ONSHI_OK);
    ASSERT_EQ(onshi_close(ctx), ONSHI_OK);
    ASSERT_EQ(tally.finals.size(), jobs.size());
    for (onshi_job_id job : jobs) ASSERT_EQ(tally.finals[job], 1) << job;
    std::printf("[ figures ] 10000 submissions took %.1f us each on the calling thread (mean)\n",
                std::chrono::duration<double, std::micro>(submit_time).count() / 10000);
}

TEST(Stress, CloseDuringInFlightJobsLeavesNoThreadAndNoLateCallback) {
    // Count after one open/close, so that threads a runtime starts once (a sanitizer's background
    // thread, say) are not mistaken for ours.
    onshi_context *warm = nullptr;
    ASSERT_EQ(onshi_open(R"({"pcsc":{"enabled":false}})", &warm), ONSHI_OK);
    onshi_close(warm);
    [[maybe_unused]] std::size_t threads_before = thread_count();
    Tally tally;
    std::vector<onshi_job_id> jobs;
    onshi_context *ctx = nullptr;
    // With PC/SC on and a long card wait, checks sit waiting for a card: in flight at close.
    ASSERT_EQ(onshi_open(R"({"card_wait_ms":600000,"max_jobs":5000})", &ctx), ONSHI_OK);
    ASSERT_EQ(onshi_set_event_callback(ctx, count_finals, &tally), ONSHI_OK);
    for (int i = 0; i < 2000; ++i) {
        onshi_job_id job = 0;
        std::string request = R"({"reader":"R)" + std::to_string(i % 8) + R"("})";
        ASSERT_EQ(onshi_check_eligibility(ctx, request.c_str(), nullptr, &job), ONSHI_OK);
        jobs.push_back(job);
    }
    ASSERT_EQ(onshi_close(ctx), ONSHI_OK);
    tally.closed = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(tally.late.load(), 0);
    ASSERT_EQ(tally.finals.size(), jobs.size());
    for (onshi_job_id job : jobs) ASSERT_EQ(tally.finals[job], 1) << job;
#if !defined(__SANITIZE_THREAD__)  // TSan starts a background thread of its own when it likes
    EXPECT_EQ(thread_count(), threads_before);
#endif
}

TEST(Stress, ManyThreadsWaitOnTheSameJobs) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(R"({"pcsc":{"enabled":false}})", &ctx), ONSHI_OK);
    std::vector<onshi_job_id> jobs(50);
    for (auto &job : jobs) ASSERT_EQ(onshi_check_eligibility(ctx, nullptr, nullptr, &job), ONSHI_OK);
    std::vector<std::thread> waiters;
    std::atomic<int> ok{0};
    for (int t = 0; t < 8; ++t)
        waiters.emplace_back([&] {
            for (auto job : jobs)
                if (onshi_job_wait(ctx, job, 30000, nullptr) == ONSHI_OK) ++ok;
        });
    for (auto &w : waiters) w.join();
    EXPECT_EQ(ok.load(), 8 * 50);
    onshi_close(ctx);
}

}  // namespace
