#include "card/timed_card_channel.h"

#include <algorithm>

namespace onshi::card {

ResponseApdu TimedCardChannel::transmit(const CommandApdu &command) {
    const auto started = now_();
    ResponseApdu r = inner_.transmit(command);
    round_trips_.push_back(std::chrono::duration_cast<std::chrono::microseconds>(now_() - started));
    largest_ = std::max(largest_, r.data.size() + 2);
    return r;
}

std::chrono::microseconds median_of(std::vector<std::chrono::microseconds> values) {
    if (values.empty()) return std::chrono::microseconds{0};
    auto middle = values.begin() + static_cast<std::ptrdiff_t>((values.size() - 1) / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

std::chrono::microseconds max_of(const std::vector<std::chrono::microseconds> &values) {
    if (values.empty()) return std::chrono::microseconds{0};
    return *std::max_element(values.begin(), values.end());
}

}  // namespace onshi::card
