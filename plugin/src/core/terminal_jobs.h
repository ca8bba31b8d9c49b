// The terminal's life-cycle jobs (onshi_terminal_enroll, onshi_terminal_status): network jobs on
// the context's "network" lane. The makers validate their input at once (so a bad setup_json is
// refused by the call, with no job) and return the procedure to queue.
#pragma once

#include "core/config.h"
#include "core/context.h"
#include "core/services.h"

#include <string_view>

namespace onshi::core {

// setup_json: {"facility_code", "enrollment_id", "setup_password", "gateway_url"?, "terminal_name"?}.
// Throws Error(ONSHI_E_INVALID_ARGUMENT) naming the member. The job's result:
// {"enrolled": true, "terminal_id", "terminal_name", "facility": {...}, "certificate_expires_at"}.
Context::Procedure make_enrollment_procedure(const Config &config, const Services &services, std::string_view setup_json);

// The job's result: {"enrolled": false} without network when this installation has no
// enrollment, else {"enrolled": true, ...the gateway's GET /v1/terminals/self answer}.
Context::Procedure make_status_procedure(const Services &services);

}  // namespace onshi::core
