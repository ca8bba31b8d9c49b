// A lane: tasks run one at a time, in the order posted, on one thread of their own; stopping runs
// what was queued and refuses the rest; a task may stop its own lane without deadlocking.
#include "core/serial_executor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using onshi::core::SerialExecutor;

namespace {

TEST(SerialExecutor, RunsTasksInOrderOnOneThreadThatIsNotTheCallers) {
    std::mutex mutex;
    std::vector<int> order;
    std::set<std::thread::id> threads;
    {
        SerialExecutor lane("reader:0");
        for (int i = 0; i < 100; ++i)
            ASSERT_TRUE(lane.post([&, i] {
                std::lock_guard lock(mutex);
                order.push_back(i);
                threads.insert(std::this_thread::get_id());
            }));
    }  // the destructor drains and joins
    std::vector<int> expected(100);
    for (int i = 0; i < 100; ++i) expected[i] = i;
    EXPECT_EQ(order, expected);
    ASSERT_EQ(threads.size(), 1u);
    EXPECT_NE(*threads.begin(), std::this_thread::get_id());
}

TEST(SerialExecutor, NeverRunsTwoTasksAtOnceWhoeverPosts) {
    std::atomic<int> running{0}, most{0}, done{0};
    {
        SerialExecutor lane("reader:0");
        std::vector<std::thread> posters;
        for (int p = 0; p < 4; ++p)
            posters.emplace_back([&] {
                for (int i = 0; i < 25; ++i)
                    lane.post([&] {
                        int now = ++running;
                        int seen = most.load();
                        while (now > seen && !most.compare_exchange_weak(seen, now)) {
                        }
                        std::this_thread::sleep_for(100us);
                        --running;
                        ++done;
                    });
            });
        for (auto &t : posters) t.join();
    }
    EXPECT_EQ(done, 100);
    EXPECT_EQ(most, 1);
}

TEST(SerialExecutor, StopRunsWhatWasQueuedAndRefusesTheRest) {
    SerialExecutor lane("network");
    std::promise<void> gate;
    std::shared_future<void> open = gate.get_future().share();
    std::atomic<int> ran{0};
    ASSERT_TRUE(lane.post([open, &ran] {
        open.wait();
        ++ran;
    }));
    ASSERT_TRUE(lane.post([&ran] { ++ran; }));
    std::thread stopper([&] { lane.stop_and_join(); });
    // Once stopping, nothing new is taken (the first task is still blocked, so the lane is busy).
    bool refused = false;
    for (int i = 0; i < 1000 && !refused; ++i) {
        refused = !lane.post([&ran] { ran += 100; });
        if (!refused) std::this_thread::sleep_for(1ms);
    }
    gate.set_value();
    stopper.join();
    EXPECT_TRUE(refused);
    EXPECT_EQ(ran.load() % 100, 2) << "both queued tasks ran";
}

TEST(SerialExecutor, ATaskMayStopItsOwnLane) {
    std::promise<void> stopped;
    auto done = stopped.get_future();
    auto lane = std::make_unique<SerialExecutor>("reader:0");
    SerialExecutor *self = lane.get();
    ASSERT_TRUE(lane->post([self, &stopped] {
        self->stop_and_join();  // must not join its own thread
        stopped.set_value();
    }));
    ASSERT_EQ(done.wait_for(10s), std::future_status::ready);
    EXPECT_FALSE(lane->post([] {}));
    lane.reset();  // joins the finished thread
}

}  // namespace
