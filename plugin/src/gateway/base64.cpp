#include "gateway/base64.h"

#include <openssl/evp.h>

namespace onshi::gateway {

std::string base64_encode(const std::uint8_t *data, std::size_t size) {
    std::string out(4 * ((size + 2) / 3) + 1, '\0');
    // EVP_EncodeBlock takes an int length; our inputs (certificates, signatures) are far below it.
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()), data, static_cast<int>(size));
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return out;
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0 || text.size() > (1u << 24)) return std::nullopt;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
                  (c == '=' && i + 2 >= text.size());
        if (!ok) return std::nullopt;
    }
    if (text.size() >= 2 && text[text.size() - 2] == '=' && text.back() != '=') return std::nullopt;
    std::vector<std::uint8_t> out(3 * (text.size() / 4));
    int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char *>(text.data()), static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    std::size_t size = static_cast<std::size_t>(n);
    // EVP_DecodeBlock counts the padding as zero bytes.
    if (!text.empty() && text.back() == '=') --size;
    if (text.size() >= 2 && text[text.size() - 2] == '=') --size;
    out.resize(size);
    // Canonical only (as documented): the unused bits before the padding must be zero (RFC 4648
    // §3.5), so that one byte string has exactly one accepted text.
    if (base64_encode(out) != text) return std::nullopt;
    return out;
}

}  // namespace onshi::gateway
