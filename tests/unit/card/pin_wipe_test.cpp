// PinGuard wipes the PIN on every way out of verify() (docs/design.md §Rules 3), and the VERIFY
// command that carried it too: right, wrong, refused last try, malformed. Proven with the wipe
// observer (tests/unit/util/wipe_recorder.h), never by reading freed memory.
#include "card/mynumber_card.h"
#include "scripted_channel.h"
#include "util/error.h"
#include "wipe_recorder.h"

#include <gtest/gtest.h>

namespace onshi::card {
namespace {

using namespace test;
using onshi::test::WipeRecorder;

constexpr std::size_t kVerifyApduSize = 9;  // 00 20 00 80 04 + four PIN digits

// Runs verify_pin with a PIN whose memory is watched; true when that memory was wiped.
bool verify_and_check_wiped(ScriptedChannel &ch, const char *pin_text, bool allow_last, WipeRecorder &recorder) {
    CardSession s(ch);
    SecureBuffer pin = SecureBuffer::from_string(pin_text);
    const void *where = pin.data();
    const std::size_t size = pin.size();
    try {
        MyNumberCard(s).verify_pin(std::move(pin), allow_last);
    } catch (const Error &) {
        // the outcome is pin_guard_test.cpp's business; here only the wipe counts
    }
    return recorder.wiped(where, size);
}

TEST(PinWipe, RightPinAndItsVerifyCommandAreWiped) {
    WipeRecorder recorder;
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "63C3").expect("002000800431323334", "9000");
    EXPECT_TRUE(verify_and_check_wiped(ch, "1234", false, recorder));
    EXPECT_TRUE(ch.all_consumed());
    EXPECT_GE(recorder.wipes_of_size(kVerifyApduSize), 1u) << "the VERIFY APDU held the PIN too";
}

TEST(PinWipe, WrongPinIsWiped) {
    WipeRecorder recorder;
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "63C3").expect("002000800431323334", "63C2");
    EXPECT_TRUE(verify_and_check_wiped(ch, "1234", false, recorder));
    EXPECT_GE(recorder.wipes_of_size(kVerifyApduSize), 1u);
}

TEST(PinWipe, PinRefusedForTheLastTryIsWipedWithoutBeingSent) {
    WipeRecorder recorder;
    ScriptedChannel ch;
    ch.expect(kSelectJpki, "9000").expect(kSelectPin, "9000").expect(kVerifyQuery, "63C1");
    EXPECT_TRUE(verify_and_check_wiped(ch, "1234", false, recorder));
    EXPECT_EQ(recorder.wipes_of_size(kVerifyApduSize), 0u) << "no VERIFY with data was built";
}

TEST(PinWipe, MalformedPinIsWipedWithoutTouchingTheCard) {
    WipeRecorder recorder;
    ScriptedChannel ch;
    EXPECT_TRUE(verify_and_check_wiped(ch, "12a4", false, recorder));
    EXPECT_TRUE(ch.journal().empty());
}

}  // namespace
}  // namespace onshi::card
