// The warm-up runs on a lane of the context (never a thread of its own) and never holds a check
// longer than the budget it is given: a hung one is cancelled at the end of it, and a cancelled
// job ends the wait at once.
#include "core/gateway_warm_up.h"

#include "fakes.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace std::chrono_literals;
using onshi::core::GatewayWarmUp;
using onshi::core::SerialExecutor;
using onshi::gateway::CancelToken;
using onshi::gateway::ClientIdentity;
using onshi::test::MockGatewayClient;
using ::testing::_;

namespace {

// Blocks like a hung transfer until the token is cancelled (or 10 s pass).
void block_until_cancelled(CancelToken &token) {
    for (int i = 0; i < 1000 && !token.cancelled(); ++i) std::this_thread::sleep_for(10ms);
}

// Until the lane has begun the warm-up (a warm-up cancelled before it began is skipped).
void wait_until(const std::atomic<bool> &flag) {
    for (int i = 0; i < 10000 && !flag; ++i) std::this_thread::sleep_for(1ms);
    ASSERT_TRUE(flag);
}

TEST(GatewayWarmUp, RunsOnTheLaneItIsGiven) {
    SerialExecutor lane("warm-up:reader:");
    auto gateway = std::make_shared<MockGatewayClient>();
    std::thread::id ran_on;
    EXPECT_CALL(*gateway, warm_up(_, _)).WillOnce([&](const ClientIdentity &, CancelToken &) { ran_on = std::this_thread::get_id(); });
    ClientIdentity identity;
    GatewayWarmUp warm_up(&lane, gateway, identity);
    EXPECT_TRUE(warm_up.wait(10s));
    std::thread::id lane_thread;
    std::atomic<bool> seen{false};
    lane.post([&] {
        lane_thread = std::this_thread::get_id();
        seen = true;
    });
    for (int i = 0; i < 1000 && !seen; ++i) std::this_thread::sleep_for(1ms);
    ASSERT_TRUE(seen);
    EXPECT_EQ(ran_on, lane_thread) << "the warm-up ran on the lane's thread";
}

TEST(GatewayWarmUp, AHungWarmUpIsCancelledWhenTheBudgetIsSpent) {
    SerialExecutor lane("warm-up:reader:");
    auto gateway = std::make_shared<MockGatewayClient>();
    std::atomic<bool> started{false}, cancelled{false};
    EXPECT_CALL(*gateway, warm_up(_, _)).WillOnce([&](const ClientIdentity &, CancelToken &token) {
        started = true;
        block_until_cancelled(token);
        cancelled = token.cancelled();
    });
    ClientIdentity identity;
    GatewayWarmUp warm_up(&lane, gateway, identity);
    wait_until(started);
    EXPECT_FALSE(warm_up.wait(100ms)) << "it never answered";
    lane.stop_and_join();  // the lane is free again: the warm-up let go
    EXPECT_TRUE(cancelled);
}

TEST(GatewayWarmUp, InterruptEndsTheWaitAtOnce) {
    SerialExecutor lane("warm-up:reader:");
    auto gateway = std::make_shared<MockGatewayClient>();
    std::atomic<bool> started{false};
    EXPECT_CALL(*gateway, warm_up(_, _)).WillOnce([&](const ClientIdentity &, CancelToken &token) {
        started = true;
        block_until_cancelled(token);
    });
    ClientIdentity identity;
    GatewayWarmUp warm_up(&lane, gateway, identity);
    wait_until(started);
    std::thread job_cancel([&] { warm_up.interrupt(); });
    EXPECT_FALSE(warm_up.wait(60s)) << "a cancelled job does not wait out the budget";
    job_cancel.join();
}

TEST(GatewayWarmUp, TheDestructorCancelsAndJoins) {
    SerialExecutor lane("warm-up:reader:");
    auto gateway = std::make_shared<MockGatewayClient>();
    std::atomic<bool> started{false}, returned{false};
    EXPECT_CALL(*gateway, warm_up(_, _)).WillOnce([&](const ClientIdentity &, CancelToken &token) {
        started = true;
        block_until_cancelled(token);
        returned = true;
    });
    {
        ClientIdentity identity;
        GatewayWarmUp warm_up(&lane, gateway, identity);
        wait_until(started);
    }
    EXPECT_TRUE(returned) << "the warm-up outlived its check (and the identity it reads)";
}

TEST(GatewayWarmUp, NoLaneOrAStoppedLaneMeansNoWarmUp) {
    auto gateway = std::make_shared<MockGatewayClient>();
    EXPECT_CALL(*gateway, warm_up(_, _)).Times(0);
    ClientIdentity identity;
    {
        GatewayWarmUp warm_up(nullptr, gateway, identity);
        EXPECT_TRUE(warm_up.wait(10s));
    }
    SerialExecutor lane("warm-up:reader:");
    lane.stop_and_join();  // the context is closing
    GatewayWarmUp warm_up(&lane, gateway, identity);
    EXPECT_TRUE(warm_up.wait(10s));
}

}  // namespace
