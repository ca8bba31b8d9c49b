// Minimal 1-bit greyscale PNG writer (zlib only) for the 券面 images: 氏名, 住所 and
// セキュリティコード are images on the real card; the sandbox draws a pattern, not text.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/bytes.h"

namespace sandbox {

// A width x height 1-bit PNG whose dark "glyph" blocks are derived from the bytes of text.
Bytes make_pattern_png(std::string_view text, std::uint32_t width, std::uint32_t height);

}  // namespace sandbox
