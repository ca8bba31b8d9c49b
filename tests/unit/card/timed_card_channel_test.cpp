// Round trips and the largest answer as the diagnosis measures them, with a clock that steps.
#include "card/commands.h"
#include "card/timed_card_channel.h"
#include "scripted_channel.h"
#include "util/error.h"

#include <gtest/gtest.h>

namespace onshi::card {
namespace {

using namespace std::chrono;

TEST(TimedCardChannel, RecordsEachAnsweredApdu) {
    test::ScriptedChannel inner;
    inner.expect(test::kSelectJpki, "9000").expect("00B0000000", std::vector<std::uint8_t>(256, 0xAB), 0x9000).expect(test::kSelectCert, "");
    steady_clock::time_point t{};
    int calls = 0;
    // Each transmit takes 2 ms, then 5 ms, ...: start and end readings alternate.
    const std::vector<int> ends = {2, 5};
    TimedCardChannel timed(inner, [&] {
        const int i = calls++;
        if (i % 2 == 1) return t + milliseconds(ends[static_cast<std::size_t>(i / 2) % ends.size()]);
        return t;
    });
    timed.transmit(Commands::select_jpki_ap());
    timed.transmit(Commands::read_binary(0, 256));
    EXPECT_THROW(timed.transmit(Commands::select_ef(Ef::jpki_auth_cert)), Error);
    ASSERT_EQ(timed.round_trips().size(), 2u);  // the vanished card's APDU has no round trip
    EXPECT_EQ(timed.round_trips()[0], microseconds(2000));
    EXPECT_EQ(timed.round_trips()[1], microseconds(5000));
    EXPECT_EQ(timed.largest_response(), 258u);
}

TEST(TimedCardChannel, MedianAndMax) {
    EXPECT_EQ(median_of({}), microseconds(0));
    EXPECT_EQ(median_of({microseconds(9), microseconds(1), microseconds(5)}), microseconds(5));
    EXPECT_EQ(median_of({microseconds(4), microseconds(1), microseconds(3), microseconds(2)}), microseconds(2));
    EXPECT_EQ(max_of({microseconds(4), microseconds(10), microseconds(3)}), microseconds(10));
}

}  // namespace
}  // namespace onshi::card
