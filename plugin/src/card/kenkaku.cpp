#include "card/kenkaku.h"

#include "card/face_photo.h"
#include "card/secret_format.h"
#include "card/status_words.h"
#include "card/tlv.h"
#include "util/error.h"

#include <algorithm>
#include <optional>
#include <string>

namespace onshi::card {
namespace {

constexpr std::uint16_t kCardFaceTag = 0xFF20;
constexpr std::uint16_t kOffsetTableTag = 0xDF21;
constexpr std::uint16_t kFirstIndexedTag = 0xDF22;  // the offset table starts with DF22's offset
constexpr std::uint16_t kFacePhotoTag = 0xDF27;
constexpr std::size_t kMaxFields = 16;              // FF20 holds DF21..DF2A: 10 fields
constexpr std::size_t kMaxFileBytes = 0x8000;       // short READ BINARY offsets are 15 bits

const Text kWhat{"read the face photo", "顔写真の読み取り"};

Error malformed(const std::string &en, const std::string &ja) {
    return Error(ONSHI_E_CARD_ERROR, {kWhat.en + ": " + en, kWhat.ja + ": " + ja});
}

// Reads windows of the selected EF. Every window is wiped when dropped: some hold a few bytes of
// the fields we skip.
class EfWindowReader {
public:
    explicit EfWindowReader(CardSession &s) : session_(s) {}

    SecureBuffer read(std::size_t offset, std::size_t n) {
        if (n == 0 || n > 256 || offset + n > kMaxFileBytes)
            throw malformed("field outside the readable range", "項目が読み取り可能な範囲外です");
        ResponseApdu r = session_.transmit(
            Commands::read_binary(static_cast<std::uint16_t>(offset), static_cast<std::uint16_t>(n)));
        if (r.sw != sw::ok && r.sw != sw::eof_before_le) throw card_error(kWhat, r.sw);
        if (r.data.empty() || r.data.size() > n)
            throw malformed("the card returned an unexpected number of bytes", "想定外のバイト数が返されました");
        SecureBuffer out(r.data.data(), r.data.size());
        secure_wipe(r.data.data(), r.data.size());
        return out;
    }

    // `length` bytes at `offset`, whose first `prefix.size()` bytes are already known.
    std::vector<std::uint8_t> read_value(std::size_t offset, std::size_t length,
                                         std::span<const std::uint8_t> prefix) {
        std::vector<std::uint8_t> v(prefix.begin(), prefix.begin() + std::min(prefix.size(), length));
        while (v.size() < length) {
            SecureBuffer w = read(offset + v.size(), std::min<std::size_t>(256, length - v.size()));
            if (w.size() != std::min<std::size_t>(256, length - v.size()))
                throw malformed("the file ends inside the photo", "顔写真の途中でファイルが終わっています");
            v.insert(v.end(), w.data(), w.data() + w.size());
        }
        return v;
    }

private:
    CardSession &session_;
};

// The header at `offset`, read with a window of at most 5 bytes (2-byte tag + 82 LL LL).
TlvHeader header_at(EfWindowReader &reader, std::size_t offset, std::size_t end) {
    if (offset >= end) throw malformed("field beyond the end of the card face", "券面データの範囲外の項目");
    SecureBuffer w = reader.read(offset, std::min<std::size_t>(5, end - offset));
    auto h = parse_tlv_header({w.data(), w.size()});
    if (!h) throw malformed("truncated field header", "項目ヘッダーが途中で切れています");
    if (h->length > end - offset - h->header_size)
        throw malformed("field longer than the card face", "項目が券面データより長い");
    return *h;
}

}  // namespace

void Kenkaku::ensure_ap() {
    std::uint16_t s = session_.select_ap(Ap::kenkaku);
    if (s == sw::ok) return;
    if (s == sw::not_found)
        throw Error(ONSHI_E_NOT_MYNUMBER_CARD,
                    {"this card has no card-face application (券面事項確認AP)",
                     "このカードには券面事項確認APがありません"});
    throw card_error({"select the card-face application", "券面事項確認APの選択"}, s);
}

int Kenkaku::query_collation_b_tries() {
    ensure_ap();
    return PinGuard(session_, SecretKind::collation_b).query_tries();
}

void Kenkaku::verify_collation_b(SecureBuffer collation_b, bool allow_last_attempt) {
    PinGuard guard(session_, SecretKind::collation_b);
    // Shape first, so a typo sends nothing at all (not even the AP SELECT).
    check_secret_format(SecretKind::collation_b, collation_b);
    ensure_ap();
    guard.verify(std::move(collation_b), allow_last_attempt);
}

std::vector<std::uint8_t> Kenkaku::read_face_jp2() {
    ensure_ap();
    std::uint16_t s = session_.select_ef(Ef::kenkaku_face);
    if (s != sw::ok) throw card_error(kWhat, s);
    EfWindowReader reader(session_);

    // 1. FF 20 82 LL LL DF 21 LL: the container header and the offset table's header, 8 bytes.
    SecureBuffer head = reader.read(0, 8);
    auto outer = parse_tlv_header({head.data(), head.size()});
    if (!outer || outer->tag != kCardFaceTag)
        throw malformed("the file is not a card face (FF 20)", "ファイルが券面データ（FF 20）ではありません");
    const std::size_t end = outer->header_size + outer->length;
    if (end > kMaxFileBytes) throw malformed("card face too large", "券面データが大きすぎます");

    auto read_photo_at = [&](std::size_t offset, const TlvHeader &h) {
        if (h.length == 0 || h.length > PhotoLimits{}.max_input_bytes)
            throw malformed("implausible photo size", "顔写真のサイズが不正です");
        return reader.read_value(offset + h.header_size, h.length, {});
    };

    std::size_t pos = outer->header_size;
    bool tried_table = false;
    for (std::size_t field = 0; field < kMaxFields && pos < end; ++field) {
        std::optional<TlvHeader> h;
        if (pos < head.size()) h = parse_tlv_header({head.data() + pos, head.size() - pos});
        if (!h) h = header_at(reader, pos, end);
        if (h->length > end - pos - h->header_size)
            throw malformed("field longer than the card face", "項目が券面データより長い");

        if (h->tag == kFacePhotoTag) return read_photo_at(pos, *h);

        if (h->tag == kOffsetTableTag && !tried_table) {
            tried_table = true;
            // 2. The offset table: one big-endian u16 per field from DF22 on. Jump straight to DF27
            // and confirm the tag there; otherwise keep walking headers.
            const std::size_t index = kFacePhotoTag - kFirstIndexedTag;
            if (h->length >= 2 * (index + 1) && h->length <= 64) {
                SecureBuffer table = reader.read(pos + h->header_size, h->length);
                if (table.size() == h->length) {
                    std::size_t target = static_cast<std::size_t>(table.data()[2 * index]) << 8 |
                                         table.data()[2 * index + 1];
                    if (target >= pos + h->header_size + h->length && target < end) {
                        // 3. One 256-byte window: DF27's header and the first part of the photo.
                        std::size_t n = std::min<std::size_t>(256, end - target);
                        SecureBuffer w = reader.read(target, n);
                        auto ph = parse_tlv_header({w.data(), w.size()});
                        if (ph && ph->tag == kFacePhotoTag && ph->length <= end - target - ph->header_size) {
                            if (ph->length == 0 || ph->length > PhotoLimits{}.max_input_bytes)
                                throw malformed("implausible photo size", "顔写真のサイズが不正です");
                            std::span<const std::uint8_t> prefix(w.data() + ph->header_size,
                                                                 w.size() - ph->header_size);
                            return reader.read_value(target + ph->header_size, ph->length, prefix);
                        }
                    }
                }
            }
        }
        pos += h->header_size + h->length;  // skip the field by its length: its value is never read
    }
    throw malformed("the card face has no photo (DF27)", "券面データに顔写真（DF27）がありません");
}

std::vector<std::uint8_t> read_face_photo_png(CardSession &session, SecureBuffer collation_b,
                                              bool allow_last_attempt) {
    Kenkaku kenkaku(session);
    kenkaku.verify_collation_b(std::move(collation_b), allow_last_attempt);
    std::vector<std::uint8_t> jp2 = kenkaku.read_face_jp2();
    return jp2_to_png(jp2);
}

}  // namespace onshi::card
