#include "persona/png_image.h"

#include <zlib.h>

namespace sandbox {

namespace {

void put_u32(Bytes& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 24));
  out.push_back(static_cast<std::uint8_t>(v >> 16));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

void chunk(Bytes& png, const char* type, const Bytes& data) {
  put_u32(png, static_cast<std::uint32_t>(data.size()));
  Bytes body(type, type + 4);
  append(body, data);
  append(png, body);
  put_u32(png, static_cast<std::uint32_t>(crc32(0L, body.data(), static_cast<uInt>(body.size()))));
}

}  // namespace

Bytes make_pattern_png(std::string_view text, std::uint32_t width, std::uint32_t height) {
  const std::uint32_t stride = (width + 7) / 8;
  Bytes raw;  // filter byte 0 + packed bits per row; bit 1 = white
  for (std::uint32_t y = 0; y < height; ++y) {
    raw.push_back(0);
    for (std::uint32_t bx = 0; bx < stride; ++bx) {
      std::uint8_t byte = 0xFF;
      for (std::uint32_t bit = 0; bit < 8; ++bit) {
        const std::uint32_t x = bx * 8 + bit;
        const std::uint32_t cell = x / 6;  // one 6-pixel-wide "glyph" per byte of text
        bool dark = false;
        if (cell < text.size() && y >= 2 && y + 2 < height && x % 6 != 5) {
          const auto c = static_cast<std::uint8_t>(text[cell]);
          const std::uint32_t row = (y - 2) * 8 / (height > 4 ? height - 4 : 1);
          dark = ((c >> (row % 8)) & 1) != 0;
        }
        if (dark) byte = static_cast<std::uint8_t>(byte & ~(0x80u >> bit));
      }
      raw.push_back(byte);
    }
  }
  uLongf zlen = compressBound(static_cast<uLong>(raw.size()));
  Bytes z(zlen);
  if (compress2(z.data(), &zlen, raw.data(), static_cast<uLong>(raw.size()), 9) != Z_OK)
    throw SandboxError("zlib: cannot compress a PNG image");
  z.resize(zlen);

  Bytes png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  Bytes ihdr;
  put_u32(ihdr, width);
  put_u32(ihdr, height);
  ihdr.insert(ihdr.end(), {1, 0, 0, 0, 0});  // bit depth 1, greyscale, deflate, no filter, no interlace
  chunk(png, "IHDR", ihdr);
  chunk(png, "IDAT", z);
  chunk(png, "IEND", {});
  return png;
}

}  // namespace sandbox
