// One eligibility check end to end (EligibilityCheck through the Context) with a mocked gateway
// client, a scripted card and a manual clock: nothing touches a card before the enrollment is
// known; warm-up never outlives the check; the result is written once, with the confirmation the
// gateway gave and the timing the check measured.
#include "core/eligibility_check.h"

#include "core/context.h"
#include "fakes.h"
#include "gateway/protocol_messages.h"
#include "scripted_channel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <optional>
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
namespace t = onshi::card::test;

namespace {

// These tests are about the check's own use of the card, so the monitor identifies no card.
Config card_config() {
    Config c;
    c.pcsc_enabled = true;
    c.identify_cards = false;
    return c;
}

std::shared_ptr<onshi::test::FakeReaderSystem> reader_with_card() {
    auto readers = std::make_shared<onshi::test::FakeReaderSystem>();
    readers->set_readers({{"Reader 00 00", true}});
    return readers;
}

// Services of an enrolled terminal whose reader holds a My Number Card (counting the VERIFYs
// that carry a PIN) and whose gateway is `gateway`.
Services card_services(const std::shared_ptr<onshi::test::FakeReaderSystem> &readers, std::atomic<int> &pin_verifies,
                       std::shared_ptr<MockGatewayClient> gateway) {
    EXPECT_CALL(*readers, connect(_)).WillRepeatedly([&pin_verifies](const std::string &) -> std::unique_ptr<onshi::card::CardChannel> {
        return std::make_unique<onshi::test::FakeMyNumberCard>(pin_verifies);
    });
    Services s;
    s.readers = readers;
    s.gateway = std::move(gateway);
    s.credentials = std::make_shared<StubCredentialStore>(true);
    return s;
}

// The next event that `pred` accepts (passing over the others), within 10 s.
template <typename Pred>
std::optional<onshi::core::Event> next_event(Context &ctx, Pred pred) {
    for (int i = 0; i < 100; ++i)
        if (auto e = ctx.events().poll(100ms); e && pred(*e)) return e;
    return std::nullopt;
}

// A card that answers the read phase of a visual check without photo: identify and the
// 利用者証明用 certificate (300 bytes), nothing else.
std::unique_ptr<onshi::card::CardChannel> card_for_a_visual_check() {
    std::vector<std::uint8_t> cert = {0x30, 0x82, 0x01, 0x28};
    for (std::size_t i = 4; i < 300; ++i) cert.push_back(static_cast<std::uint8_t>(i));
    std::string token = "JPKIAPICCTOKEN2";
    token.resize(32, ' ');
    auto card = std::make_unique<t::ScriptedChannel>();
    card->expect(t::kSelectJpki, "9000")
        .expect(t::kSelectToken, "9000")
        .expect("00B0000020", {token.begin(), token.end()}, 0x9000)
        .expect(t::kSelectCert, "9000")
        .expect("00B0000000", {cert.begin(), cert.begin() + 256}, 0x9000)
        .expect("00B001002C", {cert.begin() + 256, cert.end()}, 0x9000);
    return card;
}

const std::string kXmlMsg =
    R"({"MessageHeader":{"SegmentOfResult":"1","CharacterCodeIdentifier":"0"},"MessageBody":{"ProcessingResultStatus":"1",)"
    R"("QualificationValidity":"1","ResultList":{"ResultOfQualificationConfirmation":[{"InsurerNumber":"  123456",)"
    R"("Name":"試験　花子","Sex1":"2"}]}}})";

onshi::gateway::ConfirmationResponse answer(const std::string &method) {
    return onshi::gateway::parse_confirmation_response(R"({"confirmation":{"id":"C-0001","method":")" + method +
                                                       R"(","time":"20261124201500"},"result":{"XmlMsg":)" + kXmlMsg + "}}");
}

TEST(EligibilityCheck, NotEnrolledFailsBeforeTheCardIsTouched) {
    auto readers = reader_with_card();
    EXPECT_CALL(*readers, connect(_)).Times(0);
    auto gateway = std::make_shared<MockGatewayClient>();
    EXPECT_CALL(*gateway, warm_up(_, _)).Times(0);
    EXPECT_CALL(*gateway, confirm(_, _, _)).Times(0);
    Services s;
    s.readers = readers;
    s.gateway = gateway;
    s.credentials = std::make_shared<StubCredentialStore>(false);
    Config c = card_config();
    c.locale = "en";
    Context ctx(c, s);
    auto id = ctx.submit_check("{}", onshi::SecureBuffer::from_string("1234"));
    ASSERT_TRUE(ctx.job(id)->wait_ended(10s));
    EXPECT_EQ(ctx.job(id)->final_status(), ONSHI_E_NOT_ENROLLED);
    EXPECT_NE(ctx.job(id)->result()->json().find("terminal not registered"), std::string::npos) << ctx.job(id)->result()->json();
}

TEST(EligibilityCheck, NoCredentialDirIsNotEnrolledEither) {
    auto readers = reader_with_card();
    EXPECT_CALL(*readers, connect(_)).Times(0);
    Services s;
    s.readers = readers;
    s.gateway = std::make_shared<MockGatewayClient>();
    Context ctx(card_config(), s);
    auto id = ctx.submit_check("{}", {});
    ASSERT_TRUE(ctx.job(id)->wait_ended(10s));
    EXPECT_EQ(ctx.job(id)->final_status(), ONSHI_E_NOT_ENROLLED);
}

TEST(EligibilityCheck, EnrolledWithoutGatewayIsAConfigErrorBeforeTheCard) {
    auto readers = reader_with_card();
    EXPECT_CALL(*readers, connect(_)).Times(0);
    Services s;
    s.readers = readers;
    s.credentials = std::make_shared<StubCredentialStore>(true);
    Context ctx(card_config(), s);
    auto id = ctx.submit_check("{}", {});
    ASSERT_TRUE(ctx.job(id)->wait_ended(10s));
    EXPECT_EQ(ctx.job(id)->final_status(), ONSHI_E_CONFIG);
}

TEST(EligibilityCheck, WarmUpOverlapsTheCardAndIsCancelledAndJoinedWhenTheCardFails) {
    auto readers = reader_with_card();
    auto gateway = std::make_shared<MockGatewayClient>();
    std::atomic<bool> warm_started{false}, warm_returned{false};
    EXPECT_CALL(*gateway, warm_up(_, _)).WillOnce([&](const onshi::gateway::ClientIdentity &identity, onshi::gateway::CancelToken &token) {
        EXPECT_EQ(identity.key_pem.view(), "-----BEGIN PRIVATE KEY-----stub");
        warm_started = true;
        block_until_cancelled(token);
        warm_returned = true;
    });
    EXPECT_CALL(*gateway, confirm(_, _, _)).Times(0);
    EXPECT_CALL(*readers, connect(_)).WillOnce([&](const std::string &) -> std::unique_ptr<onshi::card::CardChannel> {
        for (int i = 0; i < 500 && !warm_started; ++i) std::this_thread::sleep_for(1ms);
        EXPECT_TRUE(warm_started) << "the connection is opened while the card is read";
        throw Error(ONSHI_E_CARD_ERROR, {});
    });
    Services s;
    s.readers = readers;
    s.gateway = gateway;
    s.credentials = std::make_shared<StubCredentialStore>(true);
    Context ctx(card_config(), s);
    auto t0 = std::chrono::steady_clock::now();
    auto id = ctx.submit_check("{}", {});
    ASSERT_TRUE(ctx.job(id)->wait_ended(10s));
    EXPECT_EQ(ctx.job(id)->final_status(), ONSHI_E_CARD_ERROR);
    EXPECT_TRUE(warm_returned) << "the warm-up thread is joined before the job ends";
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
}

// The patient pulls the card while the PIN dialog is open: the reader monitor ends the job at
// once with CARD_REMOVED (pin_timeout is a minute), and no PIN ever reaches a card: one typed
// after the reader's CARD_REMOVED event is refused.
TEST(EligibilityCheck, CardPulledDuringThePinDialogEndsTheJobAtOnce) {
    auto readers = reader_with_card();
    std::atomic<int> pin_verifies{0};
    auto gateway = std::make_shared<::testing::NiceMock<MockGatewayClient>>();
    EXPECT_CALL(*gateway, confirm(_, _, _)).Times(0);
    Config c = card_config();
    c.locale = "en";
    c.pin_timeout = 60s;
    Context ctx(c, card_services(readers, pin_verifies, gateway));
    auto id = ctx.submit_check("{}", {});
    ASSERT_TRUE(next_event(ctx, [&](const auto &e) { return e.job == id && e.type == ONSHI_EVENT_PIN_NEEDED; }));
    EXPECT_EQ(ctx.job(id)->state(), ONSHI_JOB_WAITING_FOR_PIN);

    readers->set_readers({{"Reader 00 00", false}});
    std::optional<onshi::core::Event> removed, final_event;
    for (int i = 0; i < 2; ++i) {
        auto e = next_event(ctx, [&](const auto &ev) { return (ev.job == id && ev.is_final()) || ev.type == ONSHI_EVENT_CARD_REMOVED; });
        ASSERT_TRUE(e) << "the job still waits for the PIN";
        (e->type == ONSHI_EVENT_CARD_REMOVED ? removed : final_event) = e;
        if (i == 0 && removed) {
            try {
                ctx.provide_secret(id, onshi::SecureBuffer::from_string("1234"), false);
                ADD_FAILURE() << "a PIN typed after the card left was taken";
            } catch (const Error &err) {
                EXPECT_EQ(err.status(), ONSHI_E_WRONG_STATE);
            }
        }
    }
    ASSERT_TRUE(removed && final_event);
    EXPECT_EQ(final_event->type, ONSHI_EVENT_FAILED);
    EXPECT_EQ(final_event->status, ONSHI_E_CARD_REMOVED);
    EXPECT_EQ(final_event->value, -1);
    EXPECT_EQ(final_event->text, "The card was removed during the check") << "the event carries the clerk's sentence";
    const std::string *detail = ctx.job(id)->result()->field("detail", 0);
    ASSERT_NE(detail, nullptr);
    EXPECT_NE(detail->find("PIN was asked for"), std::string::npos) << *detail;
    try {
        ctx.provide_secret(id, onshi::SecureBuffer::from_string("1234"), false);
        ADD_FAILURE() << "the PIN typed after the card left was taken";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_WRONG_STATE);
    }
    ctx.close();
    EXPECT_EQ(pin_verifies, 0) << "a PIN reached the card";
}

// A gateway that never answers the warm-up: the check waits for it only within the gateway budget
// (timeout_ms from the end of the card phase), cancels it then and ends GATEWAY_TIMEOUT without
// sending the confirmation, whose budget is spent. Before, it waited for the warm-up to end and then
// gave the confirmation timeout_ms of its own.
TEST(EligibilityCheck, AHungWarmUpIsWaitedForWithinTheGatewayBudgetOnly) {
    auto readers = reader_with_card();
    std::atomic<int> pin_verifies{0};
    auto gateway = std::make_shared<MockGatewayClient>();
    std::atomic<bool> warm_up_cancelled{false};
    EXPECT_CALL(*gateway, warm_up(_, _)).WillOnce([&](const onshi::gateway::ClientIdentity &, onshi::gateway::CancelToken &token) {
        block_until_cancelled(token);
        warm_up_cancelled = token.cancelled();
    });
    EXPECT_CALL(*gateway, confirm(_, _, _)).Times(0);
    Config c = card_config();
    c.locale = "en";
    c.gateway.timeout = 300ms;
    Context ctx(c, card_services(readers, pin_verifies, gateway));
    auto id = ctx.submit_check("{}", onshi::SecureBuffer::from_string("1234"));
    ASSERT_TRUE(ctx.job(id)->wait_ended(5s)) << "the check waited for the warm-up beyond its budget";
    EXPECT_EQ(ctx.job(id)->final_status(), ONSHI_E_GATEWAY_TIMEOUT);
    EXPECT_NE(ctx.job(id)->result()->json().find("timed out"), std::string::npos) << ctx.job(id)->result()->json();
    EXPECT_TRUE(warm_up_cancelled);
    EXPECT_EQ(pin_verifies, 1);
}

// The confirmation goes out with the rest of the budget as its deadline (the client ends the
// transfer by then), never more than timeout_ms from now.
TEST(EligibilityCheck, TheConfirmationCarriesTheRestOfTheBudget) {
    auto readers = reader_with_card();
    std::atomic<int> pin_verifies{0};
    auto gateway = std::make_shared<::testing::NiceMock<MockGatewayClient>>();
    std::optional<std::chrono::steady_clock::duration> left;
    EXPECT_CALL(*gateway, confirm(_, _, _))
        .WillOnce([&](const onshi::gateway::ConfirmationRequest &, const onshi::gateway::ClientIdentity &,
                      onshi::gateway::CancelToken &token) -> onshi::gateway::ConfirmationResponse {
            if (auto deadline = token.deadline()) left = *deadline - std::chrono::steady_clock::now();
            throw Error(ONSHI_E_GATEWAY_ERROR, {});
        });
    Config c = card_config();
    c.gateway.timeout = 10s;
    Context ctx(c, card_services(readers, pin_verifies, gateway));
    auto id = ctx.submit_check("{}", onshi::SecureBuffer::from_string("1234"));
    ASSERT_TRUE(ctx.job(id)->wait_ended(10s));
    EXPECT_EQ(ctx.job(id)->final_status(), ONSHI_E_GATEWAY_ERROR);
    ASSERT_TRUE(left.has_value()) << "the confirmation had no deadline: timeout_ms of its own";
    EXPECT_LE(*left, 10s);
    EXPECT_GT(*left, 0s);
}

TEST(EligibilityCheck, TheResultIsTheGatewaysAnswerWithTheTimingTheCheckMeasured) {
    auto clock = std::make_shared<onshi::test::ManualClock>();
    auto readers = reader_with_card();
    EXPECT_CALL(*readers, connect(_)).WillOnce([&](const std::string &) {
        clock->advance(120ms);  // the card phase
        return card_for_a_visual_check();
    });
    auto gateway = std::make_shared<MockGatewayClient>();
    EXPECT_CALL(*gateway, warm_up(_, _)).Times(1);
    EXPECT_CALL(*gateway, confirm(_, _, _)).WillOnce([&](const onshi::gateway::ConfirmationRequest &request, auto &, auto &) {
        EXPECT_TRUE(request.visual);
        EXPECT_TRUE(request.signature.empty());
        clock->advance(40ms);  // the round trip
        return answer("visual");
    });
    Services s;
    s.readers = readers;
    s.gateway = gateway;
    s.clock = clock;
    s.credentials = std::make_shared<StubCredentialStore>(true);
    Context ctx(card_config(), s);
    auto id = ctx.submit_check(R"({"method":"visual"})", {});
    ASSERT_TRUE(ctx.job(id)->wait_ended(10s));
    ASSERT_EQ(ctx.job(id)->final_status(), ONSHI_OK) << ctx.job(id)->result()->json();
    const auto result = ctx.job(id)->result();
    const std::string &json = result->json();
    EXPECT_EQ(json.rfind(R"({"verdict":"eligible","confirmation":{"id":"C-0001","method":"visual","time":"20261124201500"},)"
                         R"("medium":"card","XmlMsg":)" + kXmlMsg + R"(,"labels":{)", 0),
              0u)
        << json;
    const std::string timing =
        R"(,"timing":{"card_ms":120.0,"warm_up_wait_ms":0.0,"network_ms":40.0,"other_ms":0.0,"total_ms":160.0}})";
    ASSERT_GE(json.size(), timing.size());
    EXPECT_EQ(json.substr(json.size() - timing.size()), timing) << json;
    // The fields were indexed while the result was written.
    ASSERT_NE(result->field("InsurerNumber", 0), nullptr);
    EXPECT_EQ(*result->field("InsurerNumber", 0), "  123456");
    ASSERT_NE(result->field("method", 0), nullptr);
    EXPECT_EQ(*result->field("method", 0), "visual");
    ASSERT_NE(result->field("ja", 0), nullptr) << "labels are fields too";
    EXPECT_EQ(result->field("card_ms", 0), nullptr) << "numbers are not";
}

TEST(EligibilityCheck, AnAnswerForAnotherMethodIsAProtocolError) {
    auto readers = reader_with_card();
    EXPECT_CALL(*readers, connect(_)).WillOnce([](const std::string &) { return card_for_a_visual_check(); });
    auto gateway = std::make_shared<MockGatewayClient>();
    EXPECT_CALL(*gateway, warm_up(_, _)).Times(1);
    EXPECT_CALL(*gateway, confirm(_, _, _)).WillOnce([](auto &, auto &, auto &) { return answer("pin"); });
    Services s;
    s.readers = readers;
    s.gateway = gateway;
    s.credentials = std::make_shared<StubCredentialStore>(true);
    Config c = card_config();
    c.locale = "en";
    Context ctx(c, s);
    auto id = ctx.submit_check(R"({"method":"visual"})", {});
    ASSERT_TRUE(ctx.job(id)->wait_ended(10s));
    EXPECT_EQ(ctx.job(id)->final_status(), ONSHI_E_GATEWAY_PROTOCOL);
    EXPECT_NE(ctx.job(id)->result()->json().find(R"(confirmed a \"pin\" check)"), std::string::npos)
        << ctx.job(id)->result()->json();
}

}  // namespace
