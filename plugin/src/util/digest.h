// SHA-256 and random bytes (OpenSSL), shared by the card phase and the gateway client.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace onshi {

std::array<std::uint8_t, 32> sha256(std::string_view data);
// Cryptographically random bytes as lower-case hex (for nonces). Throws Error(ONSHI_E_INTERNAL).
std::string random_hex(std::size_t bytes);

}  // namespace onshi
