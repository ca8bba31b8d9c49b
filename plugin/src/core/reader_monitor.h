// Watches the PC/SC readers on its own thread (pcsc-lite's reader handling: SCardGetStatusChange,
// woken by SCardCancel on close), keeps a snapshot that onshi_list_readers answers from without
// touching PC/SC, and turns changes into reader and card events. When the PC/SC service goes away
// it reports the readers as removed and keeps trying to reconnect.
//
// With a MediumProbe, a card that arrives is identified (card, Android, iPhone, ...; no secret)
// before the snapshot shows it: a check waiting for the card, and the host reading the listing or
// ONSHI_EVENT_CARD_INSERTED (detail = the medium), only see a card whose medium is known, and the
// probe's APDUs always come before any check's.
#pragma once

#include "card/reader_system.h"
#include "core/event.h"
#include "core/medium_probe.h"

#include <atomic>
#include <cstdint>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace onshi::core {

// A reader with what answers on its card (nullopt: no card, no probe, or not identified).
struct ReaderView {
    card::ReaderInfo reader;
    std::optional<card::Medium> medium;
};

class ReaderMonitor {
public:
    ReaderMonitor(card::ReaderSystem &system, EventSink &events,
                  std::chrono::milliseconds retry_interval = std::chrono::milliseconds(1000), MediumProbe probe = {});
    ~ReaderMonitor();

    void start();
    void stop();

    std::vector<card::ReaderInfo> readers() const;
    // The same snapshot with each card's medium.
    std::vector<ReaderView> reader_views() const;
    // A check identified the card on `reader`: the listing follows what the check saw (a card
    // swapped faster than the monitor could notice is then reported right after all).
    void note_medium(const std::string &reader, card::Medium medium) const;
    bool service_available() const;

    // Waits until the snapshot differs from `known`, the timeout passes, or wake_waiters() is
    // called (jobs waiting for a card use this, so only the monitor ever blocks in PC/SC).
    std::vector<card::ReaderInfo> wait_for_change(const std::vector<card::ReaderInfo> &known,
                                                  std::chrono::milliseconds timeout) const;
    void wake_waiters() const;

    // When the service looks down, asks the monitor to try again now rather than at the end of its
    // retry interval, and waits (up to `timeout`) for that attempt. A check started just after
    // pcscd came back then finds it; a service that is really down still fails within one listing.
    bool recheck_service(std::chrono::milliseconds timeout) const;

    // Keeps watching one reader's card for a job that holds it (the PIN dialog): on_gone runs
    // once, with ONSHI_E_CARD_REMOVED when the card leaves the reader or the reader goes away,
    // ONSHI_E_PCSC_UNAVAILABLE when the PC/SC service does; at once (on the caller's thread) when
    // the snapshot already shows no card there, else on the monitor's thread as soon as it sees
    // the change, before it posts the reader events. on_gone must not block nor call into the
    // monitor. Destroying the watch ends it:
    // once the destructor has returned, on_gone is not running and never runs again, so it may
    // refer to the caller's locals.
    class CardWatch {
    public:
        CardWatch(const ReaderMonitor &monitor, std::uint64_t id) : monitor_(&monitor), id_(id) {}
        ~CardWatch();
        CardWatch(CardWatch &&other) noexcept : monitor_(std::exchange(other.monitor_, nullptr)), id_(other.id_) {}
        CardWatch(const CardWatch &) = delete;
        CardWatch &operator=(const CardWatch &) = delete;
        CardWatch &operator=(CardWatch &&) = delete;

    private:
        const ReaderMonitor *monitor_;
        std::uint64_t id_;
    };
    [[nodiscard]] CardWatch watch_card(const std::string &reader, std::function<void(onshi_status)> on_gone) const;

private:
    struct Watcher {
        std::string reader;
        std::function<void(onshi_status)> on_gone;
        bool fired = false;
    };
    // Runs the watchers whose reader shows no card in `now`; under watch_mutex_.
    void notify_watchers_locked(const std::vector<card::ReaderInfo> &now, bool available) const;

    void run(bool listed);
    void apply(const std::vector<card::ReaderInfo> &now, bool available);

    card::ReaderSystem &system_;
    EventSink &events_;
    const std::chrono::milliseconds retry_interval_;
    const MediumProbe probe_;

    mutable std::mutex mutex_;
    mutable std::condition_variable stop_requested_;  // also rung by recheck_service
    mutable std::condition_variable snapshot_changed_;
    mutable std::uint64_t wakeups_ = 0;
    mutable bool retry_now_ = false;
    std::uint64_t attempts_started_ = 0;   // listings after a failure, counted so that a waiter
    std::uint64_t attempts_finished_ = 0;  // knows when one begun after its request has ended
    std::vector<card::ReaderInfo> readers_;
    mutable std::map<std::string, card::Medium> media_;  // readers whose card was identified
    bool available_ = false;
    bool stopping_ = false;
    bool exited_ = false;
    std::thread thread_;

    // Its own lock, held while on_gone runs (see CardWatch); taken before mutex_, never after.
    mutable std::mutex watch_mutex_;
    mutable std::map<std::uint64_t, Watcher> watchers_;
    mutable std::uint64_t next_watch_ = 0;
};

}  // namespace onshi::core
