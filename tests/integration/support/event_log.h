// The events of one context, polled into a log in order: a test waits for the event it needs and
// can still look back at what came before it (a job's one final event, a reader that left before it
// came back) instead of losing the events its wait passed over. Polling takes events off the
// context's queue, so one log at a time per context.
#pragma once

#include <onshi/onshi.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace onshi::it {

// An event with its text copied (the ABI's text lives until the next poll).
struct Event {
    int32_t type = 0;
    onshi_job_id job = 0;
    onshi_status status = ONSHI_OK;
    int32_t value = -1;
    int32_t detail = 0;
    std::string text;
    bool final() const { return type == ONSHI_EVENT_DONE || type == ONSHI_EVENT_FAILED || type == ONSHI_EVENT_CANCELLED; }
};

class EventLog {
public:
    explicit EventLog(onshi_context *ctx = nullptr) : ctx_(ctx) {}

    // Polls one event into the log; false when none came within timeout_ms.
    bool poll(uint32_t timeout_ms);
    // Polls what is queued already, without waiting.
    void drain();
    // The first event from index `from` on that satisfies `pred` (polling up to about max_ms), or -1.
    long wait_for(std::size_t from, const std::function<bool(const Event &)> &pred, int max_ms = 20000);
    // The final event of `job` (polling up to max_ms); none when it did not come (a hang).
    std::optional<Event> final_of(onshi_job_id job, int max_ms = 60000);
    // Final events of `job` seen so far, after draining what is queued (a job ends exactly once).
    int finals_of(onshi_job_id job);

    const Event &at(long i) const { return log_[static_cast<std::size_t>(i)]; }
    std::size_t size() const { return log_.size(); }

private:
    onshi_context *ctx_;
    std::vector<Event> log_;
};

}  // namespace onshi::it
