// The PIN copy a job holds (docs/design.md §Rules 3): handed from the host's call to the worker by
// moving the same wiped memory, never copied, and wiped when it is used up, refused or arrives too
// late. Proven with the wipe observer (tests/unit/util/wipe_recorder.h).
#include "core/job.h"

#include "fakes.h"
#include "wipe_recorder.h"

#include <gtest/gtest.h>

#include <thread>

using namespace std::chrono_literals;
using onshi::SecureBuffer;
using onshi::core::Job;
using onshi::test::RecordingSink;
using onshi::test::WipeRecorder;

namespace {

TEST(SecretWipe, PinHandedToTheWorkerIsTheSameMemoryAndIsWipedAfterUse) {
    WipeRecorder recorder;
    RecordingSink sink;
    Job job(3, sink, "en");
    job.start();
    const void *where = nullptr;
    std::thread host([&] {
        ASSERT_TRUE(sink.wait_until([](auto &ev) { return !ev.empty(); }));
        SecureBuffer pin = SecureBuffer::from_string("1234");
        where = pin.data();
        EXPECT_EQ(job.provide_secret(std::move(pin), false), ONSHI_OK);
    });
    {
        onshi::core::SecretAnswer answer = job.wait_for_secret(ONSHI_SECRET_PIN, 3, 10s);
        host.join();
        EXPECT_EQ(static_cast<const void *>(answer.secret.data()), where) << "the PIN was copied on its way";
        EXPECT_FALSE(recorder.wiped(where, 4)) << "wiped before the worker could use it";
    }
    EXPECT_TRUE(recorder.wiped(where, 4));
}

TEST(SecretWipe, PinGivenWhenNotAskedIsWipedAnyway) {
    WipeRecorder recorder;
    RecordingSink sink;
    Job job(4, sink, "en");
    job.start();
    SecureBuffer pin = SecureBuffer::from_string("2345");
    const void *where = pin.data();
    EXPECT_EQ(job.provide_secret(std::move(pin), false), ONSHI_E_WRONG_STATE);
    EXPECT_TRUE(recorder.wiped(where, 4));
}

TEST(SecretWipe, PinThatArrivesAfterTheJobEndedIsWiped) {
    // The host answers the PIN dialog while the job is being cancelled: the worker never takes
    // the PIN, and the job's end wipes it.
    WipeRecorder recorder;
    RecordingSink sink;
    Job job(5, sink, "en");
    job.start();
    const void *where = nullptr;
    // Whichever comes first for the worker (the PIN or the cancel), the PIN ends up wiped: taken
    // and dropped with the answer, or dropped by the job's end.
    std::thread worker([&] {
        try {
            onshi::core::SecretAnswer answer = job.wait_for_secret(ONSHI_SECRET_PIN, 3, 10s);
        } catch (const onshi::Error &e) {
            EXPECT_EQ(e.status(), ONSHI_E_CANCELLED);
        }
    });
    ASSERT_TRUE(sink.wait_until([](auto &ev) { return !ev.empty(); }));
    {
        SecureBuffer pin = SecureBuffer::from_string("3456");
        where = pin.data();
        job.provide_secret(std::move(pin), false);
        job.cancel();
    }
    worker.join();
    EXPECT_TRUE(recorder.wiped(where, 4));
}

}  // namespace
