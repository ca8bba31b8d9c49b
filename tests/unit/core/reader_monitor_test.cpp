#include "core/reader_monitor.h"

#include "fakes.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <functional>
#include <map>
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

namespace {

int32_t inserted_detail(const std::vector<Event> &events, const std::string &name, int nth = 1) {
    for (const auto &e : events)
        if (e.type == ONSHI_EVENT_CARD_INSERTED && e.text == name && --nth == 0) return e.detail;
    return -1;
}

// The medium as the probe answers it per reader, counting calls and checking that the snapshot
// does not yet show the card being probed.
struct ScriptedProbe {
    std::mutex mutex;
    std::map<std::string, std::optional<onshi::card::Medium>> answers;
    std::map<std::string, int> calls;
    const ReaderMonitor *monitor = nullptr;
    bool card_visible_while_probing = false;

    std::optional<onshi::card::Medium> operator()(const std::string &reader) {
        if (monitor)
            for (const auto &r : monitor->readers())
                if (r.name == reader && r.card_present) card_visible_while_probing = true;
        std::lock_guard lock(mutex);
        ++calls[reader];
        return answers[reader];
    }
};

TEST(ReaderMonitor, IdentifiesAnArrivingCardBeforeAnyoneSeesIt) {
    FakeReaderSystem system;
    RecordingSink sink;
    ScriptedProbe probe;
    probe.answers["A"] = onshi::card::Medium::android;
    probe.answers["B"] = std::nullopt;  // e.g. held exclusively by another program
    system.set_readers({{"A", true}, {"B", false}});
    ReaderMonitor monitor(system, sink, 10ms, [&](const std::string &r) { return probe(r); });
    probe.monitor = &monitor;
    monitor.start();
    // The first listing identifies the card already there.
    EXPECT_EQ(inserted_detail(sink.events(), "A"), ONSHI_MEDIUM_ANDROID);
    auto views = monitor.reader_views();
    ASSERT_EQ(views.size(), 2u);
    EXPECT_EQ(views[0].medium, onshi::card::Medium::android);
    EXPECT_FALSE(views[1].medium.has_value());

    system.set_readers({{"A", true}, {"B", true}});
    ASSERT_TRUE(sink.wait_until([](auto &ev) { return inserted_detail(ev, "B") >= 0; }));
    EXPECT_EQ(inserted_detail(sink.events(), "B"), ONSHI_MEDIUM_UNKNOWN);
    EXPECT_FALSE(monitor.reader_views()[1].medium.has_value());
    EXPECT_FALSE(probe.card_visible_while_probing) << "a check could have connected during the probe";
    {
        std::lock_guard lock(probe.mutex);
        EXPECT_EQ(probe.calls["A"], 1) << "a card that stays is probed once";
        EXPECT_EQ(probe.calls["B"], 1);
    }

    // A check that identified the card corrects the listing.
    monitor.note_medium("B", onshi::card::Medium::card);
    EXPECT_EQ(monitor.reader_views()[1].medium, onshi::card::Medium::card);

    // Removal forgets the medium; the next card is probed afresh.
    system.set_readers({{"A", false}, {"B", true}});
    ASSERT_TRUE(sink.wait_until([](auto &ev) { return has(ev, ONSHI_EVENT_CARD_REMOVED, "A"); }));
    EXPECT_FALSE(monitor.reader_views()[0].medium.has_value());
    monitor.note_medium("A", onshi::card::Medium::card);  // no card: ignored
    EXPECT_FALSE(monitor.reader_views()[0].medium.has_value());
    {
        std::lock_guard lock(probe.mutex);
        probe.answers["A"] = onshi::card::Medium::iphone;
    }
    system.set_readers({{"A", true}, {"B", true}});
    ASSERT_TRUE(sink.wait_until([](auto &ev) { return inserted_detail(ev, "A", 2) >= 0; }));
    EXPECT_EQ(inserted_detail(sink.events(), "A", 2), ONSHI_MEDIUM_IPHONE);
    EXPECT_EQ(monitor.reader_views()[0].medium, onshi::card::Medium::iphone);
    EXPECT_FALSE(probe.card_visible_while_probing);
    monitor.stop();
}

TEST(ReaderMonitor, WithoutAProbeMediaStayUnknown) {
    FakeReaderSystem system;
    RecordingSink sink;
    system.set_readers({{"A", true}});
    ReaderMonitor monitor(system, sink, 10ms);
    monitor.start();
    EXPECT_EQ(inserted_detail(sink.events(), "A"), ONSHI_MEDIUM_UNKNOWN);
    EXPECT_FALSE(monitor.reader_views()[0].medium.has_value());
    monitor.stop();
}

}  // namespace
