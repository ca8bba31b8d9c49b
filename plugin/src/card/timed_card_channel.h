// A CardChannel that measures each APDU's round trip and the largest answer that came back: the
// figures a reader diagnosis reports (the reader, its driver and the card together). Wraps another
// channel; the wrapped one keeps its behaviour, errors included.
#pragma once

#include "card/card_channel.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <vector>

namespace onshi::card {

class TimedCardChannel final : public CardChannel {
public:
    using Now = std::function<std::chrono::steady_clock::time_point()>;
    explicit TimedCardChannel(CardChannel &inner, Now now = [] { return std::chrono::steady_clock::now(); })
        : inner_(inner), now_(std::move(now)) {}

    ResponseApdu transmit(const CommandApdu &command) override;
    const std::vector<std::uint8_t> &atr() const override { return inner_.atr(); }
    ReaderDetails reader_details() const override { return inner_.reader_details(); }
    std::optional<std::vector<std::uint8_t>> feature_list() override { return inner_.feature_list(); }

    // Round trips of the APDUs that were answered (a throw records nothing), in order.
    const std::vector<std::chrono::microseconds> &round_trips() const noexcept { return round_trips_; }
    // The most R-APDU bytes (data + SW) one answer carried.
    std::size_t largest_response() const noexcept { return largest_; }

private:
    CardChannel &inner_;
    Now now_;
    std::vector<std::chrono::microseconds> round_trips_;
    std::size_t largest_ = 0;
};

// The median (lower middle for an even count) and the maximum; zero for none.
std::chrono::microseconds median_of(std::vector<std::chrono::microseconds> values);
std::chrono::microseconds max_of(const std::vector<std::chrono::microseconds> &values);

}  // namespace onshi::card
