#include "core/event_dispatcher.h"

#include "util/error.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using onshi::core::Event;
using onshi::core::EventDispatcher;

namespace {

Event make(int32_t type, onshi_job_id job) {
    Event e;
    e.type = type;
    e.job = job;
    return e;
}

struct Collected {
    std::mutex mutex;
    std::vector<onshi_job_id> jobs;
    std::vector<std::string> texts;
};

void ONSHI_CALL collect(void *user, const onshi_event *e) {
    auto *c = static_cast<Collected *>(user);
    std::lock_guard lock(c->mutex);
    EXPECT_EQ(e->struct_size, sizeof(onshi_event));
    c->jobs.push_back(e->job);
    c->texts.emplace_back(e->text);
}

TEST(EventDispatcher, PollReturnsEventsInOrderAndTimesOut) {
    EventDispatcher d;
    d.post(make(ONSHI_EVENT_PROGRESS, 1));
    d.post(make(ONSHI_EVENT_DONE, 1));
    EXPECT_EQ(d.poll(0ms)->type, ONSHI_EVENT_PROGRESS);
    EXPECT_EQ(d.poll(0ms)->type, ONSHI_EVENT_DONE);
    auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(d.poll(20ms).has_value());
    EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
}

TEST(EventDispatcher, CallbackGetsQueuedEventsThenNewOnes) {
    EventDispatcher d;
    Collected c;
    d.post(make(ONSHI_EVENT_DONE, 1));
    d.set_callback(collect, &c);
    Event with_text = make(ONSHI_EVENT_READER_ADDED, 0);
    with_text.text = "Reader 00 00";
    d.post(with_text);
    d.shutdown();  // delivers everything still queued before returning
    ASSERT_EQ(c.jobs.size(), 2u);
    EXPECT_EQ(c.jobs[0], 1u);
    EXPECT_EQ(c.texts[1], "Reader 00 00");
}

TEST(EventDispatcher, NoCallbackAfterShutdownReturns) {
    EventDispatcher d;
    Collected c;
    d.set_callback(collect, &c);
    for (onshi_job_id i = 1; i <= 1000; ++i) d.post(make(ONSHI_EVENT_DONE, i));
    d.shutdown();
    std::size_t delivered;
    {
        std::lock_guard lock(c.mutex);
        delivered = c.jobs.size();
    }
    EXPECT_EQ(delivered, 1000u);
    d.post(make(ONSHI_EVENT_DONE, 1001));  // ignored after shutdown
    std::this_thread::sleep_for(10ms);
    std::lock_guard lock(c.mutex);
    EXPECT_EQ(c.jobs.size(), 1000u);
}

TEST(EventDispatcher, ShutdownWakesPollersWithClosing) {
    EventDispatcher d;
    std::atomic<onshi_status> seen{ONSHI_OK};
    std::thread poller([&] {
        try {
            d.poll(10s);
        } catch (const onshi::Error &e) {
            seen = e.status();
        }
    });
    std::this_thread::sleep_for(20ms);
    d.shutdown();
    poller.join();
    EXPECT_EQ(seen.load(), ONSHI_E_CLOSING);
}

TEST(EventDispatcher, FullQueueDropsProgressButNeverFinalOrPinEvents) {
    EventDispatcher d(3);
    d.post(make(ONSHI_EVENT_PROGRESS, 1));
    d.post(make(ONSHI_EVENT_PIN_NEEDED, 1));
    d.post(make(ONSHI_EVENT_PROGRESS, 2));
    d.post(make(ONSHI_EVENT_DONE, 1));
    d.post(make(ONSHI_EVENT_DONE, 2));
    std::vector<int32_t> types;
    while (auto e = d.poll(0ms)) types.push_back(e->type);
    EXPECT_EQ(types, (std::vector<int32_t>{ONSHI_EVENT_PIN_NEEDED, ONSHI_EVENT_DONE, ONSHI_EVENT_DONE}));
}

TEST(EventDispatcher, NotifierRingsForEveryEvent) {
    EventDispatcher d;
    std::vector<onshi_job_id> rung;
    d.set_notifier([&](const Event &e) { rung.push_back(e.job); });
    d.post(make(ONSHI_EVENT_DONE, 7));
    d.post(make(ONSHI_EVENT_DONE, 8));
    EXPECT_EQ(rung, (std::vector<onshi_job_id>{7, 8}));
}

}  // namespace
