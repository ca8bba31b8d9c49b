// The bodies of docs/gateway-protocol.md §3: requests built with RapidJSON, responses parsed
// through util/json.h (bounded size and depth, checked types). Every malformed answer is
// Error(ONSHI_E_GATEWAY_PROTOCOL) saying what was wrong; nothing is trusted as it comes.
#pragma once

#include "gateway/eligibility_result.h"
#include "util/secure_buffer.h"

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace onshi::gateway {

constexpr std::size_t kMaxRequestBytes = 64 * 1024;
constexpr std::size_t kMaxResponseBytes = 1024 * 1024;

// POST /v1/confirmations.
struct ConfirmationRequest {
    std::string payload;                    // exactly the bytes the card signed (pin) or attests (visual)
    std::vector<std::uint8_t> certificate;  // DER of the card's 利用者証明用電子証明書
    std::vector<std::uint8_t> signature;    // pin: RSA PKCS#1 v1.5 over SHA-256(payload); visual: empty
    bool visual = false;                    // 目視確認: attestation instead of a signature
    bool photo_compared = false;            // visual with the chip's photo read
    bool consent_limit_certificate = false; // consents.limit_application_certificate
};

struct ConfirmationResponse {
    Confirmation confirmation;     // eligibility_result.h's
    std::vector<Notice> notices;   // "notices" (result_notices.h); none when absent
    rapidjson::Document document;  // the whole response; result() points into it

    // {"XmlMsg": {...}}: the official result as eligibility_result.h takes it.
    const rapidjson::Value &result() const { return document["result"]; }
    const rapidjson::Value &xmlmsg() const { return document["result"]["XmlMsg"]; }
};

// POST /v1/terminals. The password is wiped with the request.
struct EnrollmentRequest {
    std::string facility_code;
    std::string enrollment_id;
    SecureBuffer setup_password;
    std::string terminal_name;  // may be empty (then not sent)
    std::string csr_pem;
};

struct FacilityInfo {
    std::string code;
    std::string name;
    std::int64_t terminals_used = -1;     // -1: not given
    std::int64_t terminals_allowed = -1;
};

struct EnrollmentResponse {
    std::string terminal_id;
    std::string certificate_pem;
    std::string ca_pem;
    std::string certificate_expires_at;
    FacilityInfo facility;
};

// POST /v1/terminals/self/renewal.
struct RenewalRequest {
    std::string csr_pem;
};

// DELETE /v1/terminals/self.
struct EndOfUseResponse {
    std::string terminal_id;
    std::string status;  // "ended"
    FacilityInfo facility;
};

std::string build_confirmation_body(const ConfirmationRequest &request);
// PUT /v1/terminals/self/planned-end: {"date":"YYYY-MM-DD"}. Throws Error(ONSHI_E_INVALID_ARGUMENT)
// unless the date is a calendar date in that form.
std::string build_planned_end_body(const std::string &date);
std::string build_renewal_body(const RenewalRequest &request);
// True for "YYYY-MM-DD" naming a real calendar date (Gregorian, year 1900-9999).
bool is_calendar_date(std::string_view date);
// A SecureBuffer because the body carries the setup password.
SecureBuffer build_enrollment_body(const EnrollmentRequest &request);

ConfirmationResponse parse_confirmation_response(std::string_view body);
EnrollmentResponse parse_enrollment_response(std::string_view body);
// The renewal answer has the enrollment answer's shape.
EnrollmentResponse parse_renewal_response(std::string_view body);
EndOfUseResponse parse_end_of_use_response(std::string_view body);
// GET /v1/terminals/self: the validated object, re-serialized (for the host's status result).
std::string parse_status_response(std::string_view body);
// GET /v1/health: {"status":"ok","protocol":1}; throws unless protocol 1 is spoken.
void parse_health_response(std::string_view body);

}  // namespace onshi::gateway
