// Bodies of the gateway's HTTPS answers (docs/gateway-protocol.md §3), as a hostile or broken
// server could send them. The first byte picks the endpoint whose parser reads the rest; base64
// members are also decoded on their own, where canonical input must round-trip exactly.
#include "gateway/base64.h"
#include "gateway/protocol_messages.h"
#include "fuzz_target.h"
#include "util/json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace onshi;
    if (size == 0) return 0;
    const std::uint8_t endpoint = data[0];
    const std::string_view body = fuzz::as_text(data + 1, size - 1);

    fuzz::refusal_allowed([&] {
        switch (endpoint % 7) {
        case 0: {
            gateway::ConfirmationResponse response = gateway::parse_confirmation_response(body);
            // What the host gets: the result JSON must itself be valid JSON.
            fuzz::must_parse(json::serialize(response.xmlmsg()));
            break;
        }
        case 1: (void)gateway::parse_enrollment_response(body); break;
        case 2: (void)gateway::parse_renewal_response(body); break;
        case 3: (void)gateway::parse_end_of_use_response(body); break;
        case 4: fuzz::must_parse(gateway::parse_status_response(body)); break;
        case 5: gateway::parse_health_response(body); break;
        default: {
            if (auto decoded = gateway::base64_decode(body)) {
                if (gateway::base64_encode(*decoded) != body) fuzz::property_failed();
            }
            break;
        }
        }
    });
    return 0;
}
