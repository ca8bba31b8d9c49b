// The face photo as hosts can show it: the card stores JPEG 2000 (JP2 container, greyscale);
// hosts get PNG (onshi_result_photo_png). Decoding runs on bytes from a card — possibly forged —
// so input size, image size, component layout and precision are bounded before any pixel buffer
// is allocated, and openjpeg reads only from our bounded memory stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace onshi::card {

struct PhotoLimits {
    std::size_t max_input_bytes = 64 * 1024;  // the chip's photo is a few KB
    std::uint32_t max_width = 1024;           // the chip's photo is a few hundred pixels
    std::uint32_t max_height = 1024;
};

// True when `bytes` start with the JP2 signature box (00 00 00 0C 6A 50 20 20 0D 0A 87 0A) or a
// raw JPEG 2000 codestream (FF 4F FF 51).
bool looks_like_jpeg2000(std::span<const std::uint8_t> bytes) noexcept;

// Decodes JP2 (or a raw J2K codestream) and encodes it as an 8-bit PNG: greyscale for 1 (or
// grey+alpha) components, RGB for 3 (or RGBA) components. Throws Error(ONSHI_E_CARD_ERROR) for
// anything that is not a decodable image within `limits`; never crashes on garbage.
std::vector<std::uint8_t> jp2_to_png(std::span<const std::uint8_t> jp2, const PhotoLimits &limits = {});

}  // namespace onshi::card
