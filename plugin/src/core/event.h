// An event as the core produces it; the C shim turns it into an onshi_event for the host.
#pragma once

#include <onshi/onshi.h>

#include <string>

namespace onshi::core {

struct Event {
    int32_t type = ONSHI_EVENT_NONE;
    onshi_job_id job = 0;
    onshi_status status = ONSHI_OK;
    int32_t value = -1;
    int32_t detail = 0;
    std::string text;

    bool is_final() const {
        return type == ONSHI_EVENT_DONE || type == ONSHI_EVENT_FAILED || type == ONSHI_EVENT_CANCELLED;
    }
    // Never dropped from a full queue: the host's only news of a job (or a face file's job).
    bool must_reach_host() const { return is_final() || type == ONSHI_EVENT_RESULT_ARRIVED || type == ONSHI_EVENT_PIN_NEEDED; }
};

// Where jobs and the reader monitor send their events.
class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void post(Event event) = 0;
};

}  // namespace onshi::core
