// The reference gateway's endpoints (docs/gateway-protocol.md §3), independent of the HTTP/TLS
// layer: a request (method, path, body, what the TLS layer learnt about the client certificate)
// goes in, a status and a JSON body come out. All checks of POST /v1/confirmations run here, in
// the protocol's order.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "gateway/gateway_pki.h"
#include "gateway/registry.h"

namespace sandbox::gateway {

struct ClientIdentity {
  bool presented = false;  // the client sent a certificate
  bool chain_ok = false;   // ... and it verified against the terminal CA (incl. validity period)
  std::string serial_hex;
};

struct ApiRequest {
  std::string method, target, body;
  ClientIdentity client;
};

struct ApiResponse {
  int status = 500;
  std::string body;
  std::string terminal_id;  // for the request log
  std::string error_code;   // "" on success
};

struct ServiceSetup {
  std::string facility_code;
  CaMaterial terminal_ca;
  X509Ptr jpki_ca;                 // DIR/ca/ca.cert.pem
  std::shared_ptr<X509_CRL> crl;   // DIR/ca/crl.pem (verified against jpki_ca)
  std::function<std::int64_t()> clock;  // Unix seconds
  // The calendar of the certificate-expiry rule (Unix seconds; `clock` when unset): the sandbox
  // moves it by whole days to test the rule's month ends without breaking the freshness check.
  std::function<std::int64_t()> calendar;
};

class Service {
public:
  Service(Registry& registry, ServiceSetup setup);
  ApiResponse handle(const ApiRequest& request);

  // The error body of §2 for a status and code (also used by the HTTP layer).
  static ApiResponse error(int status, const std::string& code, const std::string& ja,
                           const std::string& en);

private:
  ApiResponse health();
  ApiResponse enroll(const ApiRequest& r);
  ApiResponse self(const ApiRequest& r);
  ApiResponse end_use(const ApiRequest& r);
  ApiResponse set_planned_end(const ApiRequest& r);
  ApiResponse cancel_planned_end(const ApiRequest& r);
  ApiResponse renew(const ApiRequest& r);
  Terminal authenticated(const ApiRequest& r);  // the terminal of the client certificate, or 401
  std::string today_jst() const;                // YYYY-MM-DD in Japan time, by the gateway's clock
  ApiResponse confirm(const ApiRequest& r);

  Registry& registry_;
  ServiceSetup setup_;
};

}  // namespace sandbox::gateway
