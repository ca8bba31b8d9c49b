// Test images made on the fly: a small greyscale picture encoded to JP2 with openjpeg, and a PNG
// decoder (libpng) to check what jp2_to_png produced.
#pragma once

#include <cstdint>
#include <vector>

namespace onshi::card::test {

struct GreyImage {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::vector<std::uint8_t> pixels;  // row-major, 8-bit
};

// A deterministic gradient of the given size.
GreyImage make_gradient(std::uint32_t width, std::uint32_t height);

// Lossless JP2 (JP2 container) of `image`, 1 or 3 components.
std::vector<std::uint8_t> encode_jp2(const GreyImage &image, int components = 1);

// Decodes a PNG to 8-bit greyscale (or RGB when rgb); returns false when libpng refuses it.
bool decode_png(const std::vector<std::uint8_t> &png, GreyImage &out, bool rgb = false);

}  // namespace onshi::card::test
