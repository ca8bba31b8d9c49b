// docs/gateway-protocol.md §2 and the transport failures, as ABI statuses. One table, unit-tested.
#pragma once

#include "util/error.h"

#include <string>
#include <string_view>

namespace onshi::gateway {

// The status for a server error code (E_REPLAY -> ONSHI_E_REJECTED, ...); ONSHI_OK when the code
// is not one of the protocol's.
onshi_status status_for_server_code(std::string_view code);

// A non-2xx answer as an Error: the mapped status, with the server's message_ja / message_en
// after our own detail. A body that is not the protocol's error shape is
// ONSHI_E_GATEWAY_PROTOCOL, except for 5xx (a proxy's or server's own error page), which is
// ONSHI_E_GATEWAY_ERROR.
Error error_from_http(long http_status, std::string_view body, const std::string &endpoint);

// A libcurl result code (CURLcode as int) as an ABI status.
onshi_status status_for_curl_code(int curl_code);
// The Error for a failed transfer: the mapped status and curl's own explanation.
Error error_from_curl(int curl_code, const std::string &curl_detail, const std::string &endpoint);

}  // namespace onshi::gateway
