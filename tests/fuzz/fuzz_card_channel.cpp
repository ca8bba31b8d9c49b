#include "fuzz_card_channel.h"

#include "card/status_words.h"

#include <algorithm>

namespace onshi::fuzz {

namespace {
constexpr std::size_t kMaxResponseBytes = 264;  // pcsc-lite's MAX_BUFFER_SIZE

bool is_tries_query(const std::vector<std::uint8_t> &command) {
    return command.size() == 4 && command[0] == 0x00 && command[1] == 0x20 && command[2] == 0x00;
}

bool is_get_response(const std::vector<std::uint8_t> &command) {
    return command.size() == 5 && command[0] == 0x00 && command[1] == 0xC0;
}
}  // namespace

card::ResponseApdu FuzzCardChannel::transmit(const card::CommandApdu &command) {
    std::size_t length = 0;
    if (script_.size() >= 2) {
        length = static_cast<std::size_t>(script_[0]) << 8 | script_[1];
        script_ = script_.subspan(2);
    } else {
        script_ = {};
    }
    length = std::min({length, kMaxResponseBytes, script_.size()});
    const std::span<const std::uint8_t> raw = script_.first(length);
    script_ = script_.subspan(length);
    try {
        card::ResponseApdu response = card::parse_response(raw);
        observe(command, &response);
        return response;
    } catch (...) {
        observe(command, nullptr);
        throw;
    }
}

void FuzzCardChannel::observe(const card::CommandApdu &command, const card::ResponseApdu *response) {
    const bool answers_query = is_tries_query(command.bytes()) || (query_pending_ && is_get_response(command.bytes()));
    query_pending_ = false;
    if (command.carries_secret()) {
        if (!query_allows_verify_) last_try_rule_held_ = false;
        query_allows_verify_ = false;  // one query licenses one VERIFY at most
    } else if (answers_query) {
        // A T=0 card may answer 61xx first: the SW that counts is the one GET RESPONSE ends with,
        // as CardSession::transmit hands it to PinGuard.
        query_pending_ = response != nullptr && card::sw::is_more_data(response->sw);
        query_allows_verify_ = response != nullptr &&
                               (response->ok() || (card::sw::is_counter(response->sw) && card::sw::counter(response->sw) >= 2));
    }
}

}  // namespace onshi::fuzz
