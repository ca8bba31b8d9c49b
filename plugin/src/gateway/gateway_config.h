// The "gateway" object of the context configuration (docs/config.md), validated at onshi_open.
#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <string>

namespace onshi::gateway {

struct GatewayConfig {
    std::string url;          // https://host[:port][/base]; empty: no gateway configured
    std::string ca_file;      // PEM CA(s) the server certificate must chain to (required with url)
    std::string pin_sha256;   // optional base64 SHA-256 of the server's SubjectPublicKeyInfo
    std::chrono::milliseconds timeout{10'000};
    std::chrono::milliseconds connect_timeout{3'000};

    bool configured() const { return !url.empty(); }
    // url without a trailing '/', so that endpoint paths can be appended.
    std::string endpoint(const char *path) const;

    // Throws Error(ONSHI_E_CONFIG) naming the key ("config.gateway.url: ...").
    static GatewayConfig parse(const rapidjson::Value &object);
};

}  // namespace onshi::gateway
