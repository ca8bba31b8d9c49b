// onshi host SDK — internal: the state behind a Context and its jobs, and the one C callback
// through which the library reaches the host.
//
// Rules this file implements:
//  - The library calls trampoline() on an onshi thread. Nothing thrown by host code crosses it:
//    a handler's exception cancels the job and is stored into the job's promise.
//  - A job's events are handled one at a time, in order. An event that arrives before
//    onshi_check_eligibility has even returned the job id is kept and handled (in order) as soon
//    as the job is registered, by whichever thread gets there first.
//  - The onshi_context* is used under a shared lock that close() takes exclusively, except on a
//    thread that is delivering this context's events: onshi_close waits for that thread, so the
//    handle is alive there and taking the lock would deadlock.
//  - After onshi_close returns, any job the library did not finish (it must finish them all) is
//    failed with ONSHI_E_CLOSING, so a host future never hangs.
#ifndef ONSHI_SDK_DETAIL_CONTEXT_STATE_HPP
#define ONSHI_SDK_DETAIL_CONTEXT_STATE_HPP

#include <onshi/onshi.h>
#include <onshi/sdk/detail/loaded.hpp>
#include <onshi/sdk/detail/secret.hpp>
#include <onshi/sdk/error.hpp>
#include <onshi/sdk/handlers.hpp>
#include <onshi/sdk/result.hpp>

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

namespace onshi::sdk::detail {

struct ContextState;

// The context whose events this thread is delivering right now (nullptr: none).
inline thread_local const ContextState *delivering_context = nullptr;

class DeliveryScope {
public:
    explicit DeliveryScope(const ContextState *state) noexcept : previous_(delivering_context) {
        delivering_context = state;
    }
    ~DeliveryScope() { delivering_context = previous_; }
    DeliveryScope(const DeliveryScope &) = delete;
    DeliveryScope &operator=(const DeliveryScope &) = delete;

private:
    const ContextState *previous_;
};

struct JobState {
    explicit JobState(JobHandlers h) : handlers(std::move(h)) {}

    onshi_job_id id = 0;
    JobHandlers handlers;
    std::promise<Result> promise;

    std::mutex delivery_mutex;        // one event at a time
    std::vector<Event> backlog;       // early events, handled before anything newer
    std::exception_ptr handler_error; // the first exception a host handler threw

    std::mutex state_mutex;
    std::condition_variable ended_cv;
    bool ended = false;
    onshi_status final_status = ONSHI_OK;

    // Handles the backlog, then event (if any). handle is alive (see the file comment).
    void deliver(ContextState &context, onshi_context *handle, const Event *event);
    // Fails a job the library never finished (after onshi_close): no library calls.
    void abandon(ContextState &context);

private:
    void process(ContextState &context, onshi_context *handle, const Event &event);
    void answer_pin(ContextState &context, onshi_context *handle, const Event &event);
    void finish(ContextState &context, onshi_context *handle, const Event &event);
    void handler_failed(ContextState &context, onshi_context *handle) noexcept;
};

struct ContextState {
    std::shared_ptr<const Loaded> lib;
    onshi_context *handle = nullptr; // written only by open and close (exclusive lock)
    mutable std::shared_mutex handle_mutex;
    std::shared_ptr<ContextState> self; // keeps user_data alive while the library may call back

    std::mutex mutex; // guards what follows
    std::map<onshi_job_id, std::shared_ptr<JobState>> jobs;
    std::map<onshi_job_id, std::vector<Event>> early;
    int submitting = 0;
    std::function<void(const Event &)> listener;

    const Api &api() const noexcept { return lib->api; }
    bool delivering_here() const noexcept { return delivering_context == this; }

    // Runs f(handle) while the handle is alive; Error(ONSHI_E_CLOSING) once closed.
    template <class F> auto with_handle(F &&f) const {
        if (delivering_here())
            return f(handle);
        std::shared_lock<std::shared_mutex> lock(handle_mutex);
        if (!handle)
            throw Error(ONSHI_E_CLOSING, "ONSHI_E_CLOSING", "the onshi context is closed");
        return f(handle);
    }

    static void ONSHI_CALL trampoline(void *user_data, const onshi_event *raw) noexcept {
        if (!user_data || !raw)
            return;
        try {
            static_cast<ContextState *>(user_data)->deliver(copy_event(*raw));
        } catch (...) {
            // Nothing may cross into the library (allocation failure while copying, ...).
        }
    }

    void deliver(Event event) {
        DeliveryScope scope(this);
        std::shared_ptr<JobState> job;
        std::function<void(const Event &)> to_listener;
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (event.job != 0) {
                const auto found = jobs.find(event.job);
                if (found != jobs.end()) {
                    job = found->second;
                } else if (submitting > 0) {
                    early[event.job].push_back(std::move(event)); // its job id is on its way
                    return;
                }
            }
            if (!job)
                to_listener = listener;
        }
        if (job) {
            job->deliver(*this, handle, &event);
        } else if (to_listener) {
            try {
                to_listener(event);
            } catch (...) {
            }
        }
    }

    // Starts a job with start(handle, &id) and registers it. Throws Error when start fails.
    template <class Start>
    std::shared_ptr<JobState> submit(Start &&start, JobHandlers handlers) {
        auto job = std::make_shared<JobState>(std::move(handlers));
        with_handle([&](onshi_context *h) {
            {
                std::lock_guard<std::mutex> lock(mutex);
                ++submitting;
            }
            onshi_job_id id = 0;
            const onshi_status status = start(h, &id);
            {
                std::lock_guard<std::mutex> lock(mutex);
                --submitting;
                if (status == ONSHI_OK) {
                    job->id = id;
                    const auto found = early.find(id);
                    if (found != early.end()) {
                        job->backlog = std::move(found->second);
                        early.erase(found);
                    }
                    jobs[id] = job;
                }
                if (submitting == 0)
                    early.clear(); // events of jobs the SDK did not start
            }
            check(*lib, status, h);
            DeliveryScope scope(this);
            job->deliver(*this, h, nullptr); // the early events, if any
            return 0;
        });
        return job;
    }

    void forget(onshi_job_id id) {
        std::lock_guard<std::mutex> lock(mutex);
        jobs.erase(id);
    }

    void close() {
        if (delivering_here())
            throw Error(ONSHI_E_WRONG_STATE, "ONSHI_E_WRONG_STATE",
                        "an onshi context cannot be closed from one of its own event handlers");
        {
            std::unique_lock<std::shared_mutex> lock(handle_mutex);
            if (!handle)
                return;
            check(*lib, api().onshi_close(handle), handle);
            handle = nullptr;
        }
        // The library has finished every job; this only guards against a library bug.
        std::map<onshi_job_id, std::shared_ptr<JobState>> left;
        {
            std::lock_guard<std::mutex> lock(mutex);
            left.swap(jobs);
            early.clear();
        }
        for (auto &entry : left)
            entry.second->abandon(*this);
        self.reset(); // may destroy *this: nothing after this line
    }
};

inline void JobState::deliver(ContextState &context, onshi_context *handle, const Event *event) {
    std::lock_guard<std::mutex> lock(delivery_mutex);
    std::vector<Event> pending;
    pending.swap(backlog);
    for (const Event &early : pending)
        process(context, handle, early);
    if (event)
        process(context, handle, *event);
}

inline void JobState::process(ContextState &context, onshi_context *handle, const Event &event) {
    {
        std::lock_guard<std::mutex> lock(state_mutex);
        if (ended)
            return; // nothing follows a final event
    }
    if (handlers.on_event) {
        try {
            handlers.on_event(event);
        } catch (...) {
            handler_failed(context, handle);
        }
    }
    if (event.type == ONSHI_EVENT_PIN_NEEDED && !handler_error)
        answer_pin(context, handle, event);
    else if (event.is_final())
        finish(context, handle, event);
}

inline void JobState::answer_pin(ContextState &context, onshi_context *handle, const Event &event) {
    if (!handlers.on_pin_needed)
        return; // the host answers with Job::provide_pin
    PinRequest request;
    request.job = id;
    request.secret = event.detail == 0 ? ONSHI_SECRET_PIN : event.detail;
    request.tries_left = event.value;
    for (int attempt = 0; attempt < 5; ++attempt) {
        std::optional<PinAnswer> answer;
        try {
            answer = handlers.on_pin_needed(request);
        } catch (...) {
            handler_failed(context, handle);
            return;
        }
        if (!answer) {
            context.api().onshi_job_cancel(handle, id);
            return;
        }
        const onshi_status status =
            context.api().onshi_provide_pin(handle, id, answer->secret.c_str(),
                                            answer->allow_last_attempt
                                                ? std::uint32_t{ONSHI_PIN_ALLOW_LAST_ATTEMPT}
                                                : std::uint32_t{0});
        wipe(answer->secret);
        if (status == ONSHI_OK)
            return;
        if (status != ONSHI_E_PIN_FORMAT && status != ONSHI_E_COLLATION_B_FORMAT &&
            status != ONSHI_E_INVALID_ARGUMENT)
            break;
        request.previous_error = status; // no try was spent: ask again
    }
    context.api().onshi_job_cancel(handle, id);
}

inline void JobState::handler_failed(ContextState &context, onshi_context *handle) noexcept {
    if (!handler_error)
        handler_error = std::current_exception();
    context.api().onshi_job_cancel(handle, id); // its final event still comes and ends the job
}

inline void JobState::finish(ContextState &context, onshi_context *handle, const Event &event) {
    const Api &api = context.api();
    onshi_result *raw = nullptr;
    const onshi_status got = api.onshi_job_result(handle, id, &raw);
    if (got != ONSHI_OK)
        raw = nullptr;
    onshi_status status = event.type == ONSHI_EVENT_CANCELLED && event.status == ONSHI_OK
                              ? onshi_status{ONSHI_E_CANCELLED}
                              : event.status;
    if (event.type == ONSHI_EVENT_DONE && got != ONSHI_OK)
        status = got; // done, but the result is not available: report why
    Result result(context.lib, raw, status, id);
    api.onshi_job_release(handle, id);
    context.forget(id);

    try {
        if (handler_error) {
            promise.set_exception(handler_error);
        } else if (status == ONSHI_OK) {
            promise.set_value(result);
        } else {
            std::string message = event.text;
            if (message.empty())
                message = safe(api.onshi_status_message(status, nullptr));
            promise.set_exception(std::make_exception_ptr(
                JobError(status, safe(api.onshi_status_name(status)), std::move(message), id,
                         event.type == ONSHI_EVENT_FAILED ? event.value : -1, result.json())));
        }
    } catch (...) {
        // Out of memory while building the error: the future then reports a broken promise.
    }
    if (handlers.on_complete) {
        try {
            handlers.on_complete(result);
        } catch (...) {
            // The outcome is already in the promise; a throwing completion handler loses nothing.
        }
    }
    {
        std::lock_guard<std::mutex> lock(state_mutex);
        ended = true;
        final_status = status;
    }
    ended_cv.notify_all();
}

inline void JobState::abandon(ContextState &context) {
    std::lock_guard<std::mutex> delivery(delivery_mutex);
    {
        std::lock_guard<std::mutex> lock(state_mutex);
        if (ended)
            return;
    }
    const Api &api = context.api();
    try {
        promise.set_exception(std::make_exception_ptr(
            JobError(ONSHI_E_CLOSING, safe(api.onshi_status_name(ONSHI_E_CLOSING)),
                     "the context was closed before the job ended", id, -1, std::string())));
    } catch (...) {
    }
    if (handlers.on_complete) {
        try {
            handlers.on_complete(Result(context.lib, nullptr, ONSHI_E_CLOSING, id));
        } catch (...) {
        }
    }
    {
        std::lock_guard<std::mutex> lock(state_mutex);
        ended = true;
        final_status = ONSHI_E_CLOSING;
    }
    ended_cv.notify_all();
}

} // namespace onshi::sdk::detail

#endif
