// The sandbox's reference gateway (docs/gateway-protocol.md): an HTTPS server on 127.0.0.1 with an
// ephemeral port, in the HOST network namespace (the sandbox daemon lives in a private one for
// pcscd; the plugin runs outside it). `up` starts it as its own process,
// `onshi-sandbox gateway-serve ...` (fork + exec of the same binary, before the daemon unshares);
// `down` stops it by the pid in DIR/gateway/gateway.pid.
//
// Fault switches: DIR/gateway/fault.json, {"mode": "...", "ms": N}, re-read by the gateway before
// every response (written by `gateway-fault`):
//   none, slow (answer after ms), timeout (never answer), http500, malformed (not JSON), close
//   (read the request, then drop the connection), oversized (a 2 MiB answer), skew (the
//   gateway's clock runs ms ahead), refuse (stop listening: connections are refused; checked every
//   20 ms), wrong-host-cert / expired-cert / tls1.1 (new connections get a server certificate for
//   another host, one that has expired, or a server that speaks TLS 1.1 at most).
#pragma once

#include <string>

namespace sandbox::gateway {

constexpr const char* kFacilityCode = "3410712362";  // 医療機関等コード (valid check digit)
constexpr const char* kEnrollmentId = "ENR-0001";

struct GatewayStarted {
  int pid = 0;
  int port = 0;
  std::string url;  // https://127.0.0.1:PORT
};

// CLI side (`up`): stops a stale gateway of DIR, starts a new one, returns once it listens
// (it has then written DIR/setup.json). Throws SandboxError with the gateway's message.
GatewayStarted start_gateway(const std::string& dir, int terminals_allowed, int net_delay_ms);
// CLI side (`down`, failed `up`): SIGTERM to the pid in DIR/gateway/gateway.pid if that process
// is this DIR's gateway, waits up to 5 s (then SIGKILL). Idempotent.
void stop_gateway(const std::string& dir);
// CLI side (`gateway-fault`): writes DIR/gateway/fault.json (modes above). Entering or leaving
// refuse returns once the port refuses / accepts connections. Throws SandboxError when no gateway
// runs in DIR.
void set_gateway_fault(const std::string& dir, const std::string& mode, int ms);
// CLI side (`gateway-date`): the gateway's calendar for the certificate-expiry rule runs `days`
// ahead (or behind) from the next request on (DIR/gateway/date.json; 0 = today). Its clock for the
// freshness check and its timestamps do not move. Throws SandboxError when no gateway runs in DIR.
void set_gateway_date_offset(const std::string& dir, int days);
bool valid_fault_mode(const std::string& mode);
// "none, slow, ..." for usage messages.
const char* fault_modes_text();

// The gateway process: `onshi-sandbox gateway-serve --dir DIR --terminals-allowed N
// --net-delay-ms MS --ready-fd FD` (internal; started by start_gateway). Never returns.
[[noreturn]] void serve_main(int argc, char** argv);

}  // namespace sandbox::gateway
