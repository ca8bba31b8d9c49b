#include "card/atr.h"

namespace onshi::card {

bool is_contactless_atr(std::span<const std::uint8_t> atr) noexcept {
    // TS 3B (direct convention), T0 with only TD1 present (high nibble 8), TD1 = 80 (TD2 follows,
    // T=0 indicated), TD2 = 01 (T=1, nothing more): the fixed frame of PC/SC part 3's made-up ATR.
    if (atr.size() < 5) return false;
    if (atr[0] != 0x3B || (atr[1] & 0xF0) != 0x80 || atr[2] != 0x80 || atr[3] != 0x01) return false;
    const std::size_t historical = atr[1] & 0x0F;
    return atr.size() == 4 + historical + 1;  // + TCK
}

std::string hex_with_spaces(std::span<const std::uint8_t> bytes) {
    static const char digits[] = "0123456789ABCDEF";
    std::string out;
    for (std::uint8_t b : bytes) {
        if (!out.empty()) out += ' ';
        out += digits[b >> 4];
        out += digits[b & 0xF];
    }
    return out;
}

}  // namespace onshi::card
