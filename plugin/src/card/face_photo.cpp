#include "card/face_photo.h"

#include "util/error.h"

#include <openjpeg.h>
#include <png.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

namespace onshi::card {
namespace {

constexpr std::uint8_t kJp2Signature[12] = {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50,
                                            0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A};
constexpr std::uint8_t kJ2kSignature[4] = {0xFF, 0x4F, 0xFF, 0x51};

[[noreturn]] void bad_photo(const std::string &en, const std::string &ja) {
    throw Error(ONSHI_E_CARD_ERROR, {"the face photo on the card cannot be read: " + en,
                                     "カードの顔写真を読み取れません: " + ja});
}

std::uint32_t be32(const std::uint8_t *p) {
    return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
           static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}

// An ID photo is one tile or a few; openjpeg allocates its per-tile state for the whole tile grid
// while reading the header, before we can look at the geometry (a 112-byte codestream declaring
// 57,345 tiles made it allocate 800 MB). So the SIZ marker is checked here first.
constexpr std::uint64_t kMaxTiles = 4096;

void check_siz(std::span<const std::uint8_t> b, const PhotoLimits &limits) {
    const auto at = std::search(b.begin(), b.end(), std::begin(kJ2kSignature), std::end(kJ2kSignature));
    if (at == b.end()) return;  // no codestream header: openjpeg refuses it without allocating
    const std::size_t siz = static_cast<std::size_t>(at - b.begin()) + sizeof kJ2kSignature;
    // Lsiz Rsiz Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz Csiz (ISO 15444-1 A.5.1)
    if (b.size() - siz < 38) bad_photo("truncated image header", "画像ヘッダーが途中で切れています");
    const std::uint8_t *p = b.data() + siz + 4;
    const std::uint64_t x = be32(p), y = be32(p + 4), xo = be32(p + 8), yo = be32(p + 12);
    const std::uint64_t xt = be32(p + 16), yt = be32(p + 20), xto = be32(p + 24), yto = be32(p + 28);
    if (xo >= x || yo >= y || x - xo > limits.max_width || y - yo > limits.max_height || xt == 0 || yt == 0 ||
        xto > xo || yto > yo)
        bad_photo("image geometry is out of range", "画像の寸法が範囲外です");
    const std::uint64_t columns = (x - xto + xt - 1) / xt, rows = (y - yto + yt - 1) / yt;  // each < 2^32
    if (columns > kMaxTiles || rows > kMaxTiles || columns * rows > kMaxTiles)
        bad_photo("too many tiles (" + std::to_string(columns) + "x" + std::to_string(rows) + ")",
                  "タイル数が多すぎます(" + std::to_string(columns) + "x" + std::to_string(rows) + ")");
}

// openjpeg pulls its input through callbacks; this one serves a bounded memory block.
struct MemoryInput {
    const std::uint8_t *data;
    std::size_t size;
    std::size_t pos;
};

OPJ_SIZE_T read_cb(void *buffer, OPJ_SIZE_T n, void *user) {
    auto *in = static_cast<MemoryInput *>(user);
    std::size_t left = in->size - in->pos;
    if (left == 0) return static_cast<OPJ_SIZE_T>(-1);  // openjpeg's end-of-stream marker
    std::size_t k = std::min<std::size_t>(n, left);
    std::memcpy(buffer, in->data + in->pos, k);
    in->pos += k;
    return k;
}

OPJ_OFF_T skip_cb(OPJ_OFF_T n, void *user) {
    auto *in = static_cast<MemoryInput *>(user);
    if (n < 0) {
        auto back = static_cast<std::size_t>(-n);
        if (back > in->pos) return -1;
        in->pos -= back;
        return n;
    }
    std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(n), in->size - in->pos);
    in->pos += k;
    return static_cast<OPJ_OFF_T>(k);
}

OPJ_BOOL seek_cb(OPJ_OFF_T n, void *user) {
    auto *in = static_cast<MemoryInput *>(user);
    if (n < 0 || static_cast<std::size_t>(n) > in->size) return OPJ_FALSE;
    in->pos = static_cast<std::size_t>(n);
    return OPJ_TRUE;
}

void quiet_cb(const char *, void *) {}  // openjpeg's messages are not ours to print

struct CodecFree { void operator()(opj_codec_t *c) const { opj_destroy_codec(c); } };
struct StreamFree { void operator()(opj_stream_t *s) const { opj_stream_destroy(s); } };
struct ImageFree { void operator()(opj_image_t *i) const { opj_image_destroy(i); } };

// Sample -> 0..255, whatever the component's precision and signedness.
std::uint8_t to_8bit(OPJ_INT32 v, const opj_image_comp_t &c) {
    std::int64_t x = v;
    if (c.sgnd) x += std::int64_t{1} << (c.prec - 1);
    std::int64_t max = (std::int64_t{1} << c.prec) - 1;
    x = std::clamp<std::int64_t>(x, 0, max);
    if (c.prec == 8) return static_cast<std::uint8_t>(x);
    return static_cast<std::uint8_t>((x * 255 + max / 2) / max);
}

}  // namespace

bool looks_like_jpeg2000(std::span<const std::uint8_t> b) noexcept {
    return (b.size() >= sizeof kJp2Signature && std::equal(std::begin(kJp2Signature), std::end(kJp2Signature), b.begin())) ||
           (b.size() >= sizeof kJ2kSignature && std::equal(std::begin(kJ2kSignature), std::end(kJ2kSignature), b.begin()));
}

std::vector<std::uint8_t> jp2_to_png(std::span<const std::uint8_t> jp2, const PhotoLimits &limits) {
    if (jp2.empty() || jp2.size() > limits.max_input_bytes)
        bad_photo("size " + std::to_string(jp2.size()) + " bytes is out of range",
                  "サイズ" + std::to_string(jp2.size()) + "バイトが範囲外です");
    if (!looks_like_jpeg2000(jp2)) bad_photo("not JPEG 2000", "JPEG 2000 形式ではありません");
    check_siz(jp2, limits);
    const bool is_jp2 = jp2[0] == 0x00;

    std::unique_ptr<opj_codec_t, CodecFree> codec(opj_create_decompress(is_jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K));
    if (!codec) bad_photo("decoder unavailable", "デコーダーを作成できません");
    opj_set_error_handler(codec.get(), quiet_cb, nullptr);
    opj_set_warning_handler(codec.get(), quiet_cb, nullptr);
    opj_set_info_handler(codec.get(), quiet_cb, nullptr);
    opj_dparameters_t params;
    opj_set_default_decoder_parameters(&params);
    if (!opj_setup_decoder(codec.get(), &params)) bad_photo("decoder setup failed", "デコーダーの設定に失敗しました");
    opj_decoder_set_strict_mode(codec.get(), OPJ_TRUE);  // truncated data is an error, not grey

    MemoryInput input{jp2.data(), jp2.size(), 0};
    std::unique_ptr<opj_stream_t, StreamFree> stream(opj_stream_create(jp2.size(), OPJ_TRUE));
    if (!stream) bad_photo("out of memory", "メモリ不足");
    opj_stream_set_user_data(stream.get(), &input, nullptr);
    opj_stream_set_user_data_length(stream.get(), jp2.size());
    opj_stream_set_read_function(stream.get(), read_cb);
    opj_stream_set_skip_function(stream.get(), skip_cb);
    opj_stream_set_seek_function(stream.get(), seek_cb);

    opj_image_t *raw_image = nullptr;
    if (!opj_read_header(stream.get(), codec.get(), &raw_image)) {
        if (raw_image) opj_image_destroy(raw_image);
        bad_photo("invalid JPEG 2000 header", "JPEG 2000 のヘッダーが不正です");
    }
    std::unique_ptr<opj_image_t, ImageFree> image(raw_image);

    // Check the geometry before decoding allocates anything in proportion to it.
    if (image->numcomps < 1 || image->numcomps > 4 || !image->comps)
        bad_photo("unsupported number of colour components", "色成分の数が未対応です");
    const std::uint32_t width = image->comps[0].w;
    const std::uint32_t height = image->comps[0].h;
    if (width == 0 || height == 0 || width > limits.max_width || height > limits.max_height)
        bad_photo("image size " + std::to_string(width) + "x" + std::to_string(height) + " is out of range",
                  "画像サイズ" + std::to_string(width) + "x" + std::to_string(height) + "が範囲外です");
    for (OPJ_UINT32 i = 0; i < image->numcomps; ++i) {
        const opj_image_comp_t &c = image->comps[i];
        if (c.w != width || c.h != height || c.dx != 1 || c.dy != 1 || c.prec < 1 || c.prec > 16)
            bad_photo("unsupported component layout", "未対応の色成分構成です");
    }

    if (!opj_decode(codec.get(), stream.get(), image.get()) || !opj_end_decompress(codec.get(), stream.get()))
        bad_photo("the JPEG 2000 data is corrupt", "JPEG 2000 のデータが壊れています");
    // The decoder may not change the geometry we checked, but do not trust it blindly.
    const OPJ_UINT32 colour = image->numcomps >= 3 ? 3 : 1;  // alpha (2nd / 4th) is dropped
    for (OPJ_UINT32 i = 0; i < colour; ++i)
        if (!image->comps[i].data || image->comps[i].w != width || image->comps[i].h != height)
            bad_photo("the decoder produced no pixels", "デコード結果に画素がありません");

    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(width) * height * colour);
    const std::size_t count = static_cast<std::size_t>(width) * height;
    for (std::size_t p = 0; p < count; ++p)
        for (OPJ_UINT32 ch = 0; ch < colour; ++ch)
            pixels[p * colour + ch] = to_8bit(image->comps[ch].data[p], image->comps[ch]);

    // libpng's simplified API: no setjmp/longjmp across C++ frames, errors come back as 0.
    png_image png;
    std::memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    png.width = width;
    png.height = height;
    png.format = colour == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&png, nullptr, &size, 0, pixels.data(), 0, nullptr) || size == 0) {
        png_image_free(&png);
        bad_photo("PNG encoding failed", "PNG への変換に失敗しました");
    }
    std::vector<std::uint8_t> out(size);
    if (!png_image_write_to_memory(&png, out.data(), &size, 0, pixels.data(), 0, nullptr)) {
        png_image_free(&png);
        bad_photo("PNG encoding failed", "PNG への変換に失敗しました");
    }
    out.resize(size);
    return out;
}

}  // namespace onshi::card
