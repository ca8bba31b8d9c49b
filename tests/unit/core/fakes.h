// Test doubles for the core's seams.
#pragma once

#include "card/reader_system.h"
#include "core/event.h"
#include "gateway/gateway_client.h"
#include "registration/credential_store.h"
#include "util/clock.h"
#include "util/error.h"

#include <gmock/gmock.h>

#include <atomic>
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

// A clock that moves only when the test says so (both its steady and its system time), from the
// real time it was made at.
class ManualClock final : public Clock {
public:
    std::chrono::steady_clock::time_point steady_now() const override { return steady_start_ + offset(); }
    std::chrono::system_clock::time_point system_now() const override {
        return system_start_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(offset());
    }
    void advance(std::chrono::steady_clock::duration d) {
        std::lock_guard lock(mutex_);
        offset_ += d;
    }

private:
    std::chrono::steady_clock::duration offset() const {
        std::lock_guard lock(mutex_);
        return offset_;
    }
    const std::chrono::steady_clock::time_point steady_start_ = std::chrono::steady_clock::now();
    const std::chrono::system_clock::time_point system_start_ = std::chrono::system_clock::now();
    mutable std::mutex mutex_;
    std::chrono::steady_clock::duration offset_{};
};

// A credential store that is enrolled (or not) without files.
class StubCredentialStore : public registration::CredentialStore {
public:
    explicit StubCredentialStore(bool enrolled = true) : enrolled_(enrolled) {}
    std::optional<registration::TerminalRecord> record() const override {
        if (!enrolled_) return std::nullopt;
        return registration::TerminalRecord{"T-3410712362-0001", "3410712362", "テスト医院", "受付1", "2027-11-24T00:00:00Z"};
    }
    registration::TerminalCredentials load() const override {
        ++loads;
        if (!enrolled_) throw Error(ONSHI_E_NOT_ENROLLED, {"terminal not registered", "端末が登録されていません"});
        registration::TerminalCredentials c;
        c.record = *record();
        c.certificate_pem = "-----BEGIN CERTIFICATE-----stub";
        c.key_pem = SecureBuffer::from_string("-----BEGIN PRIVATE KEY-----stub");
        return c;
    }
    void save(const registration::TerminalRecord &, const std::string &, const SecureBuffer &) override {}
    void wipe() override { enrolled_ = false; }
    mutable std::atomic<int> loads{0};

private:
    bool enrolled_;
};

class MockGatewayClient : public gateway::GatewayClient {
public:
    MOCK_METHOD(void, warm_up, (const gateway::ClientIdentity &, gateway::CancelToken &), (noexcept, override));
    MOCK_METHOD(gateway::ConfirmationResponse, confirm,
                (const gateway::ConfirmationRequest &, const gateway::ClientIdentity &, gateway::CancelToken &), (override));
    MOCK_METHOD(gateway::EnrollmentResponse, enroll, (const gateway::EnrollmentRequest &, gateway::CancelToken &), (override));
    MOCK_METHOD(std::string, status, (const gateway::ClientIdentity &, gateway::CancelToken &), (override));
    MOCK_METHOD(std::string, set_planned_end,
                (const std::optional<std::string> &, const gateway::ClientIdentity &, gateway::CancelToken &), (override));
    MOCK_METHOD(gateway::EndOfUseResponse, end_use, (const gateway::ClientIdentity &, gateway::CancelToken &), (override));
    MOCK_METHOD(gateway::EnrollmentResponse, renew,
                (const gateway::RenewalRequest &, const gateway::ClientIdentity &, gateway::CancelToken &), (override));
};

}  // namespace onshi::test
