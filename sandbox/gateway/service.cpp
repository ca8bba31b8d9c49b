#include "gateway/service.h"

#include "gateway/certificate_expiry.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/number.h"

namespace sandbox::gateway {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::int64_t kFreshnessS = 300;
constexpr std::int64_t kReplayWindowS = 600;

struct ApiError {
  int status;
  std::string code, ja, en;
};

[[noreturn]] void bad_request(const std::string& ja, const std::string& en) {
  throw ApiError{400, "E_BAD_REQUEST", ja, en};
}

ApiError not_enrolled() {
  return {401, "E_NOT_ENROLLED", "端末が登録されていません（クライアント証明書がないか、無効です）",
          "Terminal not enrolled (no or invalid client certificate)"};
}

rapidjson::Document parse_object(const std::string& text, const char* what) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  if (d.HasParseError() || !d.IsObject())
    bad_request(std::string(what) + " がJSONオブジェクトではありません", std::string(what) + " is not a JSON object");
  return d;
}

// A required (or optional) string member of at most max bytes.
std::optional<std::string> string_member(const rapidjson::Value& o, const char* key, std::size_t max,
                                         bool required) {
  auto it = o.FindMember(key);
  if (it == o.MemberEnd() || it->value.IsNull()) {
    if (required) bad_request(std::string(key) + " がありません", std::string("missing ") + key);
    return std::nullopt;
  }
  if (!it->value.IsString()) bad_request(std::string(key) + " は文字列である必要があります", std::string(key) + " must be a string");
  if (it->value.GetStringLength() > max)
    bad_request(std::string(key) + " が長すぎます", std::string(key) + " is too long");
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::string required(const rapidjson::Value& o, const char* key, std::size_t max) {
  return *string_member(o, key, max, true);
}

std::string ok_json(const std::function<void(Writer&)>& body) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  body(w);
  return std::string(sb.GetString(), sb.GetSize());
}

// YYYYMMDDhhmmss and YYYYMMDD in Japan time (UTC+9, no DST).
std::string jst(std::int64_t unix_s, bool date_only) {
  const std::time_t t = static_cast<std::time_t>(unix_s + 9 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  if (date_only)
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  else
    std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

// What the certificate-expiry rule says about a card certificate today (docs/certificate-expiry.md).
struct CertificateNotice {
  bool refused = false;    // past the grace window: E_CERT_EXPIRED with ja/en
  std::string code;        // CERT_EXPIRES_SOON | CERT_EXPIRED_GRACE | "" (nothing to say)
  std::string ja, en;
  std::string expires_on, usable_until;  // YYYY-MM-DD
};

CertificateNotice certificate_notice(X509* cert, std::int64_t calendar_now) {
  CertificateNotice n;
  int days = 0, seconds = 0;
  // notAfter as Unix seconds: its distance from the epoch.
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> epoch(ASN1_TIME_set(nullptr, 0), ASN1_TIME_free);
  if (!epoch || ASN1_TIME_diff(&days, &seconds, epoch.get(), X509_get0_notAfter(cert)) != 1) {
    n.refused = true;
    n.ja = "カードの利用者証明用電子証明書の有効期限を読み取れません";
    n.en = "The card certificate's expiry cannot be read";
    return n;
  }
  const CivilDate expiry = jst_date(static_cast<std::int64_t>(days) * 86400 + seconds);
  const CivilDate today = jst_date(calendar_now);
  const CivilDate last = last_usable_day(expiry);
  n.expires_on = format_date(expiry);
  switch (expiry_state(expiry, today)) {
    case ExpiryState::valid: break;
    case ExpiryState::expiring:
      n.code = "CERT_EXPIRES_SOON";
      n.ja = "利用者証明用電子証明書の有効期限は " + n.expires_on +
             " です。市区町村の窓口で更新の手続きをするよう患者さんにお伝えください";
      n.en = "The card's user-authentication certificate expires on " + n.expires_on +
             "; please ask the patient to renew it at the municipal office";
      break;
    case ExpiryState::grace:
      n.code = "CERT_EXPIRED_GRACE";
      n.usable_until = format_date(last);
      n.ja = "利用者証明用電子証明書の有効期限（" + n.expires_on + "）が過ぎています。資格確認には " + n.usable_until +
             " まで使えます。市区町村の窓口で更新するよう患者さんにお伝えください";
      n.en = "The card's user-authentication certificate expired on " + n.expires_on +
             "; it can be used for eligibility checks until " + n.usable_until +
             ". Please ask the patient to renew it at the municipal office";
      break;
    case ExpiryState::expired:
      n.refused = true;
      n.usable_until = format_date(last);
      n.ja = "カードの利用者証明用電子証明書は " + n.expires_on + " に有効期限が切れ、資格確認に使えたのは " +
             n.usable_until + " までです。市区町村の窓口で更新の手続きが必要です";
      n.en = "The card certificate expired on " + n.expires_on + " and could be used for eligibility checks until " +
             n.usable_until + "; the patient must renew it at the municipal office";
      break;
  }
  return n;
}

bool is_hex32(const std::string& s) {
  if (s.size() != 32) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

void write_facility(Writer& w, const Facility& f, int used) {
  w.Key("facility");
  w.StartObject();
  w.Key("code");
  w.String(f.code);
  w.Key("name");
  w.String(f.name);
  w.Key("terminals_used");
  w.Int(used);
  w.Key("terminals_allowed");
  w.Int(f.terminals_allowed);
  w.EndObject();
}

// Every answer is a JSON object: status plus the members that `members` writes.
ApiResponse json_answer(int status, const std::function<void(Writer&)>& members) {
  ApiResponse r;
  r.status = status;
  r.body = ok_json([&](Writer& w) {
    w.StartObject();
    members(w);
    w.EndObject();
  });
  return r;
}

// The 200/201 answers about one terminal: {"terminal_id": ..., then fields}, logged under it.
ApiResponse terminal_answer(int status, const std::string& terminal_id,
                            const std::function<void(Writer&)>& fields) {
  ApiResponse r = json_answer(status, [&](Writer& w) {
    w.Key("terminal_id");
    w.String(terminal_id);
    fields(w);
  });
  r.terminal_id = terminal_id;
  return r;
}

// A new certificate for a terminal (enrollment, renewal); a CSR it cannot take is the client's 400.
TerminalCert issue_cert(const CaMaterial& terminal_ca, const std::string& csr, const std::string& terminal_id,
                        const std::string& facility_code) {
  try {
    return issue_terminal_cert(terminal_ca, csr, terminal_id, facility_code);
  } catch (const CsrError& e) {
    throw ApiError{400, "E_BAD_REQUEST", std::string("CSRが不正です: ") + e.what(), e.what()};
  }
}

// What enrollment and renewal both hand over: the new certificate, its CA and its expiry.
void write_new_certificate(Writer& w, const TerminalCert& cert, const CaMaterial& terminal_ca) {
  const std::pair<const char*, const std::string&> members[] = {
      {"certificate_pem", cert.pem}, {"ca_pem", terminal_ca.cert_pem}, {"certificate_expires_at", cert.not_after_iso}};
  for (const auto& [key, value] : members) {
    w.Key(key);
    w.String(value);
  }
}

bool verify_signature(X509* cert, const std::string& data, const Bytes& sig) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (key == nullptr) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx != nullptr &&
                  EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                  EVP_DigestVerify(ctx, sig.data(), sig.size(),
                                   reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
  return ok;
}

}  // namespace

Service::Service(Registry& registry, ServiceSetup setup) : registry_(registry), setup_(std::move(setup)) {
  if (!setup_.clock) setup_.clock = [] { return static_cast<std::int64_t>(std::time(nullptr)); };
}

ApiResponse Service::error(int status, const std::string& code, const std::string& ja,
                           const std::string& en) {
  ApiResponse r = json_answer(status, [&](Writer& w) {
    w.Key("error");
    w.StartObject();
    w.Key("code");
    w.String(code);
    w.Key("message_ja");
    w.String(ja);
    w.Key("message_en");
    w.String(en);
    w.EndObject();
  });
  r.error_code = code;
  return r;
}

std::string Service::today_jst() const {
  const std::string today = jst(setup_.clock(), true);
  return today.substr(0, 4) + "-" + today.substr(4, 2) + "-" + today.substr(6, 2);
}

ApiResponse Service::handle(const ApiRequest& request) {
  // 利用終了予定日 is the last day of use: from the next day (Japan time) the terminal is ended,
  // as if the facility had asked, whether or not it ever calls again (its slot is free).
  registry_.transaction([&] {
    for (const std::string& id : registry_.end_terminals_planned_before(today_jst(), setup_.clock()))
      std::fprintf(stderr, "terminal %s ended: its planned end date has passed\n", id.c_str());
  });
  std::string path = request.target.substr(0, request.target.find('?'));
  // A path may take several methods; a path that matched with none of them is 405.
  bool path_matched = false;
  const auto route = [&](const char* p, const char* method, ApiResponse (Service::*fn)(const ApiRequest&),
                         std::optional<ApiResponse>& out) {
    if (path != p || out) return;
    path_matched = true;
    if (request.method == method) out = (this->*fn)(request);
  };
  std::optional<ApiResponse> out;
  try {
    if (path == "/v1/health") {
      out = request.method == "GET" ? health()
                                    : error(405, "E_BAD_REQUEST", "このエンドポイントでは使えないメソッドです",
                                            "Method not allowed on this endpoint");
    }
    route("/v1/terminals", "POST", &Service::enroll, out);
    route("/v1/terminals/self", "GET", &Service::self, out);
    route("/v1/terminals/self", "DELETE", &Service::end_use, out);
    route("/v1/terminals/self/planned-end", "PUT", &Service::set_planned_end, out);
    route("/v1/terminals/self/planned-end", "DELETE", &Service::cancel_planned_end, out);
    route("/v1/terminals/self/renewal", "POST", &Service::renew, out);
    route("/v1/confirmations", "POST", &Service::confirm, out);
    if (!out && path_matched)
      out = error(405, "E_BAD_REQUEST", "このエンドポイントでは使えないメソッドです",
                  "Method not allowed on this endpoint");
    if (!out) out = error(404, "E_BAD_REQUEST", "そのエンドポイントはありません", "No such endpoint");
  } catch (const ApiError& e) {
    out = error(e.status, e.code, e.ja, e.en);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "internal error on %s: %s\n", path.c_str(), e.what());
    out = error(500, "E_INTERNAL", "ゲートウェイの内部エラーです", "Gateway internal error");
  }
  return *out;
}

ApiResponse Service::health() {
  ApiResponse r;
  r.status = 200;
  r.body = R"({"status":"ok","protocol":1})";
  return r;
}

ApiResponse Service::enroll(const ApiRequest& req) {
  const auto body = parse_object(req.body, "body");
  const std::string code = required(body, "facility_code", 16);
  const std::string enrollment_id = required(body, "enrollment_id", 64);
  std::string password = required(body, "setup_password", 128);
  const std::string name = string_member(body, "terminal_name", 128, false).value_or("");
  const std::string csr = required(body, "csr_pem", 16 * 1024);

  const bool credentials_ok = registry_.check_setup_credentials(code, enrollment_id, password);
  OPENSSL_cleanse(password.data(), password.size());
  if (!credentials_ok)
    throw ApiError{401, "E_SETUP_CREDENTIALS", "医療機関等コード・登録ID・パスワードが一致しません",
                   "Facility code, enrollment id or setup password do not match"};
  const Facility facility = *registry_.facility(code);

  int used = 0;
  std::string terminal_id;
  TerminalCert cert;
  registry_.transaction([&] {
    used = registry_.terminals_used(code);
    if (used >= facility.terminals_allowed)
      throw ApiError{409, "E_TERMINAL_LIMIT",
                     "申請台数（" + std::to_string(facility.terminals_allowed) + "台）の端末がすでに登録されています",
                     "The facility already has as many terminals as it applied for (" +
                         std::to_string(facility.terminals_allowed) + ")"};
    int seq = 0;
    terminal_id = registry_.next_terminal_id(code, seq);
    cert = issue_cert(setup_.terminal_ca, csr, terminal_id, code);
    registry_.add_terminal(terminal_id, code, seq, name, cert.serial_hex, cert.pem, cert.not_after_unix,
                           cert.not_after_iso);
  });
  return terminal_answer(201, terminal_id, [&](Writer& w) {
    write_new_certificate(w, cert, setup_.terminal_ca);
    write_facility(w, facility, used + 1);
  });
}

Terminal Service::authenticated(const ApiRequest& req) {
  if (!req.client.presented || !req.client.chain_ok) throw not_enrolled();
  auto t = registry_.terminal_by_cert_serial(req.client.serial_hex);
  if (t) return *t;
  // Staff must learn why a terminal that worked yesterday no longer does.
  if (auto ended = registry_.ended_terminal_by_cert_serial(req.client.serial_hex)) {
    const std::string date = ended->planned_end_date.value_or("");
    throw ApiError{401, "E_NOT_ENROLLED",
                   "この端末（" + ended->terminal_id + "）は利用終了しています" +
                       (date.empty() ? "" : "（利用終了予定日 " + date + "）") +
                       "。この端末で続けるには、端末側でも利用終了してから端末登録をやり直してください",
                   "This terminal (" + ended->terminal_id + ") has ended its use" +
                       (date.empty() ? "" : " (planned end date " + date + ")") +
                       "; to go on using this PC, end its use on the PC too and enroll it again"};
  }
  throw not_enrolled();
}

ApiResponse Service::self(const ApiRequest& req) {
  const Terminal t = authenticated(req);
  const Facility facility = *registry_.facility(t.facility_code);
  const int used = registry_.terminals_used(t.facility_code);
  return terminal_answer(200, t.terminal_id, [&](Writer& w) {
    w.Key("terminal_name");
    w.String(t.terminal_name);
    write_facility(w, facility, used);
    w.Key("certificate_expires_at");
    w.String(t.cert_expires_at);
    w.Key("certificate_serial");
    w.String(req.client.serial_hex);
    w.Key("planned_end_date");
    if (t.planned_end_date) w.String(*t.planned_end_date);
    else w.Null();
  });
}

ApiResponse Service::end_use(const ApiRequest& req) {
  // Ending an ended terminal succeeds (its certificate at the end still names it), so that a
  // terminal the planned end date ended can drop its local key like any other.
  std::optional<Terminal> ended =
      req.client.presented && req.client.chain_ok ? registry_.ended_terminal_by_cert_serial(req.client.serial_hex)
                                                  : std::nullopt;
  const Terminal t = ended ? *ended : authenticated(req);
  if (!ended) registry_.transaction([&] { registry_.end_terminal(t.terminal_id, setup_.clock()); });
  const Facility facility = *registry_.facility(t.facility_code);
  return terminal_answer(200, t.terminal_id, [&](Writer& w) {
    w.Key("status");
    w.String("ended");
    write_facility(w, facility, registry_.terminals_used(t.facility_code));
  });
}

namespace {

// YYYY-MM-DD, a real calendar date (Gregorian); 400 otherwise.
void check_date(const std::string& d) {
  // A field of fixed width: digits only (a '-' sign falls below every minimum).
  const auto field = [&](std::size_t from, std::size_t n, int min, int max) {
    return parse_number(std::string_view(d).substr(from, n), min, max);
  };
  bool ok = d.size() == 10 && d[4] == '-' && d[7] == '-';
  if (ok) {
    const auto y = field(0, 4, 1900, 9999), m = field(5, 2, 1, 12), day = field(8, 2, 1, 31);
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = y && ((*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0);
    ok = y && m && day && *day <= kDays[*m - 1] + (*m == 2 && leap ? 1 : 0);
  }
  if (!ok) bad_request("date は YYYY-MM-DD 形式の日付である必要があります", "date must be a calendar date YYYY-MM-DD");
}

}  // namespace

ApiResponse Service::set_planned_end(const ApiRequest& req) {
  const Terminal t = authenticated(req);
  const auto body = parse_object(req.body, "body");
  const std::string date = required(body, "date", 16);
  check_date(date);
  const std::string today = today_jst();  // YYYY-MM-DD compares as text
  if (date < today)
    throw ApiError{422, "E_END_DATE_PAST", "利用終了予定年月日（" + date + "）が過去の日付です",
                   "The planned end date (" + date + ") is in the past (today is " + today + " JST)"};
  registry_.set_planned_end_date(t.terminal_id, date);
  return self(req);
}

ApiResponse Service::cancel_planned_end(const ApiRequest& req) {
  const Terminal t = authenticated(req);
  registry_.set_planned_end_date(t.terminal_id, std::nullopt);
  return self(req);
}

ApiResponse Service::renew(const ApiRequest& req) {
  const Terminal t = authenticated(req);
  const auto body = parse_object(req.body, "body");
  const std::string csr = required(body, "csr_pem", 16 * 1024);
  const TerminalCert cert = issue_cert(setup_.terminal_ca, csr, t.terminal_id, t.facility_code);
  registry_.transaction([&] {
    registry_.replace_certificate(t.terminal_id, cert.serial_hex, cert.pem, cert.not_after_unix, cert.not_after_iso,
                                  setup_.clock());
  });
  const Facility facility = *registry_.facility(t.facility_code);
  const int used = registry_.terminals_used(t.facility_code);
  return terminal_answer(200, t.terminal_id, [&](Writer& w) {
    write_new_certificate(w, cert, setup_.terminal_ca);
    w.Key("certificate_serial");
    w.String(cert.serial_hex);
    write_facility(w, facility, used);
  });
}

ApiResponse Service::confirm(const ApiRequest& req) {
  // 1. terminal (mTLS)
  const Terminal terminal = authenticated(req);
  ApiResponse r;
  r.terminal_id = terminal.terminal_id;
  try {
    const auto body = parse_object(req.body, "body");
    const std::string payload = required(body, "payload", 4096);
    const std::string cert_b64 = required(body, "certificate", 16 * 1024);
    const auto signature_b64 = string_member(body, "signature", 2048, false);
    const rapidjson::Value* attestation = nullptr;
    if (auto a = body.FindMember("attestation"); a != body.MemberEnd() && !a->value.IsNull()) {
      if (!a->value.IsObject()) bad_request("attestation はオブジェクトである必要があります", "attestation must be an object");
      attestation = &a->value;
    }
    bool consent_limit = false;
    if (auto c = body.FindMember("consents"); c != body.MemberEnd() && !c->value.IsNull()) {
      if (!c->value.IsObject()) bad_request("consents はオブジェクトである必要があります", "consents must be an object");
      if (auto l = c->value.FindMember("limit_application_certificate"); l != c->value.MemberEnd()) {
        if (!l->value.IsBool())
          bad_request("consents.limit_application_certificate は真偽値である必要があります",
                      "consents.limit_application_certificate must be a boolean");
        consent_limit = l->value.GetBool();
      }
    }

    // 2. binding of the payload: facility, terminal, method (and the evidence that goes with it)
    const auto p = parse_object(payload, "payload");
    const auto v = p.FindMember("v");
    if (v == p.MemberEnd() || !v->value.IsInt() || v->value.GetInt() != 1)
      bad_request("payload.v は 1 である必要があります", "payload.v must be 1");
    const std::string method = required(p, "method", 16);
    const std::string facility = required(p, "facility", 16);
    const std::string terminal_id = required(p, "terminal", 64);
    const std::string nonce = required(p, "nonce", 64);
    const auto t = p.FindMember("time");
    if (t == p.MemberEnd() || !t->value.IsInt64()) bad_request("payload.time がありません", "payload.time must be Unix seconds");
    const std::int64_t time = t->value.GetInt64();
    if (method != "pin" && method != "visual")
      bad_request("payload.method は pin か visual です", "payload.method must be \"pin\" or \"visual\"");
    if (!is_hex32(nonce)) bad_request("payload.nonce は16進32桁です", "payload.nonce must be 32 hex digits");
    if (method == "pin" && !signature_b64) bad_request("signature がありません", "missing signature (method pin)");
    if (method == "visual") {
      if (attestation == nullptr) bad_request("attestation がありません", "missing attestation (method visual)");
      const auto sc = attestation->FindMember("staff_confirmed");
      if (sc == attestation->MemberEnd() || !sc->value.IsBool() || !sc->value.GetBool())
        bad_request("attestation.staff_confirmed が true ではありません", "attestation.staff_confirmed must be true");
    }
    const bool other_evidence = method == "pin" ? attestation != nullptr : signature_b64.has_value();
    if (facility != terminal.facility_code || terminal_id != terminal.terminal_id || other_evidence)
      throw ApiError{422, "E_BINDING", "要求の内容（医療機関・端末・確認方法）がこの端末と一致しません",
                     "The payload names another facility, terminal or method"};

    // 3. freshness, 4. replay
    const std::int64_t now = setup_.clock();
    if (std::llabs(now - time) > kFreshnessS)
      throw ApiError{422, "E_STALE", "要求の時刻がずれています（端末の時計を確認してください）",
                     "Request time is more than 300 s away from the server's clock"};
    if (!registry_.remember_nonce(terminal.terminal_id, nonce, now, kReplayWindowS))
      throw ApiError{422, "E_REPLAY", "同じ要求が再送されました", "Replayed request"};

    // 5. chain to the JPKI CA, 6. validity period, 7. CRL
    Bytes der;
    try {
      der = base64_decode(cert_b64);
    } catch (const SandboxError&) {
      bad_request("certificate がBase64ではありません", "certificate is not base64");
    }
    const X509Ptr cert = parse_cert_der(der);
    if (!cert) bad_request("certificate がX.509証明書ではありません", "certificate is not a DER X.509 certificate");
    {
      std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
      X509_STORE_add_cert(store.get(), setup_.jpki_ca.get());
      std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
      X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr);
      X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_NO_CHECK_TIME);
      const bool chained = X509_verify_cert(ctx.get()) == 1;
      ERR_clear_error();
      if (!chained)
        throw ApiError{422, "E_CERT_UNTRUSTED", "カードの電子証明書を確認できません（発行元が不明です）",
                       "The card certificate does not chain to the JPKI CA"};
    }
    // 6. validity period: not yet valid is refused; after notAfter the MHLW grace rule decides
    // (certificate_expiry.h), by the gateway's calendar.
    if (X509_cmp_current_time(X509_get0_notBefore(cert.get())) >= 0)
      throw ApiError{422, "E_CERT_EXPIRED", "カードの利用者証明用電子証明書はまだ有効になっていません",
                     "The card certificate is not valid yet"};
    const CertificateNotice expiry = certificate_notice(cert.get(), (setup_.calendar ? setup_.calendar : setup_.clock)());
    if (expiry.refused) throw ApiError{422, "E_CERT_EXPIRED", expiry.ja, expiry.en};
    X509_REVOKED* revoked = nullptr;
    if (X509_CRL_get0_by_cert(setup_.crl.get(), &revoked, cert.get()) == 1)
      throw ApiError{422, "E_CERT_REVOKED", "カードの利用者証明用電子証明書は失効しています",
                     "The card certificate is revoked"};

    // 8. signature (pin)
    if (method == "pin") {
      Bytes sig;
      try {
        sig = base64_decode(*signature_b64);
      } catch (const SandboxError&) {
        bad_request("signature がBase64ではありません", "signature is not base64");
      }
      if (!verify_signature(cert.get(), payload, sig))
        throw ApiError{422, "E_SIGNATURE", "署名を検証できません", "The signature does not verify over payload"};
    }

    // 9. the insured person linked to the certificate
    const auto person = registry_.person_by_card_serial(serial_hex(cert.get()));
    const std::string validity = person ? person->qualification_validity : "4";
    const std::string exec_time = jst(now, false);
    const std::string confirmation_id = "C-" + exec_time + "-" + random_hex(6);
    r.status = 200;
    r.body = ok_json([&](Writer& w) {
      w.StartObject();
      w.Key("confirmation");
      w.StartObject();
      w.Key("id");
      w.String(confirmation_id);
      w.Key("method");
      w.String(method);
      w.Key("time");
      w.String(exec_time);
      w.EndObject();
      w.Key("result");
      w.StartObject();
      w.Key("XmlMsg");
      w.StartObject();
      w.Key("MessageHeader");
      w.StartObject();
      const auto m = [&](const char* k, const std::string& val) {
        w.Key(k);
        w.String(val);
      };
      m("ProcessExecutionTime", exec_time);
      m("QualificationConfirmationDate", jst(now, true));
      m("MedicalInstitutionCode", terminal.facility_code);
      m("ReferenceClassification", "1");
      m("SegmentOfResult", "1");
      m("CharacterCodeIdentifier", "0");
      w.EndObject();
      w.Key("MessageBody");
      w.StartObject();
      m("ProcessingResultStatus", "1");
      m("QualificationValidity", validity);
      if (person && !person->result_json.empty()) {
        rapidjson::Document rec;
        rec.Parse(person->result_json.c_str());
        auto& a = rec.GetAllocator();
        rec.AddMember("LimitApplicationCertificateRelatedConsFlg", rapidjson::Value(consent_limit ? "1" : "0"), a);
        if (consent_limit) {
          rec.AddMember("LimitApplicationCertificateRelatedConsTime", rapidjson::Value(exec_time.c_str(), a), a);
          if (!person->limit_info_json.empty()) {
            rapidjson::Document info(&a);
            info.Parse(person->limit_info_json.c_str());
            rec.AddMember("LimitApplicationCertificateRelatedInfo", rapidjson::Value(info, a), a);
          }
        }
        w.Key("ResultList");
        w.StartObject();
        w.Key("ResultOfQualificationConfirmation");
        w.StartArray();
        rec.Accept(w);
        w.EndArray();
        w.EndObject();
      }
      w.EndObject();
      w.EndObject();
      w.EndObject();
      // Notices for staff beside the official result (gateway-protocol.md §3): stable codes.
      w.Key("notices");
      w.StartArray();
      if (!expiry.code.empty()) {
        w.StartObject();
        m("code", expiry.code);
        m("message_ja", expiry.ja);
        m("message_en", expiry.en);
        m("expires_on", expiry.expires_on);
        if (!expiry.usable_until.empty()) m("usable_until", expiry.usable_until);
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
    });
    return r;
  } catch (ApiError& e) {
    ApiResponse err = error(e.status, e.code, e.ja, e.en);
    err.terminal_id = terminal.terminal_id;
    return err;
  }
}

}  // namespace sandbox::gateway
