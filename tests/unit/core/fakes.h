// Test doubles for the core's seams.
#pragma once

#include "card/reader_system.h"
#include "core/event.h"
#include "gateway/gateway_client.h"
#include "registration/credential_store.h"
#include "util/clock.h"
#include "util/error.h"

#include <gmock/gmock.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
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

// A My Number Card as far as a PIN check goes: it answers SELECT, READ BINARY of the JPKI token and
// of a 300-byte certificate, the tries query (3 left), VERIFY and SIGN, and counts the VERIFYs
// that carry a PIN (the ones that would spend a try) in `pin_verifies`, which outlives it.
class FakeMyNumberCard final : public card::CardChannel {
public:
    explicit FakeMyNumberCard(std::atomic<int> &pin_verifies) : pin_verifies_(pin_verifies) {
        certificate_ = {0x30, 0x82, 0x01, 0x28};
        certificate_.resize(300, 0x5A);
    }
    card::ResponseApdu transmit(const card::CommandApdu &command) override {
        const std::vector<std::uint8_t> &b = command.bytes();
        switch (b.at(1)) {
        case 0xA4:  // SELECT: an EF by its id (P1 02), else an application
            selected_ = b.at(2) == 0x02 ? static_cast<std::uint16_t>(b.at(5) << 8 | b.at(6)) : 0;
            return {{}, 0x9000};
        case 0xB0: {  // READ BINARY: P1-P2 offset, Le (00 = 256)
            std::vector<std::uint8_t> file = selected_ == 0x0006 ? token() : selected_ == 0x000A ? certificate_
                                                                                               : std::vector<std::uint8_t>{};
            const std::size_t offset = static_cast<std::size_t>(b.at(2) << 8 | b.at(3));
            const std::size_t le = b.back() == 0 ? 256 : b.back();
            if (offset >= file.size()) return {{}, 0x6B00};
            const std::size_t n = std::min(le, file.size() - offset);
            return {{file.begin() + static_cast<std::ptrdiff_t>(offset), file.begin() + static_cast<std::ptrdiff_t>(offset + n)},
                    static_cast<std::uint16_t>(n < le ? 0x6282 : 0x9000)};
        }
        case 0x20:  // VERIFY: without data the tries query
            if (b.size() == 4) return {{}, 0x63C3};
            ++pin_verifies_;
            return {{}, 0x9000};
        case 0x2A:  // COMPUTE DIGITAL SIGNATURE
            return {std::vector<std::uint8_t>(256, 0x11), 0x9000};
        default:
            return {{}, 0x6D00};
        }
    }
    const std::vector<std::uint8_t> &atr() const override { return atr_; }

private:
    static std::vector<std::uint8_t> token() {
        std::string t = "JPKIAPICCTOKEN2";
        t.resize(32, ' ');
        return {t.begin(), t.end()};
    }
    std::atomic<int> &pin_verifies_;
    std::uint16_t selected_ = 0;
    std::vector<std::uint8_t> certificate_;
    std::vector<std::uint8_t> atr_{0x3B, 0x00};
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

// Blocks like a transfer until the token is cancelled (or 10 s pass).
inline void block_until_cancelled(gateway::CancelToken &token) {
    for (int i = 0; i < 1000 && !token.cancelled(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

}  // namespace onshi::test
