#include "card/tlv.h"

#include "util/error.h"

#include <string>

namespace onshi::card {
namespace {

[[noreturn]] void malformed(const char *en, const char *ja) {
    throw Error(ONSHI_E_CARD_ERROR, {std::string("malformed card data (TLV): ") + en,
                                     std::string("カードのデータ（TLV）が不正です: ") + ja});
}

}  // namespace

std::optional<TlvHeader> parse_tlv_header(std::span<const std::uint8_t> b) {
    TlvHeader h;
    std::size_t i = 0;
    if (b.empty()) return std::nullopt;
    std::uint8_t t0 = b[i++];
    if ((t0 & 0x1F) == 0x1F) {  // multi-byte tag
        if (b.size() < 2) return std::nullopt;
        std::uint8_t t1 = b[i++];
        if (t1 & 0x80) malformed("tag longer than two bytes", "3バイト以上のタグ");
        h.tag = static_cast<std::uint16_t>(t0 << 8 | t1);
    } else {
        h.tag = t0;
    }
    if (b.size() < i + 1) return std::nullopt;
    std::uint8_t l0 = b[i++];
    if (l0 < 0x80) {
        h.length = l0;
    } else if (l0 == 0x81) {
        if (b.size() < i + 1) return std::nullopt;
        h.length = b[i++];
    } else if (l0 == 0x82) {
        if (b.size() < i + 2) return std::nullopt;
        h.length = static_cast<std::size_t>(b[i]) << 8 | b[i + 1];
        i += 2;
    } else {
        malformed("unsupported length form", "未対応の長さ形式");
    }
    h.header_size = i;
    return h;
}

std::optional<std::span<const std::uint8_t>> find_tlv(std::span<const std::uint8_t> seq,
                                                      std::uint16_t tag) {
    std::size_t pos = 0;
    while (pos < seq.size()) {
        if (seq[pos] == 0x00 || seq[pos] == 0xFF) {
            // 00/FF cannot start one of the card's tags except the FF xx containers; FF FF or a
            // trailing FF is filler.
            if (seq[pos] == 0x00 || pos + 1 >= seq.size() || seq[pos + 1] == 0xFF) break;
        }
        auto h = parse_tlv_header(seq.subspan(pos));
        if (!h) malformed("truncated header", "ヘッダーが途中で切れています");
        if (h->length > seq.size() - pos - h->header_size)
            malformed("value longer than its container", "値が入れ物より長い");
        if (h->tag == tag) return seq.subspan(pos + h->header_size, h->length);
        pos += h->header_size + h->length;
    }
    return std::nullopt;
}

}  // namespace onshi::card
