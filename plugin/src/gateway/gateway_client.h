// The seam between core and the eligibility gateway (docs/design.md §The gateway seam): the libcurl
// client implements it, unit tests mock it, and a production adapter may replace it.
#pragma once

#include "gateway/protocol_messages.h"
#include "util/log.h"
#include "util/secure_buffer.h"

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <memory>
#include <string>

typedef struct evp_pkey_st EVP_PKEY;

namespace onshi::gateway {

// The terminal's mutual-TLS identity (issued at enrollment), handed in by core from the
// credential store. The key is PEM in wiped memory; a key that lives in a TPM comes as tls_key,
// the key object that signs inside the TPM (key_pem is then its TSS2 blob, unusable by libcurl).
struct ClientIdentity {
    std::string certificate_pem;
    SecureBuffer key_pem;
    std::shared_ptr<EVP_PKEY> tls_key;
};

// Lets another thread abort a blocking call promptly (a cancelled job). The client installs a
// waker for the duration of a transfer; cancel() sets the flag and runs it. It may also carry the
// caller's deadline.
class CancelToken {
public:
    // The caller's time budget for the calls made with this token (a check shares one budget
    // between its warm-up and its confirmation, eligibility_check.cpp): a transfer then ends by
    // `deadline` with ONSHI_E_GATEWAY_TIMEOUT even where gateway.timeout_ms would allow more, and
    // is not started once it has passed. Without one, gateway.timeout_ms alone bounds a transfer.
    void set_deadline(std::chrono::steady_clock::time_point deadline) {
        std::lock_guard lock(mutex_);
        deadline_ = deadline;
    }
    std::optional<std::chrono::steady_clock::time_point> deadline() const {
        std::lock_guard lock(mutex_);
        return deadline_;
    }

    // The waker runs under the lock, so that once set_waker(nullptr) has returned it never runs
    // again (the transfer it wakes may be gone). Wakers must not block.
    void cancel() {
        std::lock_guard lock(mutex_);
        cancelled_ = true;
        if (waker_) waker_();
    }
    bool cancelled() const {
        std::lock_guard lock(mutex_);
        return cancelled_;
    }
    // Runs `waker` at once when already cancelled. Cleared with nullptr.
    void set_waker(std::function<void()> waker) {
        std::lock_guard lock(mutex_);
        waker_ = std::move(waker);
        if (cancelled_ && waker_) waker_();
    }

private:
    mutable std::mutex mutex_;
    bool cancelled_ = false;
    std::optional<std::chrono::steady_clock::time_point> deadline_;
    std::function<void()> waker_;
};

class GatewayClient {
public:
    virtual ~GatewayClient() = default;

    // Opens (or keeps) a TLS connection with this identity so that the confirmation that follows
    // finds it warm. Best effort: never throws for network trouble (the real call reports it);
    // returns promptly when `cancel` fires.
    virtual void warm_up(const ClientIdentity &identity, CancelToken &cancel) noexcept = 0;

    // POST /v1/confirmations: one round trip. Throws Error with the mapped status. A signed
    // confirmation is never sent twice, except when the connection failed before any of its
    // body left this process.
    virtual ConfirmationResponse confirm(const ConfirmationRequest &request, const ClientIdentity &identity,
                                         CancelToken &cancel) = 0;

    // POST /v1/terminals (no client certificate).
    virtual EnrollmentResponse enroll(const EnrollmentRequest &request, CancelToken &cancel) = 0;

    // GET /v1/terminals/self: the server's answer as JSON (validated).
    virtual std::string status(const ClientIdentity &identity, CancelToken &cancel) = 0;

    // PUT /v1/terminals/self/planned-end {"date"} (a date) or DELETE .../planned-end (nullopt):
    // the server's status answer afterwards (validated, as status()).
    virtual std::string set_planned_end(const std::optional<std::string> &date, const ClientIdentity &identity,
                                        CancelToken &cancel) = 0;

    // DELETE /v1/terminals/self (利用終了). On a fresh connection and never sent twice: a second
    // DELETE after a lost answer would only be refused as not enrolled.
    virtual EndOfUseResponse end_use(const ClientIdentity &identity, CancelToken &cancel) = 0;

    // POST /v1/terminals/self/renewal {"csr_pem"}: a new certificate for the same terminal.
    virtual EnrollmentResponse renew(const RenewalRequest &request, const ClientIdentity &identity,
                                     CancelToken &cancel) = 0;

    // Where the client logs connection facts (never bodies, keys or personal data). Set by the
    // context; the default client logs nowhere.
    using LogSink = std::function<void(LogLevel, const std::string &)>;
    // By value: clients keep the sink (moved in); this default keeps nothing.
    virtual void set_log_sink(LogSink) {}  // NOLINT(performance-unnecessary-value-param)
};

}  // namespace onshi::gateway
