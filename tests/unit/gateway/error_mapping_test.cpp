// docs/gateway-protocol.md §2 as statuses: the server's error codes, non-2xx answers with and
// without the protocol's error body, and libcurl's transport failures.
#include "gateway/error_mapping.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

namespace onshi::gateway {
namespace {

TEST(ErrorMapping, EveryServerCodeOfTheProtocol) {
    struct Row {
        const char *code;
        onshi_status status;
    };
    for (Row r : {Row{"E_BAD_REQUEST", ONSHI_E_GATEWAY_PROTOCOL}, Row{"E_SETUP_CREDENTIALS", ONSHI_E_SETUP_CREDENTIALS},
                  Row{"E_NOT_ENROLLED", ONSHI_E_NOT_ENROLLED}, Row{"E_TERMINAL_LIMIT", ONSHI_E_TERMINAL_LIMIT},
                  Row{"E_ALREADY_ENROLLED", ONSHI_E_ALREADY_ENROLLED}, Row{"E_END_DATE_PAST", ONSHI_E_INVALID_ARGUMENT},
                  Row{"E_CERT_UNTRUSTED", ONSHI_E_REJECTED}, Row{"E_CERT_REVOKED", ONSHI_E_CERT_REVOKED},
                  Row{"E_CERT_EXPIRED", ONSHI_E_CERT_EXPIRED}, Row{"E_SIGNATURE", ONSHI_E_REJECTED},
                  Row{"E_STALE", ONSHI_E_REJECTED}, Row{"E_REPLAY", ONSHI_E_REJECTED}, Row{"E_BINDING", ONSHI_E_REJECTED},
                  Row{"E_INTERNAL", ONSHI_E_GATEWAY_ERROR}, Row{"E_UNAVAILABLE", ONSHI_E_GATEWAY_ERROR}})
        EXPECT_EQ(status_for_server_code(r.code), r.status) << r.code;
    EXPECT_EQ(status_for_server_code("E_SOMETHING_NEW"), ONSHI_OK);
    EXPECT_EQ(status_for_server_code("e_replay"), ONSHI_OK) << "codes are exact";
    EXPECT_EQ(status_for_server_code(""), ONSHI_OK);
}

TEST(ErrorMapping, ProtocolErrorBodyGivesTheMappedStatusAndBothMessages) {
    const Error e = error_from_http(
        409, R"({"error":{"code":"E_REPLAY","message_ja":"再送されました","message_en":"replayed"}})", "POST /v1/confirmations");
    EXPECT_EQ(e.status(), ONSHI_E_REJECTED);
    EXPECT_EQ(e.detail().en, "POST /v1/confirmations answered HTTP 409 E_REPLAY: replayed");
    EXPECT_EQ(e.detail().ja, "POST /v1/confirmations が HTTP 409 を返しました E_REPLAY: 再送されました");
}

TEST(ErrorMapping, OneLanguageFillsInForTheOther) {
    const Error e = error_from_http(403, R"({"error":{"code":"E_CERT_REVOKED","message_ja":"失効"}})", "GET /v1/terminals/self");
    EXPECT_EQ(e.status(), ONSHI_E_CERT_REVOKED);
    EXPECT_NE(e.detail().en.find("E_CERT_REVOKED: 失効"), std::string::npos) << e.detail().en;
}

TEST(ErrorMapping, UnknownCodeFallsBackByHttpClass) {
    EXPECT_EQ(error_from_http(400, R"({"error":{"code":"E_NEW"}})", "x").status(), ONSHI_E_GATEWAY_PROTOCOL);
    EXPECT_EQ(error_from_http(503, R"({"error":{"code":"E_NEW"}})", "x").status(), ONSHI_E_GATEWAY_ERROR);
}

TEST(ErrorMapping, BodiesOfAnotherShape) {
    // A proxy's HTML page on 502 is the gateway's trouble; a 4xx without the protocol's body is a
    // protocol error.
    const Error proxy = error_from_http(502, "<html>Bad Gateway</html>", "POST /v1/confirmations");
    EXPECT_EQ(proxy.status(), ONSHI_E_GATEWAY_ERROR);
    EXPECT_NE(proxy.detail().en.find("without the protocol's error body"), std::string::npos) << proxy.detail().en;
    EXPECT_EQ(error_from_http(404, "", "x").status(), ONSHI_E_GATEWAY_PROTOCOL);
    EXPECT_EQ(error_from_http(400, R"({"error":"E_REPLAY"})", "x").status(), ONSHI_E_GATEWAY_PROTOCOL);
    EXPECT_EQ(error_from_http(400, R"({"error":{"code":7}})", "x").status(), ONSHI_E_GATEWAY_PROTOCOL);
    EXPECT_EQ(error_from_http(400, R"([1,2])", "x").status(), ONSHI_E_GATEWAY_PROTOCOL);
}

TEST(ErrorMapping, ServerTextIsClippedAndMadePrintable) {
    const std::string long_text(2000, 'x');
    const Error e = error_from_http(
        400, R"({"error":{"code":"E_BAD_REQUEST","message_en":"line1\nline2\u0007)" + long_text + R"("}})", "x");
    EXPECT_EQ(e.detail().en.find('\n'), std::string::npos);
    EXPECT_EQ(e.detail().en.find('\a'), std::string::npos);
    EXPECT_NE(e.detail().en.find("line1 line2 x"), std::string::npos) << e.detail().en.substr(0, 80);
    EXPECT_LT(e.detail().en.size(), 600u) << "512 characters of server text at most";
}

TEST(ErrorMapping, CurlCodes) {
    EXPECT_EQ(status_for_curl_code(CURLE_OK), ONSHI_OK);
    EXPECT_EQ(status_for_curl_code(CURLE_OPERATION_TIMEDOUT), ONSHI_E_GATEWAY_TIMEOUT);
    EXPECT_EQ(status_for_curl_code(CURLE_ABORTED_BY_CALLBACK), ONSHI_E_CANCELLED);
    EXPECT_EQ(status_for_curl_code(CURLE_OUT_OF_MEMORY), ONSHI_E_NO_MEMORY);
    for (CURLcode tls : {CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE,
                         CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_CERTPROBLEM})
        EXPECT_EQ(status_for_curl_code(tls), ONSHI_E_TLS) << tls;
    for (CURLcode protocol : {CURLE_WRITE_ERROR, CURLE_FILESIZE_EXCEEDED, CURLE_WEIRD_SERVER_REPLY})
        EXPECT_EQ(status_for_curl_code(protocol), ONSHI_E_GATEWAY_PROTOCOL) << protocol;
    EXPECT_EQ(status_for_curl_code(CURLE_URL_MALFORMAT), ONSHI_E_CONFIG);
    for (CURLcode network : {CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_RECV_ERROR, CURLE_SEND_ERROR,
                             CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE})
        EXPECT_EQ(status_for_curl_code(network), ONSHI_E_NETWORK) << network;
}

TEST(ErrorMapping, CurlErrorSaysWhereAndWhy) {
    const Error given = error_from_curl(CURLE_COULDNT_CONNECT, "Failed to connect to 127.0.0.1 port 1", "POST /v1/confirmations");
    EXPECT_EQ(given.status(), ONSHI_E_NETWORK);
    EXPECT_EQ(given.detail().en, "POST /v1/confirmations: Failed to connect to 127.0.0.1 port 1");
    const Error fallback = error_from_curl(CURLE_OPERATION_TIMEDOUT, "", "GET /v1/health");
    EXPECT_EQ(fallback.status(), ONSHI_E_GATEWAY_TIMEOUT);
    // A timeout always says "timed out", whatever curl's wording for the stage it hit.
    EXPECT_EQ(fallback.detail().en,
              std::string("GET /v1/health: timed out (") + curl_easy_strerror(CURLE_OPERATION_TIMEDOUT) + ")");
    const Error handshake = error_from_curl(CURLE_OPERATION_TIMEDOUT, "SSL connection timeout", "POST /v1/confirmations");
    EXPECT_EQ(handshake.detail().en, "POST /v1/confirmations: timed out (SSL connection timeout)");
    const Error worded = error_from_curl(CURLE_OPERATION_TIMEDOUT, "Operation timed out after 10001 milliseconds", "POST /v1/confirmations");
    EXPECT_EQ(worded.detail().en, "POST /v1/confirmations: Operation timed out after 10001 milliseconds");
}

}  // namespace
}  // namespace onshi::gateway
