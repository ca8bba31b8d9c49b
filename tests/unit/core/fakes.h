// Test doubles for the core's seams.
#pragma once

#include "card/reader_system.h"
#include "core/event.h"
#include "util/error.h"

#include <gmock/gmock.h>

#include <condition_variable>
#include <mutex>
#include <vector>

namespace onshi::test {

// Collects events and lets a test wait for a condition on them.
class RecordingSink : public core::EventSink {
public:
    void post(core::Event e) override {
        {
            std::lock_guard lock(mutex_);
            events_.push_back(std::move(e));
        }
        changed_.notify_all();
    }
    std::vector<core::Event> events() const {
        std::lock_guard lock(mutex_);
        return events_;
    }
    template <typename Pred>
    bool wait_until(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return pred(events_); });
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<core::Event> events_;
};

// A reader system whose readers the test changes; waits really block until a change or cancel.
class FakeReaderSystem : public card::ReaderSystem {
public:
    void set_readers(std::vector<card::ReaderInfo> readers) {
        {
            std::lock_guard lock(mutex_);
            readers_ = std::move(readers);
            available_ = true;
        }
        changed_.notify_all();
    }
    void set_unavailable() {
        {
            std::lock_guard lock(mutex_);
            available_ = false;
        }
        changed_.notify_all();
    }
    std::vector<card::ReaderInfo> list_readers() override {
        std::lock_guard lock(mutex_);
        if (!available_) throw Error(ONSHI_E_PCSC_UNAVAILABLE, {});
        return readers_;
    }
    std::vector<card::ReaderInfo> wait_for_change(const std::vector<card::ReaderInfo> &known,
                                                  std::chrono::milliseconds timeout) override {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, timeout, [&] { return cancelled_ || !available_ || readers_ != known; });
        cancelled_ = false;
        if (!available_) throw Error(ONSHI_E_PCSC_UNAVAILABLE, {});
        return readers_;
    }
    void cancel_wait() override {
        {
            std::lock_guard lock(mutex_);
            cancelled_ = true;
        }
        changed_.notify_all();
    }
    MOCK_METHOD(std::unique_ptr<card::CardChannel>, connect, (const std::string &), (override));

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<card::ReaderInfo> readers_;
    bool available_ = true;
    bool cancelled_ = false;
};

}  // namespace onshi::test
