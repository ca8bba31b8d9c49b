#include "gateway/protocol_messages.h"

#include "gateway/base64.h"
#include "util/error.h"
#include "util/json.h"
#include "util/json_writer.h"

#include <cctype>

namespace onshi::gateway {
namespace {

constexpr onshi_status kProtocol = ONSHI_E_GATEWAY_PROTOCOL;

[[noreturn]] void malformed(const std::string &what_en, const std::string &what_ja) {
    throw Error(kProtocol, {"the gateway's answer is malformed: " + what_en, "ゲートウェイの応答が不正です: " + what_ja});
}

rapidjson::Document parse_body(std::string_view body, const char *what) {
    return json::parse(body, std::string("the gateway's ") + what, kProtocol,
                       {.max_bytes = kMaxResponseBytes, .max_depth = 32});
}

std::string required_string(json::ObjectReader &r, const char *key, std::size_t max) {
    auto v = r.string(key, max);
    if (!v || v->empty()) r.fail(key, "is missing or empty", "がありません");
    return *v;
}

// The official result's rule (gateway-protocol.md §3): objects, arrays, and string leaves only.
void check_official_tree(const rapidjson::Value &v, const std::string &path) {
    if (v.IsString()) return;
    if (v.IsObject()) {
        for (const auto &m : v.GetObject()) check_official_tree(m.value, path + "." + m.name.GetString());
        return;
    }
    if (v.IsArray()) {
        for (const auto &e : v.GetArray()) check_official_tree(e, path + "[]");
        return;
    }
    malformed(path + " must be a string, an object or an array (every leaf of the result is a string)",
              path + " は文字列・オブジェクト・配列のいずれかである必要があります");
}

std::int64_t count_member(json::ObjectReader &r, const char *key) {
    // The protocol example gives numbers; official codes are strings. Accept both for counts.
    const rapidjson::Value *v = r.any(key);
    if (!v) return -1;
    if (v->IsInt64() && v->GetInt64() >= 0 && v->GetInt64() <= 1'000'000) return v->GetInt64();
    if (v->IsString() && v->GetStringLength() > 0 && v->GetStringLength() <= 7) {
        std::int64_t n = 0;
        for (const char *p = v->GetString(); *p; ++p) {
            if (*p < '0' || *p > '9') r.fail(key, "must be a count", "件数である必要があります");
            n = n * 10 + (*p - '0');
        }
        return n;
    }
    r.fail(key, "must be a count", "件数である必要があります");
}

FacilityInfo parse_facility(const rapidjson::Value &v, const std::string &path) {
    json::ObjectReader r(v, path, kProtocol);
    FacilityInfo f;
    f.code = required_string(r, "code", 32);
    f.name = r.string("name", 1024).value_or("");
    f.terminals_used = count_member(r, "terminals_used");
    f.terminals_allowed = count_member(r, "terminals_allowed");
    return f;  // further members are ignored (forward compatible)
}

}  // namespace

std::string build_confirmation_body(const ConfirmationRequest &request) {
    json::Writer w;
    w.begin_object().member("payload", request.payload).member("certificate", base64_encode(request.certificate));
    if (request.visual)
        w.null_member("signature");
    else
        w.member("signature", base64_encode(request.signature));
    if (request.visual) {
        w.key("attestation").begin_object().member("staff_confirmed", true);
        if (request.photo_compared) w.member("photo_compared", true);
        w.end_object();
    } else {
        w.null_member("attestation");
    }
    w.key("consents").begin_object().member("limit_application_certificate", request.consent_limit_certificate).end_object();
    w.end_object();
    std::string body = w.text();
    if (body.size() > kMaxRequestBytes)
        throw Error(ONSHI_E_INTERNAL, {"confirmation request larger than 64 KiB", "照会要求が64KiBを超えました"});
    return body;
}

SecureBuffer build_enrollment_body(const EnrollmentRequest &request) {
    json::Writer w;
    w.begin_object()
        .member("facility_code", request.facility_code)
        .member("enrollment_id", request.enrollment_id)
        .member("setup_password", request.setup_password.view());
    if (!request.terminal_name.empty()) w.member("terminal_name", request.terminal_name);
    w.member("csr_pem", request.csr_pem).end_object();
    // The writer's buffer held the password too: take_secure() wipes it.
    SecureBuffer out = w.take_secure();
    if (out.size() > kMaxRequestBytes)
        throw Error(ONSHI_E_INVALID_ARGUMENT, {"enrollment request larger than 64 KiB", "登録要求が64KiBを超えました"});
    return out;
}

bool is_calendar_date(std::string_view d) {
    if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
    int parts[3] = {0, 0, 0};
    const std::size_t from[3] = {0, 5, 8}, len[3] = {4, 2, 2};
    for (int k = 0; k < 3; ++k)
        for (std::size_t i = from[k]; i < from[k] + len[k]; ++i) {
            if (d[i] < '0' || d[i] > '9') return false;
            parts[k] = parts[k] * 10 + (d[i] - '0');
        }
    const int y = parts[0], m = parts[1], day = parts[2];
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || day < 1) return false;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return day <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

std::string build_planned_end_body(const std::string &date) {
    if (!is_calendar_date(date))
        throw Error(ONSHI_E_INVALID_ARGUMENT, {"date must be a calendar date YYYY-MM-DD (got \"" + date.substr(0, 32) + "\")",
                                               "日付は YYYY-MM-DD 形式の暦日で指定してください(\"" + date.substr(0, 32) + "\")"});
    json::Writer w;
    w.begin_object().member("date", date).end_object();
    return w.text();
}

std::string build_renewal_body(const RenewalRequest &request) {
    json::Writer w;
    w.begin_object().member("csr_pem", request.csr_pem).end_object();
    std::string body = w.text();
    if (body.size() > kMaxRequestBytes)
        throw Error(ONSHI_E_INTERNAL, {"renewal request larger than 64 KiB", "更新要求が64KiBを超えました"});
    return body;
}

ConfirmationResponse parse_confirmation_response(std::string_view body) {
    ConfirmationResponse out;
    out.document = parse_body(body, "confirmation");
    json::ObjectReader root(out.document, "response", kProtocol);
    const rapidjson::Value *confirmation = root.object("confirmation");
    if (!confirmation) root.fail("confirmation", "is missing", "がありません");
    json::ObjectReader c(*confirmation, "response.confirmation", kProtocol);
    out.confirmation.id = required_string(c, "id", 128);
    out.confirmation.method = required_string(c, "method", 16);
    if (out.confirmation.method != "pin" && out.confirmation.method != "visual")
        c.fail("method", "must be \"pin\" or \"visual\"", "\"pin\" または \"visual\" である必要があります");
    out.confirmation.time = required_string(c, "time", 32);
    const rapidjson::Value *result = root.object("result");
    if (!result) root.fail("result", "is missing", "がありません");
    json::ObjectReader rr(*result, "response.result", kProtocol);
    const rapidjson::Value *xml = rr.object("XmlMsg");
    if (!xml) rr.fail("XmlMsg", "is missing", "がありません");
    check_official_tree(*xml, "response.result.XmlMsg");
    out.notices = parse_notices(root.any("notices"), "response");
    return out;
}

EnrollmentResponse parse_enrollment_response(std::string_view body) {
    rapidjson::Document doc = parse_body(body, "enrollment answer");
    json::ObjectReader r(doc, "response", kProtocol);
    EnrollmentResponse out;
    out.terminal_id = required_string(r, "terminal_id", 128);
    out.certificate_pem = required_string(r, "certificate_pem", 32 * 1024);
    out.ca_pem = r.string("ca_pem", 64 * 1024).value_or("");
    out.certificate_expires_at = required_string(r, "certificate_expires_at", 64);
    const rapidjson::Value *facility = r.object("facility");
    if (!facility) r.fail("facility", "is missing", "がありません");
    out.facility = parse_facility(*facility, "response.facility");
    if (out.certificate_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
        r.fail("certificate_pem", "is not a PEM certificate", "PEM形式の証明書ではありません");
    for (char ch : out.terminal_id)
        if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.'))
            r.fail("terminal_id", "has characters other than letters, digits, '-', '_' and '.'",
                   "英数字と - _ . 以外の文字を含んでいます");
    return out;
}

EnrollmentResponse parse_renewal_response(std::string_view body) { return parse_enrollment_response(body); }

EndOfUseResponse parse_end_of_use_response(std::string_view body) {
    rapidjson::Document doc = parse_body(body, "end-of-use answer");
    json::ObjectReader r(doc, "response", kProtocol);
    EndOfUseResponse out;
    out.terminal_id = required_string(r, "terminal_id", 128);
    out.status = required_string(r, "status", 16);
    if (out.status != "ended") r.fail("status", "must be \"ended\"", "\"ended\" である必要があります");
    if (const rapidjson::Value *facility = r.object("facility")) out.facility = parse_facility(*facility, "response.facility");
    return out;
}

std::string parse_status_response(std::string_view body) {
    rapidjson::Document doc = parse_body(body, "status answer");
    json::ObjectReader r(doc, "response", kProtocol);
    required_string(r, "terminal_id", 128);
    r.string("terminal_name", 1024);
    r.string("certificate_expires_at", 64);
    if (auto planned = r.string("planned_end_date", 16); planned && !is_calendar_date(*planned))
        r.fail("planned_end_date", "must be YYYY-MM-DD or null", "YYYY-MM-DD または null である必要があります");
    r.string("certificate_serial", 128);
    if (const rapidjson::Value *facility = r.object("facility")) parse_facility(*facility, "response.facility");
    return json::serialize(doc);
}

void parse_health_response(std::string_view body) {
    rapidjson::Document doc = parse_body(body, "health answer");
    json::ObjectReader r(doc, "response", kProtocol);
    auto protocol = r.integer("protocol", 0, 1'000'000);
    if (!protocol || *protocol != 1)
        r.fail("protocol", "must be 1 (the protocol this client speaks)", "1 である必要があります");
}

}  // namespace onshi::gateway
