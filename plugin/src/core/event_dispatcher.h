// Delivers events to the host in one of its chosen styles: a callback on our own dispatcher thread,
// or a queue that the host polls (a Windows window message only rings the bell for the queue).
// post() never waits on the host, so a slow or blocking callback cannot stall a card job.
#pragma once

#include "core/event.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace onshi::core {

class EventDispatcher final : public EventSink {
public:
    // Past max_queued, the oldest progress and reader events are dropped; final and PIN events
    // never are (their number is bounded by the job table).
    explicit EventDispatcher(std::size_t max_queued = 4096);
    ~EventDispatcher() override;

    void post(Event event) override;

    // Switches to callback delivery (or back to polling with a null callback). Queued events go
    // to the new callback.
    void set_callback(onshi_event_callback callback, void *user_data);

    // Called after every queued event when set (window-message bell); runs on the posting thread.
    void set_notifier(std::function<void(const Event &)> notifier);

    // The next queued event, waiting up to timeout. std::nullopt on timeout. Throws
    // Error(ONSHI_E_CLOSING) once shut down.
    std::optional<Event> poll(std::chrono::milliseconds timeout);

    // Delivers what is queued to the callback (if any), joins the dispatcher thread and wakes
    // pollers. No callback runs after it returns.
    void shutdown();

    bool on_dispatch_thread() const { return std::this_thread::get_id() == thread_id_; }

private:
    void dispatch_loop();
    void trim_locked();

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Event> queue_;
    std::size_t max_queued_;
    onshi_event_callback callback_ = nullptr;
    void *user_data_ = nullptr;
    std::function<void(const Event &)> notifier_;
    bool shut_down_ = false;
    std::thread thread_;
    std::thread::id thread_id_;
};

}  // namespace onshi::core
