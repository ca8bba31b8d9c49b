#include "util/digest.h"

#include "util/error.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <vector>

namespace onshi {

std::array<std::uint8_t, 32> sha256(std::string_view data) {
    std::array<std::uint8_t, 32> out{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &size, EVP_sha256(), nullptr) != 1 || size != out.size())
        throw Error(ONSHI_E_INTERNAL, {"SHA-256 failed", "SHA-256 の計算に失敗しました"});
    return out;
}

std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> raw(bytes);
    if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1)
        throw Error(ONSHI_E_INTERNAL, {"no random bytes available", "乱数を取得できません"});
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes * 2);
    for (unsigned char b : raw) {
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 15]);
    }
    return out;
}

}  // namespace onshi
