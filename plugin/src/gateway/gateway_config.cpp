#include "gateway/gateway_config.h"

#include "gateway/base64.h"
#include "util/json.h"

#include <algorithm>
#include <cctype>
#include <fstream>

namespace onshi::gateway {
namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
}

}  // namespace

std::string GatewayConfig::endpoint(const char *path) const {
    std::string base = url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + path;
}

GatewayConfig GatewayConfig::parse(const rapidjson::Value &object) {
    GatewayConfig c;
    json::ObjectReader r(object, "config.gateway", ONSHI_E_CONFIG);
    if (auto url = r.string("url", 2048)) {
        if (starts_with_nocase(*url, "http://"))
            r.fail("url", "plain http:// is refused; the gateway must be reached over https://",
                   "http:// は使用できません。https:// のURLを指定してください");
        if (!starts_with_nocase(*url, "https://") || url->size() <= 8)
            r.fail("url", "must be an https:// URL", "https:// で始まるURLを指定してください");
        for (char ch : *url)
            if (static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f)
                r.fail("url", "must not contain spaces or control characters", "空白や制御文字を含めないでください");
        c.url = *url;
    }
    if (auto ca = r.string("ca_file", 4096)) c.ca_file = *ca;
    if (auto pin = r.string("pin_sha256", 64)) {
        std::string_view p = *pin;
        if (p.rfind("sha256//", 0) == 0) p.remove_prefix(8);
        auto raw = base64_decode(p);
        if (!raw || raw->size() != 32)
            r.fail("pin_sha256", "must be the base64 SHA-256 (32 bytes) of the server's public key",
                   "サーバー公開鍵のSHA-256(32バイト)をbase64で指定してください");
        c.pin_sha256 = std::string(p);
    }
    if (auto ms = r.integer("timeout_ms", 100, 600'000)) c.timeout = std::chrono::milliseconds(*ms);
    if (auto ms = r.integer("connect_timeout_ms", 100, 600'000)) c.connect_timeout = std::chrono::milliseconds(*ms);
    r.finish();
    if (!c.url.empty() && c.ca_file.empty())
        r.fail("ca_file", "is required when url is set (the CA the gateway's certificate must chain to)",
               "url を指定したときは必須です(ゲートウェイ証明書の発行元CA)");
    if (c.url.empty() && (!c.ca_file.empty() || !c.pin_sha256.empty()))
        r.fail("url", "is required when ca_file or pin_sha256 is set", "ca_file や pin_sha256 を指定したときは必須です");
    if (!c.ca_file.empty() && !std::ifstream(c.ca_file).good())
        r.fail("ca_file", "cannot be read: " + c.ca_file, "読み込めません: " + c.ca_file);
    if (c.connect_timeout > c.timeout)
        r.fail("connect_timeout_ms", "must not exceed timeout_ms", "timeout_ms 以下にしてください");
    return c;
}

}  // namespace onshi::gateway
