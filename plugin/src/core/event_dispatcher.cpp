#include "core/event_dispatcher.h"

#include "util/error.h"

#include <algorithm>

namespace onshi::core {

EventDispatcher::EventDispatcher(std::size_t max_queued) : max_queued_(max_queued) {}

EventDispatcher::~EventDispatcher() { shutdown(); }

void EventDispatcher::post(Event event) {
    std::function<void(const Event &)> notifier;
    Event rung;  // what the bell announces; the queued event may be taken before it rings
    {
        std::lock_guard lock(mutex_);
        if (shut_down_) return;
        notifier = notifier_;
        if (notifier) rung = event;
        queue_.push_back(std::move(event));
        trim_locked();
    }
    changed_.notify_all();
    if (notifier) notifier(rung);
}

void EventDispatcher::trim_locked() {
    while (queue_.size() > max_queued_) {
        auto droppable = std::find_if(queue_.begin(), queue_.end(), [](const Event &e) {
            return !e.must_reach_host();
        });
        if (droppable == queue_.end()) return;
        queue_.erase(droppable);
    }
}

void EventDispatcher::set_callback(onshi_event_callback callback, void *user_data) {
    {
        std::lock_guard lock(mutex_);
        if (shut_down_) throw Error(ONSHI_E_CLOSING, {});
        callback_ = callback;
        user_data_ = user_data;
        if (callback_ && !thread_.joinable()) {
            thread_ = std::thread([this] { dispatch_loop(); });
            thread_id_ = thread_.get_id();
        }
    }
    changed_.notify_all();
}

void EventDispatcher::set_notifier(std::function<void(const Event &)> notifier) {
    std::lock_guard lock(mutex_);
    notifier_ = std::move(notifier);
}

std::optional<Event> EventDispatcher::poll(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    auto ready = [&] { return shut_down_ || (!callback_ && !queue_.empty()); };
    // A poll without a timeout (a host's UI timer) must not enter the condition variable: even an
    // expired wait releases and re-takes the mutex, and the host thread then sleeps behind every
    // worker that posts meanwhile (tests/bench host_calls: every such poll blocked, 75 µs median).
    if (!ready() && (timeout.count() <= 0 || !changed_.wait_for(lock, timeout, ready))) return std::nullopt;
    if (shut_down_) throw Error(ONSHI_E_CLOSING, {});
    Event e = std::move(queue_.front());
    queue_.pop_front();
    return e;
}

void EventDispatcher::dispatch_loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [&] { return shut_down_ || (callback_ && !queue_.empty()); });
        // On shutdown, hand over what is still queued before leaving: every final event reaches
        // the host exactly once.
        if (queue_.empty() || !callback_) {
            if (shut_down_) return;
            continue;
        }
        Event e = std::move(queue_.front());
        queue_.pop_front();
        onshi_event_callback cb = callback_;
        void *user = user_data_;
        lock.unlock();
        onshi_event out{};
        out.struct_size = sizeof(onshi_event);
        out.type = e.type;
        out.job = e.job;
        out.status = e.status;
        out.value = e.value;
        out.detail = e.detail;
        out.text = e.text.c_str();
        try {
            cb(user, &out);
        } catch (...) {
            // A C++ host threw through a C callback; swallow it rather than terminate the host.
        }
        lock.lock();
    }
}

void EventDispatcher::shutdown() {
    {
        std::lock_guard lock(mutex_);
        if (shut_down_ && !thread_.joinable()) return;
        shut_down_ = true;
        notifier_ = nullptr;
    }
    changed_.notify_all();
    if (thread_.joinable() && std::this_thread::get_id() != thread_id_) thread_.join();
    std::lock_guard lock(mutex_);
    queue_.clear();
}

}  // namespace onshi::core
