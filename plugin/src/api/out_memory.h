// Memory handed to the host through char** / uint8_t**: allocated with malloc so that onshi_free
// (free) releases it, whatever C++ allocator the host or onshi uses.
#pragma once

#include "util/error.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace onshi::api {

inline char *copy_out(std::string_view text) {
    auto *out = static_cast<char *>(std::malloc(text.size() + 1));
    if (!out) throw Error(ONSHI_E_NO_MEMORY, {});
    std::memcpy(out, text.data(), text.size());
    out[text.size()] = '\0';
    return out;
}

// Bytes (e.g. a PDF) for a uint8_t** out parameter; never NULL, even for zero bytes.
inline std::uint8_t *copy_out_bytes(const void *data, std::size_t size) {
    auto *out = static_cast<std::uint8_t *>(std::malloc(size ? size : 1));
    if (!out) throw Error(ONSHI_E_NO_MEMORY, {});
    if (size) std::memcpy(out, data, size);
    return out;
}

}  // namespace onshi::api
