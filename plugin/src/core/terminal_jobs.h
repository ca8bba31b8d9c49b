// The terminal's life-cycle jobs (onshi_terminal_enroll, _status, _set_end_date, _unenroll,
// _renew): network jobs on
// the context's "network" lane. The makers validate their input at once (so a bad setup_json is
// refused by the call, with no job) and return the procedure to queue.
#pragma once

#include "core/config.h"
#include "core/context.h"
#include "core/services.h"

#include <optional>
#include <string>
#include <string_view>

namespace onshi::core {

// setup_json: {"facility_code", "enrollment_id", "setup_password", "gateway_url"?, "terminal_name"?}.
// Throws Error(ONSHI_E_INVALID_ARGUMENT) naming the member. The job's result:
// {"enrolled": true, "terminal_id", "terminal_name", "facility": {...}, "certificate_expires_at"}.
Context::Procedure make_enrollment_procedure(const Config &config, const Services &services, std::string_view setup_json);

// The job's result: {"enrolled": false} without network when this installation has no
// enrollment, else {"enrolled": true, ...the gateway's GET /v1/terminals/self answer}.
Context::Procedure make_status_procedure(const Services &services);

// PUT (date) or DELETE (nullopt) the planned end of use. The date must be "YYYY-MM-DD" (checked
// here: Error(ONSHI_E_INVALID_ARGUMENT)); a past date is the gateway's E_END_DATE_PAST
// (ONSHI_E_INVALID_ARGUMENT in the job). The job's result is the status result afterwards.
Context::Procedure make_set_end_date_procedure(const Services &services, std::optional<std::string> date);

// 利用終了: DELETE /v1/terminals/self, then the local key is wiped. When the gateway does not
// answer with success the local state stays intact and the job fails with that status. The
// job's result: {"enrolled": false, "ended": true, "terminal_id", "facility": {...}}.
Context::Procedure make_unenroll_procedure(const Services &services);

// Renewal: a new key and CSR on the terminal, POST /v1/terminals/self/renewal with the current
// identity, then the store is replaced as one (credential_store.h) once the new certificate has
// arrived and matches the new key. The job's result: {"renewed": true, "terminal_id",
// "certificate_expires_at", "facility": {...}}.
Context::Procedure make_renewal_procedure(const Services &services);

}  // namespace onshi::core
