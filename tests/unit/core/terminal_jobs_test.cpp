// The terminal jobs (enrollment, status, planned end, end of use, renewal) with a mocked gateway
// client and credential store: what needs no network does not use it, the gateway's answers are
// merged into the result, and a cancel reaches a transfer in flight.
#include "core/terminal_jobs.h"

#include "core/context.h"
#include "fakes.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

using namespace std::chrono_literals;
using onshi::Error;
using onshi::core::Config;
using onshi::core::Context;
using onshi::core::Services;
using onshi::test::block_until_cancelled;
using onshi::test::MockGatewayClient;
using onshi::test::StubCredentialStore;
using ::testing::_;

namespace {

TEST(TerminalJobs, StatusWithoutEnrollmentNeedsNoNetwork) {
    auto gateway = std::make_shared<MockGatewayClient>();
    EXPECT_CALL(*gateway, status(_, _)).Times(0);
    Services s;
    s.gateway = gateway;
    s.credentials = std::make_shared<StubCredentialStore>(false);
    Context ctx(Config{}, s);
    auto id = ctx.submit("network", onshi::core::make_status_procedure(ctx.services()));
    ASSERT_TRUE(ctx.job(id)->wait_ended(10s));
    EXPECT_EQ(ctx.job(id)->final_status(), ONSHI_OK);
    EXPECT_EQ(ctx.job(id)->result()->json(), R"({"enrolled":false})");
}

TEST(TerminalJobs, StatusMergesTheGatewayAnswer) {
    auto gateway = std::make_shared<MockGatewayClient>();
    EXPECT_CALL(*gateway, status(_, _)).WillOnce(::testing::Return(
        R"({"terminal_id":"T-3410712362-0001","facility":{"code":"3410712362"},"planned_end_date":null})"));
    Services s;
    s.gateway = gateway;
    s.credentials = std::make_shared<StubCredentialStore>(true);
    Context ctx(Config{}, s);
    auto id = ctx.submit("network", onshi::core::make_status_procedure(ctx.services()));
    ASSERT_TRUE(ctx.job(id)->wait_ended(10s));
    ASSERT_EQ(ctx.job(id)->final_status(), ONSHI_OK);
    auto result = ctx.job(id)->result();
    EXPECT_EQ(result->json().rfind(R"({"enrolled":true,"terminal_id":"T-3410712362-0001")", 0), 0u) << result->json();
    ASSERT_NE(result->field("terminal_id", 0), nullptr);
}

TEST(TerminalJobs, CancelAbortsATransferInFlight) {
    auto gateway = std::make_shared<MockGatewayClient>();
    std::atomic<bool> in_flight{false}, returned{false};
    EXPECT_CALL(*gateway, status(_, _)).WillOnce([&](const onshi::gateway::ClientIdentity &, onshi::gateway::CancelToken &token) {
        in_flight = true;
        block_until_cancelled(token);
        returned = token.cancelled();
        throw Error(ONSHI_E_CANCELLED, {});
        return std::string();
    });
    Services s;
    s.gateway = gateway;
    s.credentials = std::make_shared<StubCredentialStore>(true);
    Context ctx(Config{}, s);
    auto id = ctx.submit("network", onshi::core::make_status_procedure(ctx.services()));
    for (int i = 0; i < 500 && !in_flight; ++i) std::this_thread::sleep_for(2ms);
    ASSERT_TRUE(in_flight);
    ctx.cancel(id);
    EXPECT_EQ(ctx.job(id)->final_status(), ONSHI_E_CANCELLED);
    for (int i = 0; i < 500 && !returned; ++i) std::this_thread::sleep_for(2ms);
    EXPECT_TRUE(returned) << "the cancel reached the transfer through the token";
}

TEST(TerminalJobs, EndOfUseWipesTheStoreAndSaysWhichTerminalEnded) {
    auto gateway = std::make_shared<MockGatewayClient>();
    EXPECT_CALL(*gateway, end_use(_, _)).WillOnce([](auto &, auto &) {
        onshi::gateway::EndOfUseResponse r;
        r.status = "ended";  // no terminal_id in the answer: the store's is reported
        r.facility = {"3410712362", "テスト医院", 1, -1};
        return r;
    });
    auto store = std::make_shared<StubCredentialStore>(true);
    Services s;
    s.gateway = gateway;
    s.credentials = store;
    Context ctx(Config{}, s);
    auto id = ctx.submit("network", onshi::core::make_unenroll_procedure(ctx.services()));
    ASSERT_TRUE(ctx.job(id)->wait_ended(10s));
    ASSERT_EQ(ctx.job(id)->final_status(), ONSHI_OK) << ctx.job(id)->result()->json();
    const auto result = ctx.job(id)->result();
    EXPECT_EQ(result->json(), R"({"enrolled":false,"ended":true,"terminal_id":"T-3410712362-0001",)"
                              R"("facility":{"code":"3410712362","name":"テスト医院","terminals_used":1}})");
    ASSERT_NE(result->field("name", 0), nullptr);
    EXPECT_EQ(*result->field("name", 0), "テスト医院");
    EXPECT_FALSE(store->record().has_value()) << "the local key is gone";
}

TEST(TerminalJobs, EnrollingTwiceIsRefusedWithoutTheNetwork) {
    auto gateway = std::make_shared<MockGatewayClient>();
    EXPECT_CALL(*gateway, enroll(_, _)).Times(0);
    Services s;
    s.gateway = gateway;
    s.credentials = std::make_shared<StubCredentialStore>(true);
    Context ctx(Config{}, s);
    auto id = ctx.submit("network", onshi::core::make_enrollment_procedure(
        ctx.config(), ctx.services(),
        R"({"facility_code":"3410712362","enrollment_id":"ENR-0001","setup_password":"pw-123456"})"));
    ASSERT_TRUE(ctx.job(id)->wait_ended(10s));
    EXPECT_EQ(ctx.job(id)->final_status(), ONSHI_E_ALREADY_ENROLLED);
}

TEST(TerminalJobs, BadSetupJsonIsRefusedAtOnce) {
    Services s;
    Config c;
    try {
        onshi::core::make_enrollment_procedure(c, s, R"({"facility_code":"12","enrollment_id":"E","setup_password":"p"})");
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_INVALID_ARGUMENT);
        EXPECT_NE(e.detail().en.find("setup_json.facility_code"), std::string::npos) << e.detail().en;
    }
    EXPECT_THROW(onshi::core::make_enrollment_procedure(c, s, R"({"facility_code":"3410712362","enrollment_id":"E"})"), Error);
    EXPECT_THROW(onshi::core::make_enrollment_procedure(
                     c, s, R"({"facility_code":"3410712362","enrollment_id":"E","setup_password":"p","extra":1})"),
                 Error);
}

}  // namespace
