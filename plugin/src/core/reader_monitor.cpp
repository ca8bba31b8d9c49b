#include "core/reader_monitor.h"

#include "util/error.h"

#include <algorithm>
#include <utility>

namespace onshi::core {
namespace {

const card::ReaderInfo *find(const std::vector<card::ReaderInfo> &list, const std::string &name) {
    auto it = std::find_if(list.begin(), list.end(), [&](const auto &r) { return r.name == name; });
    return it == list.end() ? nullptr : &*it;
}

Event reader_event(int32_t type, const std::string &name, int32_t detail = 0) {
    Event e;
    e.type = type;
    e.text = name;
    e.detail = detail;
    return e;
}

}  // namespace

ReaderMonitor::ReaderMonitor(card::ReaderSystem &system, EventSink &events, std::chrono::milliseconds retry_interval,
                             MediumProbe probe)
    : system_(system), events_(events), retry_interval_(retry_interval), probe_(std::move(probe)) {}

ReaderMonitor::~ReaderMonitor() { stop(); }

void ReaderMonitor::start() {
    if (thread_.joinable()) return;
    // The first listing happens here, so that onshi_list_readers right after onshi_open already
    // answers; it is one local IPC round trip (or a fast failure when the service is down).
    bool listed = false;
    try {
        apply(system_.list_readers(), true);
        listed = true;
    } catch (const std::exception &) {
    }
    thread_ = std::thread([this, listed] { run(listed); });
}

void ReaderMonitor::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stop_requested_.notify_all();
    snapshot_changed_.notify_all();
    if (!thread_.joinable()) return;
    // A cancel that lands just before the thread enters its wait would be lost, so keep ringing
    // until the thread has left.
    std::unique_lock lock(mutex_);
    while (!exited_) {
        lock.unlock();
        system_.cancel_wait();
        lock.lock();
        stop_requested_.wait_for(lock, std::chrono::milliseconds(20), [&] { return exited_; });
    }
    lock.unlock();
    thread_.join();
}

std::vector<card::ReaderInfo> ReaderMonitor::readers() const {
    std::lock_guard lock(mutex_);
    return readers_;
}

std::vector<ReaderView> ReaderMonitor::reader_views() const {
    std::lock_guard lock(mutex_);
    std::vector<ReaderView> out;
    out.reserve(readers_.size());
    for (const auto &r : readers_) {
        auto m = media_.find(r.name);
        out.push_back({r, r.card_present && m != media_.end() ? std::optional(m->second) : std::nullopt});
    }
    return out;
}

void ReaderMonitor::note_medium(const std::string &reader, card::Medium medium) const {
    std::lock_guard lock(mutex_);
    const card::ReaderInfo *r = find(readers_, reader);
    if (r && r->card_present) media_[reader] = medium;
}

bool ReaderMonitor::service_available() const {
    std::lock_guard lock(mutex_);
    return available_;
}

std::vector<card::ReaderInfo> ReaderMonitor::wait_for_change(const std::vector<card::ReaderInfo> &known,
                                                             std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    std::uint64_t wakeups = wakeups_;
    snapshot_changed_.wait_for(lock, timeout, [&] { return readers_ != known || wakeups_ != wakeups || stopping_; });
    return readers_;
}

void ReaderMonitor::wake_waiters() const {
    {
        std::lock_guard lock(mutex_);
        ++wakeups_;
    }
    snapshot_changed_.notify_all();
}

bool ReaderMonitor::recheck_service(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    if (available_ || stopping_) return available_;
    const std::uint64_t started_before = attempts_started_;
    retry_now_ = true;
    stop_requested_.notify_all();
    snapshot_changed_.wait_for(lock, timeout, [&] { return available_ || attempts_finished_ > started_before || stopping_; });
    return available_;
}

ReaderMonitor::CardWatch ReaderMonitor::watch_card(const std::string &reader, std::function<void(onshi_status)> on_gone) const {
    std::lock_guard watch_lock(watch_mutex_);
    const std::uint64_t id = ++next_watch_;
    Watcher &w = watchers_[id];
    w.reader = reader;
    w.on_gone = std::move(on_gone);
    // The card may have left between the job's connect and now: apply() has then already run.
    bool available = false;
    std::vector<card::ReaderInfo> now;
    {
        std::lock_guard lock(mutex_);
        now = readers_;
        available = available_;
    }
    notify_watchers_locked(now, available);
    return CardWatch(*this, id);
}

ReaderMonitor::CardWatch::~CardWatch() {
    if (!monitor_) return;  // moved from
    std::lock_guard watch_lock(monitor_->watch_mutex_);
    monitor_->watchers_.erase(id_);
}

void ReaderMonitor::notify_watchers_locked(const std::vector<card::ReaderInfo> &now, bool available) const {
    for (auto &[id, w] : watchers_) {
        if (w.fired) continue;
        const card::ReaderInfo *cur = find(now, w.reader);
        if (cur && cur->card_present) continue;
        w.fired = true;
        w.on_gone(available ? ONSHI_E_CARD_REMOVED : ONSHI_E_PCSC_UNAVAILABLE);
    }
}

void ReaderMonitor::apply(const std::vector<card::ReaderInfo> &now, bool available) {
    const std::vector<card::ReaderInfo> before = readers();
    // Cards that arrived since the last snapshot, identified before anyone can see them.
    std::map<std::string, std::optional<card::Medium>> arrived;
    for (const auto &cur : now) {
        const card::ReaderInfo *old = find(before, cur.name);
        if (cur.card_present && !(old && old->card_present))
            arrived[cur.name] = probe_ ? probe_(cur.name) : std::nullopt;
    }
    {
        // One lock for both, so that nobody sees the service back with the old (empty) list.
        std::lock_guard lock(mutex_);
        readers_ = now;
        available_ = available;
        for (auto it = media_.begin(); it != media_.end();) {
            const card::ReaderInfo *r = find(now, it->first);
            it = r && r->card_present ? std::next(it) : media_.erase(it);
        }
        for (const auto &[name, medium] : arrived) {
            if (medium)
                media_[name] = *medium;
            else
                media_.erase(name);
        }
    }
    snapshot_changed_.notify_all();
    {
        // Before the reader events: once a host has seen a card leave, the job that held it takes
        // no secret for it any more (its FAILED may come before or after those events).
        std::lock_guard watch_lock(watch_mutex_);
        notify_watchers_locked(now, available);
    }
    auto inserted = [&](const std::string &name) {
        auto it = arrived.find(name);
        return reader_event(ONSHI_EVENT_CARD_INSERTED, name, medium_code(it == arrived.end() ? std::nullopt : it->second));
    };
    for (const auto &old : before) {
        const card::ReaderInfo *cur = find(now, old.name);
        if (!cur) {
            if (old.card_present) events_.post(reader_event(ONSHI_EVENT_CARD_REMOVED, old.name));
            events_.post(reader_event(ONSHI_EVENT_READER_REMOVED, old.name));
        } else if (old.card_present != cur->card_present) {
            events_.post(cur->card_present ? inserted(cur->name) : reader_event(ONSHI_EVENT_CARD_REMOVED, cur->name));
        }
    }
    for (const auto &cur : now) {
        if (find(before, cur.name)) continue;
        events_.post(reader_event(ONSHI_EVENT_READER_ADDED, cur.name));
        if (cur.card_present) events_.post(inserted(cur.name));
    }
}

void ReaderMonitor::run(bool listed) {
    auto stopping = [&] {
        std::lock_guard lock(mutex_);
        return stopping_;
    };
    // Counted after apply(), so that a recheck_service waiter sees the new snapshot with its answer.
    auto finish_attempt = [&](bool attempting) {
        if (!attempting) return;
        {
            std::lock_guard lock(mutex_);
            ++attempts_finished_;
        }
        snapshot_changed_.notify_all();
    };
    while (!stopping()) {
        bool attempting = !listed;
        try {
            std::vector<card::ReaderInfo> now;
            if (attempting) {
                {
                    std::lock_guard lock(mutex_);
                    ++attempts_started_;
                }
                now = system_.list_readers();
                listed = true;
            } else {
                now = system_.wait_for_change(readers(), std::chrono::minutes(1));
            }
            apply(now, true);
            finish_attempt(attempting);
        } catch (const std::exception &) {
            // Service gone (or any PC/SC failure): report the readers as gone, retry later (or at
            // once when a check asks, recheck_service).
            apply({}, false);
            finish_attempt(attempting);
            listed = false;
            std::unique_lock lock(mutex_);
            stop_requested_.wait_for(lock, retry_interval_, [&] { return stopping_ || retry_now_; });
            retry_now_ = false;
        }
    }
    {
        std::lock_guard lock(mutex_);
        exited_ = true;
    }
    stop_requested_.notify_all();
}

}  // namespace onshi::core
