// The GatewayClient over libcurl + OpenSSL (docs/gateway-protocol.md §1).
//
// Connections: a small pool of sessions, each a curl multi handle with one easy handle. A
// session's multi handle owns its connection cache, so the TLS connection stays open between
// transfers; a check takes a session for warm_up() and gets the same (now warm) one back for
// confirm(), whatever thread each runs on. When an idle session of the identity carried a
// successful transfer a short while ago (kWarmWindow in the .cpp), warm_up() sends nothing and
// only reserves it, so a check on a warm connection costs one round trip. Sessions are never used
// by two transfers at once, so no curl handle is shared between threads and no CURLSH locking is
// needed. Sessions are keyed by the client identity (the TLS handshake carries the terminal
// certificate).
//
// Cancellation: transfers run in our own curl_multi_poll loop; CancelToken's waker calls
// curl_multi_wakeup, so a cancel ends a transfer at once (not at the next progress tick).
#pragma once

#include "gateway/gateway_client.h"
#include "gateway/gateway_config.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace onshi::gateway {

class CurlGatewayClient final : public GatewayClient {
public:
    explicit CurlGatewayClient(GatewayConfig config);
    ~CurlGatewayClient() override;

    void warm_up(const ClientIdentity &identity, CancelToken &cancel) noexcept override;
    ConfirmationResponse confirm(const ConfirmationRequest &request, const ClientIdentity &identity,
                                 CancelToken &cancel) override;
    EnrollmentResponse enroll(const EnrollmentRequest &request, CancelToken &cancel) override;
    std::string status(const ClientIdentity &identity, CancelToken &cancel) override;
    std::string set_planned_end(const std::optional<std::string> &date, const ClientIdentity &identity,
                                CancelToken &cancel) override;
    EndOfUseResponse end_use(const ClientIdentity &identity, CancelToken &cancel) override;
    EnrollmentResponse renew(const RenewalRequest &request, const ClientIdentity &identity, CancelToken &cancel) override;
    void set_log_sink(LogSink sink) override;

    // Figures: connections (TCP + TLS handshakes) opened so far, transfers done.
    long connections_opened() const { return connections_.load(); }
    long transfers() const { return transfers_.load(); }

    class Session;
    struct Outcome;

private:
    struct Request;
    // True when an idle session of this identity is recent enough to count as warm and no other
    // warm-up counts on it; it is then reserved for this check.
    bool reserve_warm_session(const ClientIdentity &identity);
    // for_warm_up: leaves sessions that another check's warm-up reserved to that check.
    std::unique_ptr<Session> acquire(const ClientIdentity *identity, bool for_warm_up);
    void release(std::unique_ptr<Session> session);
    // gateway.timeout_ms, or less when the token's deadline comes sooner; throws
    // Error(ONSHI_E_GATEWAY_TIMEOUT) once the deadline has passed (nothing is sent then).
    std::chrono::milliseconds transfer_timeout(const Request &request, const std::string &endpoint,
                                               const CancelToken &cancel) const;
    // One HTTP exchange with the resend rule; throws Error for transport failures and non-2xx.
    std::string exchange(const Request &request, const ClientIdentity *identity, CancelToken &cancel);
    void log(LogLevel level, const std::string &message);

    const GatewayConfig config_;
    std::mutex pool_mutex_;
    std::vector<std::unique_ptr<Session>> idle_;
    std::mutex log_mutex_;
    LogSink log_;
    std::atomic<long> connections_{0};
    std::atomic<long> transfers_{0};
};

}  // namespace onshi::gateway
