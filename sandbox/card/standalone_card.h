// One virtual card without pcscd: `onshi-sandbox card --dir DIR --persona P --port PORT`.
// The card connects, as a vpcd client, to 127.0.0.1:PORT in the caller's network namespace and
// reconnects whenever the other side goes away. Windows tests under Wine use it: their test-only
// winscard.dll (tests/windows/fake_winscard) listens on PORT and speaks vpcd's protocol, because
// Wine's own winscard is a stub. The persona material comes from DIR (made by `up`), so the
// sandbox's gateway knows the card's certificates.
#pragma once

#include <cstdint>
#include <string>

namespace sandbox {

// Runs in the foreground until SIGINT/SIGTERM; journals to DIR/apdu-port-PORT.jsonl.
// Returns the process exit code.
int run_standalone_card(const std::string& dir, const std::string& persona, std::uint16_t port,
                        int apdu_delay_ms);

}  // namespace sandbox
