#include "core/context.h"

#include "fakes.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include <unistd.h>

using namespace std::chrono_literals;
using onshi::Error;
using onshi::core::Config;
using onshi::core::Context;
using onshi::core::Job;
using onshi::core::JobResult;
using onshi::core::Services;

namespace {

// Counts every event the host receives, per job, through the real callback path.
struct HostCounter {
    std::mutex mutex;
    std::map<onshi_job_id, int> finals;
    std::map<onshi_job_id, int32_t> last_type;
    std::atomic<bool> closed{false};
    std::atomic<int> after_close{0};

    static void ONSHI_CALL on_event(void *user, const onshi_event *e) {
        auto *self = static_cast<HostCounter *>(user);
        if (self->closed) ++self->after_close;
        std::lock_guard lock(self->mutex);
        if (e->type == ONSHI_EVENT_DONE || e->type == ONSHI_EVENT_FAILED || e->type == ONSHI_EVENT_CANCELLED)
            ++self->finals[e->job];
        self->last_type[e->job] = e->type;
    }
};

// Services of an enrolled terminal with a gateway that answers nothing: checks reach the card.
Services enrolled_services() {
    Services s;
    s.credentials = std::make_shared<onshi::test::StubCredentialStore>();
    auto gateway = std::make_shared<::testing::NiceMock<onshi::test::MockGatewayClient>>();
    s.gateway = gateway;
    return s;
}

Config config_with(std::size_t max_jobs) {
    Config c;
    c.max_jobs = max_jobs;
    c.pcsc_enabled = false;
    return c;
}

TEST(Context, TenThousandSubmissionsEachEndExactlyOnce) {
    Context ctx(config_with(20000), Services{});
    HostCounter host;
    ctx.events().set_callback(HostCounter::on_event, &host);
    std::vector<onshi_job_id> ids;
    for (int i = 0; i < 10000; ++i) {
        std::string lane = "reader:" + std::to_string(i % 4);
        ids.push_back(ctx.submit(lane, [i](Job &job) -> std::shared_ptr<const JobResult> {
            job.progress(ONSHI_PROGRESS_READING_CARD);
            if (i % 3 == 0) throw Error(ONSHI_E_NO_CARD, {});
            return JobResult::from_json(R"({"n":")" + std::to_string(i) + "\"}");
        }));
    }
    for (onshi_job_id id : ids) ASSERT_TRUE(ctx.job(id)->wait_ended(30s)) << id;
    ctx.close();
    ASSERT_EQ(host.finals.size(), ids.size());
    for (onshi_job_id id : ids) {
        EXPECT_EQ(host.finals[id], 1) << "job " << id;
        EXPECT_NE(host.last_type[id], ONSHI_EVENT_PROGRESS) << "progress after the final event of " << id;
    }
    EXPECT_EQ(ctx.job(ids[1])->result()->field("n", 0) ? *ctx.job(ids[1])->result()->field("n", 0) : "", "1");
}

TEST(Context, CloseDuringInFlightJobsDeliversEveryFinalEventThenNothing) {
    HostCounter host;
    std::vector<onshi_job_id> ids;
    {
        Context ctx(config_with(1000), Services{});
        ctx.events().set_callback(HostCounter::on_event, &host);
        for (int i = 0; i < 200; ++i) {
            // Jobs that would run for a minute unless cancelled (like a slow card or network).
            ids.push_back(ctx.submit("reader:" + std::to_string(i % 8), [](Job &job) -> std::shared_ptr<const JobResult> {
                std::mutex m;
                std::condition_variable cv;
                job.set_cancel_hook([&] { cv.notify_all(); });
                std::unique_lock lock(m);
                cv.wait_for(lock, 60s, [&] { return job.cancel_requested(); });
                job.set_cancel_hook(nullptr);
                job.throw_if_cancelled();
                return JobResult::from_json("{}");
            }));
        }
        std::this_thread::sleep_for(20ms);
        auto start = std::chrono::steady_clock::now();
        ctx.close();
        EXPECT_LT(std::chrono::steady_clock::now() - start, 10s) << "close must be prompt";
        host.closed = true;
        EXPECT_THROW(ctx.submit("reader:0", [](Job &) { return JobResult::from_json("{}"); }), Error);
    }
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(host.after_close.load(), 0);
    ASSERT_EQ(host.finals.size(), ids.size());
    for (onshi_job_id id : ids) EXPECT_EQ(host.finals[id], 1) << id;
}

TEST(Context, JobsOnOneReaderRunOneAtATime) {
    Context ctx(config_with(100), Services{});
    std::atomic<int> running{0}, max_running{0};
    std::vector<onshi_job_id> ids;
    for (int i = 0; i < 20; ++i)
        ids.push_back(ctx.submit("reader:A", [&](Job &) {
            int now = ++running;
            max_running = std::max(max_running.load(), now);
            std::this_thread::sleep_for(1ms);
            --running;
            return JobResult::from_json("{}");
        }));
    for (auto id : ids) ASSERT_TRUE(ctx.job(id)->wait_ended(10s));
    EXPECT_EQ(max_running.load(), 1);
}

TEST(Context, DifferentReadersRunInParallel) {
    Context ctx(config_with(100), Services{});
    std::mutex m;
    std::condition_variable cv;
    int arrived = 0;
    auto meet = [&](Job &) {
        std::unique_lock lock(m);
        ++arrived;
        cv.notify_all();
        // Only succeeds if both lanes are inside at the same time.
        if (!cv.wait_for(lock, 10s, [&] { return arrived == 2; })) throw Error(ONSHI_E_TIMEOUT, {});
        return JobResult::from_json("{}");
    };
    auto a = ctx.submit("reader:A", meet);
    auto b = ctx.submit("reader:B", meet);
    ASSERT_TRUE(ctx.job(a)->wait_ended(20s));
    ASSERT_TRUE(ctx.job(b)->wait_ended(20s));
    EXPECT_EQ(ctx.job(a)->final_status(), ONSHI_OK);
    EXPECT_EQ(ctx.job(b)->final_status(), ONSHI_OK);
}

TEST(Context, FullJobTableIsBusyUntilReleased) {
    Context ctx(config_with(2), Services{});
    auto quick = [](Job &) { return JobResult::from_json("{}"); };
    auto a = ctx.submit("network", quick);
    ctx.submit("network", quick);
    try {
        ctx.submit("network", quick);
        FAIL() << "table should be full";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_BUSY);
    }
    ASSERT_TRUE(ctx.job(a)->wait_ended(10s));
    ctx.release(a);
    EXPECT_NO_THROW(ctx.submit("network", quick));
    EXPECT_THROW(ctx.job(a), Error);
}

TEST(Context, ExceptionsInsideJobsBecomeStatuses) {
    Context ctx(config_with(10), Services{});
    auto a = ctx.submit("network", [](Job &) -> std::shared_ptr<const JobResult> { throw std::runtime_error("boom"); });
    auto b = ctx.submit("network", [](Job &) -> std::shared_ptr<const JobResult> { throw std::bad_alloc(); });
    auto c = ctx.submit("network", [](Job &) -> std::shared_ptr<const JobResult> { throw 42; });
    for (auto id : {a, b, c}) ASSERT_TRUE(ctx.job(id)->wait_ended(10s));
    EXPECT_EQ(ctx.job(a)->final_status(), ONSHI_E_INTERNAL);
    EXPECT_EQ(ctx.job(b)->final_status(), ONSHI_E_NO_MEMORY);
    EXPECT_EQ(ctx.job(c)->final_status(), ONSHI_E_INTERNAL);
}

TEST(Context, CheckWithPcscDisabledFailsOnTheWorkerWithAClearStatus) {
    Context ctx(config_with(10), enrolled_services());
    auto id = ctx.submit_check(R"({"method":"pin"})", onshi::SecureBuffer::from_string("1234"));
    ASSERT_TRUE(ctx.job(id)->wait_ended(10s));
    EXPECT_EQ(ctx.job(id)->final_status(), ONSHI_E_PCSC_UNAVAILABLE);
    EXPECT_THROW(ctx.submit_check(R"({"method":"x"})", {}), Error);
}

TEST(Context, CheckWaitsForACardAndStopsWaitingWhenCancelled) {
    Config c = config_with(10);
    c.pcsc_enabled = true;
    c.card_wait = 60s;
    auto readers = std::make_shared<onshi::test::FakeReaderSystem>();
    readers->set_readers({{"Reader 00 00", false}});
    Services services = enrolled_services();
    services.readers = readers;
    Context ctx(c, services);
    auto id = ctx.submit_check("{}", {});
    std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(ctx.job(id)->ended());
    auto start = std::chrono::steady_clock::now();
    ctx.cancel(id);
    EXPECT_EQ(ctx.job(id)->final_status(), ONSHI_E_CANCELLED);
    ctx.close();  // joins the lane: the worker has left its wait
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

// The card wait is measured on the context's clock (services.clock), not on the wall: the wait
// ends at the first look after the clock has passed card_wait, though only milliseconds passed.
TEST(Context, CardWaitIsMeasuredOnTheContextsClock) {
    Config c = config_with(10);
    c.pcsc_enabled = true;
    c.card_wait = 60s;
    auto readers = std::make_shared<onshi::test::FakeReaderSystem>();
    readers->set_readers({{"Reader 00 00", false}});
    auto clock = std::make_shared<onshi::test::ManualClock>();
    Services services = enrolled_services();
    services.readers = readers;
    services.clock = clock;
    Context ctx(c, services);
    auto id = ctx.submit_check("{}", {});
    // Once the job says it waits for a card, its deadline is set.
    bool waiting = false;
    for (int i = 0; i < 100 && !waiting; ++i) {
        auto e = ctx.events().poll(100ms);
        waiting = e && e->job == id && e->type == ONSHI_EVENT_PROGRESS && e->value == ONSHI_PROGRESS_WAITING_FOR_CARD;
    }
    ASSERT_TRUE(waiting);

    // A reader change without a card makes the job look again: 30 s of 60 have passed, it waits on.
    clock->advance(30s);
    readers->set_readers({{"Reader 00 00", false}, {"Reader 01 00", false}});
    EXPECT_FALSE(ctx.job(id)->wait_ended(300ms));
    // Past 60 s by the clock: the next look ends the wait.
    clock->advance(31s);
    readers->set_readers({{"Reader 00 00", false}});
    ASSERT_TRUE(ctx.job(id)->wait_ended(10s)) << "the wait follows the context's clock, not the wall";
    EXPECT_EQ(ctx.job(id)->final_status(), ONSHI_E_NO_CARD);
}

TEST(Context, CheckWithoutCardFailsWithNoCardWhenNotWaiting) {
    Config c = config_with(10);
    c.pcsc_enabled = true;
    auto readers = std::make_shared<onshi::test::FakeReaderSystem>();
    readers->set_readers({{"Reader 00 00", false}});
    Services services = enrolled_services();
    services.readers = readers;
    Context ctx(c, services);
    auto id = ctx.submit_check("{}", {});
    ASSERT_TRUE(ctx.job(id)->wait_ended(10s));
    EXPECT_EQ(ctx.job(id)->final_status(), ONSHI_E_NO_CARD);
    auto named = ctx.submit_check(R"({"reader":"Other"})", {});
    ASSERT_TRUE(ctx.job(named)->wait_ended(10s));
    EXPECT_EQ(ctx.job(named)->final_status(), ONSHI_E_NO_READER);
}

}  // namespace

namespace {

// The host's view of face files: one RESULT_ARRIVED per file, nothing else for its job.
struct ArrivalHost {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<onshi_event> events;
    std::vector<std::string> texts;

    static void ONSHI_CALL on_event(void *user, const onshi_event *e) {
        auto *self = static_cast<ArrivalHost *>(user);
        std::lock_guard lock(self->mutex);
        self->events.push_back(*e);
        self->texts.emplace_back(e->text);
        self->changed.notify_all();
    }
    bool wait_for(std::size_t n) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, 20s, [&] { return events.size() >= n; });
    }
};

TEST(Context, AFaceFileArrivesAsAFinishedJobWithItsResultAndCloseStopsTheWatcher) {
    namespace fs = std::filesystem;
    const fs::path root = fs::temp_directory_path() / ("onshi-context-watch-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "face");
    Config c = config_with(10);
    c.face_watch.dir = (root / "face").string();
    c.face_watch.mode = onshi::core::FaceWatchMode::poll;
    c.face_watch.poll_interval = 100ms;
    c.face_watch.state_file = (root / "state" / "face_watch.state").string();
    ArrivalHost host;
    {
        Context ctx(c, Services{});
        ctx.events().set_callback(ArrivalHost::on_event, &host);
        {
            std::ifstream in(fs::path(ONSHI_TEST_XML_DIR) / "medical_aid_A1.xml", std::ios::binary);
            std::ofstream(root / "face" / "OQSsiquc01res_face_1_20261205120000.xml", std::ios::binary) << in.rdbuf();
        }
        std::ofstream(root / "face" / "OQSsiquc01res_face_2_20261205120001.xml") << "<XmlMsg>";
        ASSERT_TRUE(host.wait_for(2));
        std::lock_guard lock(host.mutex);
        for (std::size_t i = 0; i < host.events.size(); ++i) {
            const onshi_event &e = host.events[i];
            EXPECT_EQ(e.type, ONSHI_EVENT_RESULT_ARRIVED) << "the job's only event";
            const auto job = ctx.job(e.job);
            if (host.texts[i] == "OQSsiquc01res_face_1_20261205120000.xml") {
                EXPECT_EQ(e.status, ONSHI_OK);
                EXPECT_EQ(job->state(), ONSHI_JOB_DONE);
                ASSERT_TRUE(job->result());
                EXPECT_NE(job->result()->json().find("\"source\":\"xml\""), std::string::npos);
            } else {
                EXPECT_EQ(host.texts[i], "OQSsiquc01res_face_2_20261205120001.xml");
                EXPECT_EQ(e.status, ONSHI_E_PARSE);
                EXPECT_EQ(job->state(), ONSHI_JOB_FAILED);
                ASSERT_TRUE(job->result());
                EXPECT_NE(job->result()->json().find("ONSHI_E_PARSE"), std::string::npos);
            }
            ctx.release(e.job);
        }
    }  // ~Context: the watcher's thread is joined
    EXPECT_EQ(host.events.size(), 2u);
    EXPECT_TRUE(fs::exists(root / "face" / "OQSsiquc01res_face_2_20261205120001.xml")) << "never deleted";
    fs::remove_all(root);
}

}  // namespace
