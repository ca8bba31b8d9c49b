#include "event_log.h"

#include <algorithm>
#include <chrono>

namespace onshi::it {

bool EventLog::poll(uint32_t timeout_ms) {
    onshi_event e{};
    e.struct_size = sizeof e;
    if (onshi_poll_event(ctx_, timeout_ms, &e) != ONSHI_OK) return false;
    log_.push_back({e.type, e.job, e.status, e.value, e.detail, e.text ? e.text : ""});
    return true;
}

void EventLog::drain() {
    while (poll(0)) {
    }
}

long EventLog::wait_for(std::size_t from, const std::function<bool(const Event &)> &pred, int max_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(max_ms);
    for (std::size_t i = from;;) {
        for (; i < log_.size(); ++i)
            if (pred(log_[i])) return static_cast<long>(i);
        if (std::chrono::steady_clock::now() > deadline) return -1;
        poll(100);
    }
}

std::optional<Event> EventLog::final_of(onshi_job_id job, int max_ms) {
    long i = wait_for(0, [&](const Event &e) { return e.job == job && e.final(); }, max_ms);
    if (i < 0) return std::nullopt;
    return at(i);
}

int EventLog::finals_of(onshi_job_id job) {
    drain();
    return static_cast<int>(std::count_if(log_.begin(), log_.end(), [&](const Event &e) { return e.job == job && e.final(); }));
}

}  // namespace onshi::it
