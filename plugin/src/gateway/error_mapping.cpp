#include "gateway/error_mapping.h"

#include "util/json.h"

#include <curl/curl.h>

namespace onshi::gateway {

onshi_status status_for_server_code(std::string_view code) {
    struct Row {
        std::string_view code;
        onshi_status status;
    };
    static constexpr Row kTable[] = {
        {"E_BAD_REQUEST", ONSHI_E_GATEWAY_PROTOCOL},
        {"E_SETUP_CREDENTIALS", ONSHI_E_SETUP_CREDENTIALS},
        {"E_NOT_ENROLLED", ONSHI_E_NOT_ENROLLED},
        {"E_TERMINAL_LIMIT", ONSHI_E_TERMINAL_LIMIT},
        {"E_ALREADY_ENROLLED", ONSHI_E_ALREADY_ENROLLED},
        {"E_END_DATE_PAST", ONSHI_E_INVALID_ARGUMENT},
        {"E_CERT_UNTRUSTED", ONSHI_E_REJECTED},
        {"E_CERT_REVOKED", ONSHI_E_CERT_REVOKED},
        {"E_CERT_EXPIRED", ONSHI_E_CERT_EXPIRED},
        {"E_SIGNATURE", ONSHI_E_REJECTED},
        {"E_STALE", ONSHI_E_REJECTED},
        {"E_REPLAY", ONSHI_E_REJECTED},
        {"E_BINDING", ONSHI_E_REJECTED},
        {"E_INTERNAL", ONSHI_E_GATEWAY_ERROR},
        {"E_UNAVAILABLE", ONSHI_E_GATEWAY_ERROR},
    };
    for (const Row &row : kTable)
        if (row.code == code) return row.status;
    return ONSHI_OK;
}

namespace {

// Server text is shown to staff: keep it short and printable.
std::string clip(std::string_view s) {
    std::string out;
    for (char c : s.substr(0, 512)) out += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
    return out;
}

}  // namespace

Error error_from_http(long http_status, std::string_view body, const std::string &endpoint) {
    std::string where = endpoint + " answered HTTP " + std::to_string(http_status);
    std::string where_ja = endpoint + " が HTTP " + std::to_string(http_status) + " を返しました";
    onshi_status shapeless = http_status >= 500 ? ONSHI_E_GATEWAY_ERROR : ONSHI_E_GATEWAY_PROTOCOL;
    try {
        rapidjson::Document doc = json::parse(body, "error body", ONSHI_E_GATEWAY_PROTOCOL, {.max_bytes = 64 * 1024, .max_depth = 4});
        if (!doc.IsObject() || !doc.HasMember("error") || !doc["error"].IsObject()) throw Error(shapeless, {});
        json::ObjectReader r(doc["error"], "error", ONSHI_E_GATEWAY_PROTOCOL);
        std::string code = r.string("code", 64).value_or("");
        std::string ja = r.string("message_ja", 4096).value_or("");
        std::string en = r.string("message_en", 4096).value_or("");
        onshi_status status = status_for_server_code(code);
        if (status == ONSHI_OK) status = shapeless;
        std::string tail_en = code.empty() ? "" : " " + clip(code);
        std::string tail_ja = tail_en;
        if (!en.empty() || !ja.empty()) {
            tail_en += ": " + clip(en.empty() ? ja : en);
            tail_ja += ": " + clip(ja.empty() ? en : ja);
        }
        return Error(status, {where + tail_en, where_ja + tail_ja});
    } catch (const Error &) {
        return Error(shapeless, {where + " without the protocol's error body", where_ja + "(プロトコルのエラー形式ではありません)"});
    }
}

onshi_status status_for_curl_code(int curl_code) {
    switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_OK:
        return ONSHI_OK;
    case CURLE_OPERATION_TIMEDOUT:
        return ONSHI_E_GATEWAY_TIMEOUT;
    case CURLE_ABORTED_BY_CALLBACK:
        return ONSHI_E_CANCELLED;
    case CURLE_OUT_OF_MEMORY:
        return ONSHI_E_NO_MEMORY;
    // The server's identity or the TLS session could not be established as configured.
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
        return ONSHI_E_TLS;
    // Bounded response (1 MiB) or an HTTP-level answer libcurl could not make sense of.
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_TOO_MANY_REDIRECTS:
        return ONSHI_E_GATEWAY_PROTOCOL;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return ONSHI_E_CONFIG;
    default:
        // Resolve / connect failures, broken connections (SEND/RECV_ERROR, GOT_NOTHING,
        // PARTIAL_FILE, SEND_FAIL_REWIND) and the rest: the network.
        return ONSHI_E_NETWORK;
    }
}

Error error_from_curl(int curl_code, const std::string &curl_detail, const std::string &endpoint) {
    onshi_status status = status_for_curl_code(curl_code);
    std::string what = curl_detail.empty() ? curl_easy_strerror(static_cast<CURLcode>(curl_code)) : curl_detail;
    // curl words a timeout by the stage it hit ("SSL connection timeout" during the handshake,
    // "Operation timed out after ..." later): IT and logs get one recognisable wording either way.
    if (status == ONSHI_E_GATEWAY_TIMEOUT && what.find("timed out") == std::string::npos)
        what = "timed out (" + what + ")";
    return Error(status, {endpoint + ": " + what, endpoint + ": " + what});
}

}  // namespace onshi::gateway
