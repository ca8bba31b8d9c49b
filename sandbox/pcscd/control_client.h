// CLI side of the control socket (see control_server.h).
#pragma once

#include <optional>
#include <string>

namespace sandbox {

// The reply line, or nullopt when no daemon answers on DIR/control.sock.
std::optional<std::string> control_request(const std::string& dir, const std::string& request);

}  // namespace sandbox
