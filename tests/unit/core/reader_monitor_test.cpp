#include "core/reader_monitor.h"

#include "fakes.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>

using namespace std::chrono_literals;
using onshi::core::Event;
using onshi::core::ReaderMonitor;
using onshi::test::FakeReaderSystem;
using onshi::test::RecordingSink;

namespace {

bool has(const std::vector<Event> &events, int32_t type, const std::string &name) {
    for (const auto &e : events)
        if (e.type == type && e.text == name) return true;
    return false;
}

TEST(ReaderMonitor, ReportsReadersAndCardsAsTheyCome) {
    FakeReaderSystem system;
    RecordingSink sink;
    system.set_readers({{"A", false}});
    ReaderMonitor monitor(system, sink, 10ms);
    monitor.start();
    // The first listing is synchronous: the snapshot is ready when start() returns.
    ASSERT_EQ(monitor.readers().size(), 1u);
    EXPECT_TRUE(has(sink.events(), ONSHI_EVENT_READER_ADDED, "A"));

    system.set_readers({{"A", true}, {"B", false}});
    ASSERT_TRUE(sink.wait_until([](auto &ev) { return has(ev, ONSHI_EVENT_READER_ADDED, "B"); }));
    ASSERT_TRUE(sink.wait_until([](auto &ev) { return has(ev, ONSHI_EVENT_CARD_INSERTED, "A"); }));

    system.set_readers({{"B", false}});
    ASSERT_TRUE(sink.wait_until([](auto &ev) {
        return has(ev, ONSHI_EVENT_CARD_REMOVED, "A") && has(ev, ONSHI_EVENT_READER_REMOVED, "A");
    }));
    monitor.stop();
}

TEST(ReaderMonitor, ServiceLossRemovesReadersAndRecoveryBringsThemBack) {
    FakeReaderSystem system;
    RecordingSink sink;
    system.set_readers({{"A", true}});
    ReaderMonitor monitor(system, sink, 10ms);
    monitor.start();
    EXPECT_TRUE(monitor.service_available());
    system.set_unavailable();
    ASSERT_TRUE(sink.wait_until([](auto &ev) { return has(ev, ONSHI_EVENT_READER_REMOVED, "A"); }));
    EXPECT_FALSE(monitor.service_available());
    EXPECT_TRUE(monitor.readers().empty());
    system.set_readers({{"A", true}});
    ASSERT_TRUE(sink.wait_until([](auto &ev) {
        int added = 0;
        for (auto &e : ev) added += e.type == ONSHI_EVENT_READER_ADDED;
        return added == 2;
    }));
    EXPECT_TRUE(monitor.service_available());
    monitor.stop();
}

TEST(ReaderMonitor, StopIsPromptEvenWhileWaiting) {
    FakeReaderSystem system;
    RecordingSink sink;
    system.set_readers({});
    ReaderMonitor monitor(system, sink);
    monitor.start();
    std::this_thread::sleep_for(20ms);
    auto start = std::chrono::steady_clock::now();
    monitor.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(ReaderMonitor, WaitersWakeOnChangeOrOnRequest) {
    FakeReaderSystem system;
    RecordingSink sink;
    system.set_readers({{"A", false}});
    ReaderMonitor monitor(system, sink, 10ms);
    monitor.start();
    std::thread later([&] {
        std::this_thread::sleep_for(20ms);
        system.set_readers({{"A", true}});
    });
    auto now = monitor.wait_for_change({{"A", false}}, 10s);
    later.join();
    ASSERT_EQ(now.size(), 1u);
    EXPECT_TRUE(now[0].card_present);
    std::thread waker([&] {
        std::this_thread::sleep_for(20ms);
        monitor.wake_waiters();
    });
    auto start = std::chrono::steady_clock::now();
    monitor.wait_for_change(now, 10s);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    waker.join();
    monitor.stop();
}

TEST(ReaderMonitor, ARecheckFindsAServiceThatCameBackBeforeTheNextRetry) {
    FakeReaderSystem system;
    RecordingSink sink;
    system.set_readers({{"A", true}});
    // A retry interval no test waits out: only recheck_service can make the monitor look again.
    ReaderMonitor monitor(system, sink, std::chrono::hours(1));
    monitor.start();
    system.set_unavailable();
    ASSERT_TRUE(sink.wait_until([](auto &ev) { return has(ev, ONSHI_EVENT_READER_REMOVED, "A"); }));
    EXPECT_FALSE(monitor.service_available());

    // Still down: the recheck makes one attempt and answers false (with the list still empty).
    EXPECT_FALSE(monitor.recheck_service(10s));
    EXPECT_TRUE(monitor.readers().empty());

    // Back: the recheck sees it at once, with the reader list of that same listing.
    system.set_readers({{"A", true}});
    EXPECT_TRUE(monitor.recheck_service(10s));
    ASSERT_EQ(monitor.readers().size(), 1u);
    EXPECT_TRUE(monitor.readers()[0].card_present);
    EXPECT_TRUE(monitor.recheck_service(0ms));  // available: answers without waiting
    monitor.stop();
}

// The watch a job keeps on its card during the PIN dialog.
struct WatchLog {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<onshi_status> calls;
    std::function<void(onshi_status)> callback() {
        return [this](onshi_status why) {
            std::lock_guard lock(mutex);
            calls.push_back(why);
            changed.notify_all();
        };
    }
    std::vector<onshi_status> wait_for_calls(std::size_t n, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex);
        changed.wait_for(lock, timeout, [&] { return calls.size() >= n; });
        return calls;
    }
};

TEST(ReaderMonitor, CardWatchTellsOnceWhenItsCardLeaves) {
    FakeReaderSystem system;
    RecordingSink sink;
    system.set_readers({{"A", true}, {"B", true}});
    ReaderMonitor monitor(system, sink, 10ms);
    monitor.start();
    WatchLog log;
    auto watch = monitor.watch_card("A", log.callback());
    system.set_readers({{"A", true}, {"B", false}});  // another reader's card: not ours
    ASSERT_TRUE(sink.wait_until([](auto &ev) { return has(ev, ONSHI_EVENT_CARD_REMOVED, "B"); }));
    EXPECT_TRUE(log.wait_for_calls(1, 50ms).empty());
    system.set_readers({{"A", false}, {"B", false}});
    EXPECT_EQ(log.wait_for_calls(1), std::vector<onshi_status>{ONSHI_E_CARD_REMOVED});
    // Back and gone again: told once only.
    system.set_readers({{"A", true}, {"B", false}});
    ASSERT_TRUE(sink.wait_until([](auto &ev) { return has(ev, ONSHI_EVENT_CARD_INSERTED, "A"); }));
    system.set_readers({{"A", false}, {"B", false}});
    EXPECT_EQ(log.wait_for_calls(2, 100ms).size(), 1u);
    monitor.stop();
}

TEST(ReaderMonitor, CardWatchOnACardAlreadyGoneTellsAtOnce) {
    FakeReaderSystem system;
    RecordingSink sink;
    system.set_readers({{"A", false}});
    ReaderMonitor monitor(system, sink, 10ms);
    monitor.start();
    WatchLog log;
    auto watch = monitor.watch_card("A", log.callback());
    EXPECT_EQ(log.calls, std::vector<onshi_status>{ONSHI_E_CARD_REMOVED}) << "told on the caller's thread, before returning";
    WatchLog unknown;
    auto other = monitor.watch_card("Z", unknown.callback());
    EXPECT_EQ(unknown.calls, std::vector<onshi_status>{ONSHI_E_CARD_REMOVED});
    monitor.stop();
}

TEST(ReaderMonitor, CardWatchReaderUnpluggedOrServiceLost) {
    FakeReaderSystem system;
    RecordingSink sink;
    system.set_readers({{"A", true}, {"B", true}});
    ReaderMonitor monitor(system, sink, 10ms);
    monitor.start();
    WatchLog a, b;
    auto watch_a = monitor.watch_card("A", a.callback());
    system.set_readers({{"B", true}});
    EXPECT_EQ(a.wait_for_calls(1), std::vector<onshi_status>{ONSHI_E_CARD_REMOVED}) << "the reader unplugged";
    auto watch_b = monitor.watch_card("B", b.callback());
    system.set_unavailable();
    EXPECT_EQ(b.wait_for_calls(1), std::vector<onshi_status>{ONSHI_E_PCSC_UNAVAILABLE}) << "pcscd gone";
    monitor.stop();
}

TEST(ReaderMonitor, AnEndedCardWatchNeverTells) {
    FakeReaderSystem system;
    RecordingSink sink;
    system.set_readers({{"A", true}, {"B", true}});
    ReaderMonitor monitor(system, sink, 10ms);
    monitor.start();
    WatchLog a, b;
    std::optional<ReaderMonitor::CardWatch> kept;
    {
        auto watch_a = monitor.watch_card("A", a.callback());
        auto watch_b = monitor.watch_card("B", b.callback());
        kept.emplace(std::move(watch_b));
    }  // A's watch ends here; B's moved on and goes on
    system.set_readers({{"A", false}, {"B", false}});
    EXPECT_EQ(b.wait_for_calls(1), std::vector<onshi_status>{ONSHI_E_CARD_REMOVED});
    ASSERT_TRUE(sink.wait_until([](auto &ev) { return has(ev, ONSHI_EVENT_CARD_REMOVED, "A"); }));
    EXPECT_TRUE(a.wait_for_calls(1, 50ms).empty());
    monitor.stop();
}

}  // namespace
