// Watches the PC/SC readers on its own thread (pcsc-lite's reader handling: SCardGetStatusChange,
// woken by SCardCancel on close), keeps a snapshot that onshi_list_readers answers from without
// touching PC/SC, and turns changes into reader and card events. When the PC/SC service goes away
// it reports the readers as removed and keeps trying to reconnect.
#pragma once

#include "card/reader_system.h"
#include "core/event.h"

#include <atomic>
#include <cstdint>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace onshi::core {

class ReaderMonitor {
public:
    ReaderMonitor(card::ReaderSystem &system, EventSink &events,
                  std::chrono::milliseconds retry_interval = std::chrono::milliseconds(1000));
    ~ReaderMonitor();

    void start();
    void stop();

    std::vector<card::ReaderInfo> readers() const;
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

private:
    void run(bool listed);
    void apply(const std::vector<card::ReaderInfo> &now, bool available);

    card::ReaderSystem &system_;
    EventSink &events_;
    const std::chrono::milliseconds retry_interval_;

    mutable std::mutex mutex_;
    mutable std::condition_variable stop_requested_;  // also rung by recheck_service
    mutable std::condition_variable snapshot_changed_;
    mutable std::uint64_t wakeups_ = 0;
    mutable bool retry_now_ = false;
    std::uint64_t attempts_started_ = 0;   // listings after a failure, counted so that a waiter
    std::uint64_t attempts_finished_ = 0;  // knows when one begun after its request has ended
    std::vector<card::ReaderInfo> readers_;
    bool available_ = false;
    bool stopping_ = false;
    bool exited_ = false;
    std::thread thread_;
};

}  // namespace onshi::core
