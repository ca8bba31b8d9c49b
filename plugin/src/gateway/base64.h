// Base64 (RFC 4648, with padding) for the protocol's binary members and the key pin.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace onshi::gateway {

std::string base64_encode(const std::uint8_t *data, std::size_t size);
inline std::string base64_encode(const std::vector<std::uint8_t> &bytes) { return base64_encode(bytes.data(), bytes.size()); }
// nullopt unless `text` is canonical padded base64 (no whitespace).
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace onshi::gateway
