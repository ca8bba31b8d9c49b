// The sandbox's reference gateway (docs/gateway-protocol.md): an HTTPS server on 127.0.0.1 with an
// ephemeral port, in the HOST network namespace (the sandbox daemon lives in a private one for
// pcscd; the plugin runs outside it). `up` starts it as its own process,
// `onshi-sandbox gateway-serve ...` (fork + exec of the same binary, before the daemon unshares);
// `down` stops it by the pid in DIR/gateway/gateway.pid.
//
// Fault switches: DIR/gateway/fault.json, {"mode": "none|slow|timeout|http500|malformed|close",
// "ms": N}, re-read by the gateway before every response (written by `gateway-fault`).
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
// CLI side (`gateway-fault`): writes DIR/gateway/fault.json. mode: none|slow|timeout|http500|
// malformed|close. Throws SandboxError when no gateway runs in DIR.
void set_gateway_fault(const std::string& dir, const std::string& mode, int ms);
bool valid_fault_mode(const std::string& mode);

// The gateway process: `onshi-sandbox gateway-serve --dir DIR --terminals-allowed N
// --net-delay-ms MS --ready-fd FD` (internal; started by start_gateway). Never returns.
[[noreturn]] void serve_main(int argc, char** argv);

}  // namespace sandbox::gateway
