#include "jp2_fixture.h"

#include <openjpeg.h>
#include <png.h>

#include <algorithm>
#include <cstring>

namespace onshi::card::test {
namespace {

struct Sink {
    std::vector<std::uint8_t> bytes;
    std::size_t pos = 0;
};

OPJ_SIZE_T write_cb(void *buffer, OPJ_SIZE_T n, void *user) {
    auto *s = static_cast<Sink *>(user);
    if (s->pos + n > s->bytes.size()) s->bytes.resize(s->pos + n);
    std::memcpy(s->bytes.data() + s->pos, buffer, n);
    s->pos += n;
    return n;
}
OPJ_OFF_T skip_cb(OPJ_OFF_T n, void *user) {
    auto *s = static_cast<Sink *>(user);
    s->pos = static_cast<std::size_t>(static_cast<OPJ_OFF_T>(s->pos) + n);
    if (s->pos > s->bytes.size()) s->bytes.resize(s->pos);
    return n;
}
OPJ_BOOL seek_cb(OPJ_OFF_T n, void *user) {
    auto *s = static_cast<Sink *>(user);
    s->pos = static_cast<std::size_t>(n);
    if (s->pos > s->bytes.size()) s->bytes.resize(s->pos);
    return OPJ_TRUE;
}
void quiet(const char *, void *) {}

}  // namespace

GreyImage make_gradient(std::uint32_t width, std::uint32_t height) {
    GreyImage g{width, height, {}};
    for (std::uint32_t y = 0; y < height; ++y)
        for (std::uint32_t x = 0; x < width; ++x)
            g.pixels.push_back(static_cast<std::uint8_t>((x * 7 + y * 13) & 0xFF));
    return g;
}

std::vector<std::uint8_t> encode_jp2(const GreyImage &image, int components) {
    std::vector<opj_image_cmptparm_t> parms(static_cast<std::size_t>(components));
    for (auto &p : parms) {
        std::memset(&p, 0, sizeof p);
        p.dx = p.dy = 1;
        p.w = image.width;
        p.h = image.height;
        p.prec = 8;
        p.sgnd = 0;
    }
    opj_image_t *img = opj_image_create(static_cast<OPJ_UINT32>(components), parms.data(),
                                        components == 1 ? OPJ_CLRSPC_GRAY : OPJ_CLRSPC_SRGB);
    img->x0 = img->y0 = 0;
    img->x1 = image.width;
    img->y1 = image.height;
    for (int c = 0; c < components; ++c)
        for (std::size_t i = 0; i < image.pixels.size(); ++i)
            img->comps[c].data[i] = (image.pixels[i] + c * 40) & 0xFF;

    opj_cparameters_t params;
    opj_set_default_encoder_parameters(&params);
    params.tcp_numlayers = 1;
    params.tcp_rates[0] = 0;  // lossless
    params.cp_disto_alloc = 1;
    params.numresolution = 3;

    opj_codec_t *codec = opj_create_compress(OPJ_CODEC_JP2);
    opj_set_error_handler(codec, quiet, nullptr);
    opj_set_warning_handler(codec, quiet, nullptr);
    opj_set_info_handler(codec, quiet, nullptr);
    opj_setup_encoder(codec, &params, img);
    Sink sink;
    opj_stream_t *stream = opj_stream_create(OPJ_J2K_STREAM_CHUNK_SIZE, OPJ_FALSE);
    opj_stream_set_user_data(stream, &sink, nullptr);
    opj_stream_set_write_function(stream, write_cb);
    opj_stream_set_skip_function(stream, skip_cb);
    opj_stream_set_seek_function(stream, seek_cb);
    bool ok = opj_start_compress(codec, img, stream) && opj_encode(codec, stream) && opj_end_compress(codec, stream);
    opj_stream_destroy(stream);
    opj_destroy_codec(codec);
    opj_image_destroy(img);
    if (!ok) return {};
    return sink.bytes;
}

bool decode_png(const std::vector<std::uint8_t> &png, GreyImage &out, bool rgb) {
    png_image image;
    std::memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, png.data(), png.size())) return false;
    image.format = rgb ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
    std::vector<std::uint8_t> pixels(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr)) {
        png_image_free(&image);
        return false;
    }
    out = {image.width, image.height, std::move(pixels)};
    return true;
}

}  // namespace onshi::card::test
