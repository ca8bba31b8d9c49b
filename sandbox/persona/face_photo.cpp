#include "persona/face_photo.h"

#include <algorithm>
#include <cmath>

#include <openjpeg.h>

namespace sandbox {

namespace {

constexpr int kWidth = 96;
constexpr int kHeight = 120;

void quiet(const char*, void*) {}

double sq(double v) { return v * v; }

int pixel(int x, int y, std::uint32_t variant) {
  const double skin = 150.0 + static_cast<double>(variant % 60);
  const double hair = 40.0 + static_cast<double>((variant / 60) % 50);
  const double head = sq((x - 48) / 27.0) + sq((y - 52) / 35.0);
  const double body = sq((x - 48) / 46.0) + sq((y - 128) / 30.0);
  const bool eye = sq(x - 38) + sq(y - 48) < 9.0 || sq(x - 58) + sq(y - 48) < 9.0;
  const bool mouth = y == 70 + static_cast<int>(variant % 3) && x > 40 && x < 56;
  if (eye || mouth) return 30;
  if (head <= 1.0) return (y < 30 && head > 0.45) ? static_cast<int>(hair) : static_cast<int>(skin);
  if (head <= 1.15 && y < 52) return static_cast<int>(hair);
  if (body <= 1.0) return 90;
  return 225;  // plain light background, as on the card
}

}  // namespace

Bytes make_face_photo_jp2(const std::string& path, std::uint32_t variant) {
  opj_image_cmptparm_t cp{};
  cp.dx = 1;
  cp.dy = 1;
  cp.w = kWidth;
  cp.h = kHeight;
  cp.prec = 8;
  cp.sgnd = 0;
  opj_image_t* image = opj_image_create(1, &cp, OPJ_CLRSPC_GRAY);
  if (image == nullptr) throw SandboxError("OpenJPEG: cannot create the image");
  image->x0 = 0;
  image->y0 = 0;
  image->x1 = kWidth;
  image->y1 = kHeight;
  for (int y = 0; y < kHeight; ++y)
    for (int x = 0; x < kWidth; ++x) image->comps[0].data[y * kWidth + x] = pixel(x, y, variant);

  opj_cparameters_t params;
  opj_set_default_encoder_parameters(&params);
  params.tcp_numlayers = 1;
  params.tcp_rates[0] = 8.0f;  // 8:1, about 1.5 KB
  params.cp_disto_alloc = 1;
  params.numresolution = 5;

  opj_codec_t* codec = opj_create_compress(OPJ_CODEC_JP2);
  opj_set_info_handler(codec, quiet, nullptr);
  opj_set_warning_handler(codec, quiet, nullptr);
  opj_set_error_handler(codec, quiet, nullptr);
  opj_stream_t* stream = nullptr;
  bool ok = opj_setup_encoder(codec, &params, image) != 0;
  if (ok) stream = opj_stream_create_default_file_stream(path.c_str(), OPJ_FALSE);
  ok = ok && stream != nullptr && opj_start_compress(codec, image, stream) &&
       opj_encode(codec, stream) && opj_end_compress(codec, stream);
  if (stream != nullptr) opj_stream_destroy(stream);
  opj_destroy_codec(codec);
  opj_image_destroy(image);
  if (!ok) throw SandboxError("OpenJPEG: cannot encode the face photo " + path);
  return read_file(path);
}

}  // namespace sandbox
