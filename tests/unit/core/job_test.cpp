#include "core/job.h"

#include "fakes.h"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using onshi::Error;
using onshi::SecureBuffer;
using onshi::core::Job;
using onshi::test::RecordingSink;

namespace {

std::size_t finals(const std::vector<onshi::core::Event> &events) {
    std::size_t n = 0;
    for (const auto &e : events) n += e.is_final();
    return n;
}

TEST(Job, EndsExactlyOnceWhoeverEndsIt) {
    RecordingSink sink;
    Job job(1, sink, "en");
    ASSERT_TRUE(job.start());
    EXPECT_TRUE(job.cancel());
    EXPECT_FALSE(job.succeed(onshi::core::JobResult::from_json("{}")));
    EXPECT_FALSE(job.fail(Error(ONSHI_E_NO_CARD, {})));
    EXPECT_FALSE(job.cancel());
    EXPECT_EQ(finals(sink.events()), 1u);
    EXPECT_EQ(job.state(), ONSHI_JOB_CANCELLED);
    EXPECT_EQ(job.final_status(), ONSHI_E_CANCELLED);
}

TEST(Job, CancelledWhileQueuedNeverStarts) {
    RecordingSink sink;
    Job job(1, sink, "en");
    job.cancel();
    EXPECT_FALSE(job.start());
}

TEST(Job, FailureCarriesMessageTriesAndResultJson) {
    RecordingSink sink;
    Job job(3, sink, "en");
    job.start();
    job.fail(Error(ONSHI_E_PIN_INCORRECT, {"2 tries left", "残り2回"}, 2));
    auto events = sink.events();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].type, ONSHI_EVENT_FAILED);
    EXPECT_EQ(events[0].value, 2);
    EXPECT_EQ(events[0].text, "The PIN is incorrect") << "the event carries the clerk's sentence only";
    ASSERT_TRUE(job.result());
    EXPECT_NE(job.result()->json().find("\"status\":\"ONSHI_E_PIN_INCORRECT\""), std::string::npos);
    EXPECT_NE(job.result()->json().find("\"tries_left\":2"), std::string::npos);
    // The three parts of a failure, each a member onshi_result_field can read.
    ASSERT_NE(job.result()->field("message", 0), nullptr);
    EXPECT_EQ(*job.result()->field("message", 0), "The PIN is incorrect");
    ASSERT_NE(job.result()->field("action", 0), nullptr);
    EXPECT_EQ(*job.result()->field("action", 0), "Ask the patient to enter it again; mind the tries left");
    ASSERT_NE(job.result()->field("detail", 0), nullptr);
    EXPECT_EQ(*job.result()->field("detail", 0), "2 tries left");
}

TEST(Job, FailureWithoutDetailGivesTheStatusMeaningForIt) {
    RecordingSink sink;
    Job job(3, sink, "ja");
    job.start();
    job.fail(Error(ONSHI_E_NO_CARD, {}));
    ASSERT_TRUE(job.result());
    ASSERT_NE(job.result()->field("message", 0), nullptr);
    EXPECT_EQ(*job.result()->field("message", 0), "カードが置かれていません");
    ASSERT_NE(job.result()->field("action", 0), nullptr);
    EXPECT_EQ(*job.result()->field("action", 0), "カードを置いてから、もう一度押してください");
    ASSERT_NE(job.result()->field("detail", 0), nullptr);
    EXPECT_EQ(*job.result()->field("detail", 0), "読み取り機にカードがありません");
}

TEST(Job, ProgressAndPinEventsCarryATextInTheContextLocale) {
    RecordingSink sink;
    Job job(4, sink, "en");
    job.start();
    job.progress(ONSHI_PROGRESS_READING_CARD);
    // Nobody answers: the wait times out, after its PIN_NEEDED event.
    EXPECT_THROW(job.wait_for_secret(ONSHI_SECRET_PIN, 1, std::chrono::milliseconds(10)), Error);
    auto events = sink.events();
    ASSERT_GE(events.size(), 2u);
    EXPECT_EQ(events[0].text, "Reading the card");
    EXPECT_EQ(events[1].type, ONSHI_EVENT_PIN_NEEDED);
    EXPECT_EQ(events[1].text, "Enter the 4-digit PIN (1 try left)");

    RecordingSink ja_sink;
    Job ja_job(5, ja_sink, "ja");
    ja_job.start();
    ja_job.progress(ONSHI_PROGRESS_CONTACTING_GATEWAY);
    EXPECT_THROW(ja_job.wait_for_secret(ONSHI_SECRET_PIN, 3, std::chrono::milliseconds(10)), Error);
    auto ja_events = ja_sink.events();
    ASSERT_GE(ja_events.size(), 2u);
    EXPECT_EQ(ja_events[0].text, "資格確認サーバーに問い合わせています");
    EXPECT_EQ(ja_events[1].text, "暗証番号（4桁）を入力してください（残り3回）");
}

TEST(Job, NoProgressAfterTheFinalEvent) {
    RecordingSink sink;
    Job job(1, sink, "ja");
    job.start();
    job.progress(ONSHI_PROGRESS_READING_CARD);
    job.cancel();
    job.progress(ONSHI_PROGRESS_SIGNING);
    auto events = sink.events();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events.back().type, ONSHI_EVENT_CANCELLED);
}

TEST(Job, PinDialogHandsTheSecretToTheWorker) {
    RecordingSink sink;
    Job job(9, sink, "en");
    job.start();
    std::thread host([&] {
        ASSERT_TRUE(sink.wait_until([](auto &ev) { return !ev.empty(); }));
        EXPECT_EQ(job.state(), ONSHI_JOB_WAITING_FOR_PIN);
        EXPECT_EQ(job.provide_secret(SecureBuffer::from_string("1234"), true), ONSHI_OK);
    });
    onshi::core::SecretAnswer answer = job.wait_for_secret(ONSHI_SECRET_PIN, 3, 10s, "android");
    host.join();
    EXPECT_EQ(answer.secret.view(), "1234");
    EXPECT_TRUE(answer.allow_last_attempt);
    EXPECT_EQ(job.state(), ONSHI_JOB_RUNNING);
    auto events = sink.events();
    EXPECT_EQ(events[0].type, ONSHI_EVENT_PIN_NEEDED);
    EXPECT_EQ(events[0].value, 3);
    EXPECT_EQ(events[0].detail, ONSHI_SECRET_PIN);
    EXPECT_EQ(events[0].text, "Enter the 4-digit PIN of the smartphone certificate (3 tries left)")
        << "on an Android phone the prompt asks for the smartphone certificate's PIN";
}

TEST(Job, PinGivenWhenNotAskedIsRefused) {
    RecordingSink sink;
    Job job(1, sink, "en");
    job.start();
    EXPECT_EQ(job.provide_secret(SecureBuffer::from_string("1234"), false), ONSHI_E_WRONG_STATE);
}

TEST(Job, CancelWakesThePinDialog) {
    RecordingSink sink;
    Job job(1, sink, "en");
    job.start();
    std::thread host([&] {
        sink.wait_until([](auto &ev) { return !ev.empty(); });
        job.cancel();
    });
    try {
        job.wait_for_secret(ONSHI_SECRET_PIN, 3, 10s);
        ADD_FAILURE() << "should have been cancelled";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_CANCELLED);
    }
    host.join();
    EXPECT_EQ(job.state(), ONSHI_JOB_CANCELLED);
}

TEST(Job, PinDialogTimesOut) {
    RecordingSink sink;
    Job job(1, sink, "en");
    job.start();
    try {
        job.wait_for_secret(ONSHI_SECRET_PIN, 3, 10ms);
        ADD_FAILURE() << "should time out";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_TIMEOUT);
    }
}

// The reader monitor ends the PIN dialog of a job whose card left: the wait throws the reason at
// once (not at the timeout, not after a PIN), and the host's late PIN is refused.
TEST(Job, EndSecretWaitEndsThePinDialogAtOnce) {
    RecordingSink sink;
    Job job(1, sink, "en");
    job.start();
    std::thread monitor([&] {
        sink.wait_until([](auto &ev) { return !ev.empty(); });
        job.end_secret_wait(Error(ONSHI_E_CARD_REMOVED, {}));
    });
    try {
        job.wait_for_secret(ONSHI_SECRET_PIN, 3, 60s);
        ADD_FAILURE() << "the dialog should have ended";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_CARD_REMOVED);
    }
    monitor.join();
    EXPECT_EQ(job.state(), ONSHI_JOB_RUNNING) << "the worker ends the job with the error";
    EXPECT_EQ(job.waiting_for(), 0);
    EXPECT_EQ(job.provide_secret(SecureBuffer::from_string("1234"), false), ONSHI_E_WRONG_STATE);
}

TEST(Job, NoPinDialogForACardThatAlreadyLeft) {
    RecordingSink sink;
    Job job(1, sink, "en");
    job.start();
    job.end_secret_wait(Error(ONSHI_E_CARD_REMOVED, {}));
    job.end_secret_wait(Error(ONSHI_E_PCSC_UNAVAILABLE, {}));  // the first reason stays
    try {
        job.wait_for_secret(ONSHI_SECRET_PIN, 3, 60s);
        ADD_FAILURE() << "no dialog should open";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_CARD_REMOVED);
    }
    EXPECT_TRUE(sink.events().empty()) << "PIN_NEEDED for a card that is gone";
}

TEST(Job, CancelHookRunsOnCancelAndAtOnceWhenAlreadyCancelled) {
    RecordingSink sink;
    Job job(1, sink, "en");
    job.start();
    int calls = 0;
    job.set_cancel_hook([&] { ++calls; });
    job.cancel();
    EXPECT_EQ(calls, 1);
    job.set_cancel_hook([&] { ++calls; });
    EXPECT_EQ(calls, 2);
}

}  // namespace
