// The gateway's HTTPS layer (Boost.Beast + Asio + OpenSSL, one I/O thread): TLS 1.2+, a client
// certificate requested on every connection (verified against the terminal CA; the service
// decides what needs one), HTTP/1.1 keep-alive, request bodies up to 64 KiB, headers up to 8 KiB,
// 10 s for the TLS handshake, 30 s for a request (headers and body) or an idle keep-alive
// connection, every request logged to DIR/gateway/requests.jsonl, fault switches applied.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "gateway/service.h"

namespace sandbox::gateway {

struct ServerOptions {
  std::string dir;  // the sandbox DIR (log and fault files live in DIR/gateway)
  int net_delay_ms = 0;
  std::string cert_pem, key_pem;  // server certificate and key
  // Broken server certificates (same key) for the fault modes wrong-host-cert and expired-cert.
  std::string wrong_host_cert_pem, expired_cert_pem;
  const CaMaterial* terminal_ca = nullptr;
  // Seconds the service's clock runs ahead (fault mode skew); set before every request.
  std::shared_ptr<std::atomic<std::int64_t>> clock_skew_s;
  // Days the service's calendar (the date the certificate-expiry rule uses) runs ahead or behind,
  // from DIR/gateway/date.json (`onshi-sandbox gateway-date`); set before every request.
  std::shared_ptr<std::atomic<std::int64_t>> date_offset_days;
};

// Binds 127.0.0.1:0, calls on_listening(port), serves until SIGTERM or SIGINT.
void run_https_server(Service& service, const ServerOptions& options,
                      const std::function<void(int port)>& on_listening);

}  // namespace sandbox::gateway
