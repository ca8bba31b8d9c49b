#include "card/face_photo.h"
#include "jp2_fixture.h"
#include "util/error.h"

#include <gtest/gtest.h>

namespace onshi::card {
namespace {

using test::decode_png;
using test::encode_jp2;
using test::GreyImage;
using test::make_gradient;

onshi_status convert_status(const std::vector<std::uint8_t> &bytes, const PhotoLimits &limits = {}) {
    try {
        (void)jp2_to_png(bytes, limits);
    } catch (const Error &e) {
        return e.status();
    }
    return ONSHI_OK;
}

TEST(FacePhoto, GreyJp2BecomesDecodablePng) {
    GreyImage src = make_gradient(30, 40);
    std::vector<std::uint8_t> jp2 = encode_jp2(src);
    ASSERT_FALSE(jp2.empty());
    ASSERT_TRUE(looks_like_jpeg2000(jp2));
    EXPECT_EQ(std::string(jp2.begin() + 4, jp2.begin() + 8), "jP  ");

    std::vector<std::uint8_t> png = jp2_to_png(jp2);
    ASSERT_GE(png.size(), 8u);
    EXPECT_EQ(png[1], 'P');
    GreyImage out;
    ASSERT_TRUE(decode_png(png, out));
    EXPECT_EQ(out.width, 30u);
    EXPECT_EQ(out.height, 40u);
    EXPECT_EQ(out.pixels, src.pixels);  // lossless round trip
}

TEST(FacePhoto, RgbJp2BecomesRgbPng) {
    GreyImage src = make_gradient(16, 12);
    std::vector<std::uint8_t> png = jp2_to_png(encode_jp2(src, 3));
    GreyImage out;
    ASSERT_TRUE(decode_png(png, out, true));
    EXPECT_EQ(out.width, 16u);
    ASSERT_EQ(out.pixels.size(), 16u * 12u * 3u);
    EXPECT_EQ(out.pixels[0], src.pixels[0]);
    EXPECT_EQ(out.pixels[1], (src.pixels[0] + 40) & 0xFF);
}

TEST(FacePhoto, BoundsAreEnforced) {
    std::vector<std::uint8_t> jp2 = encode_jp2(make_gradient(64, 64));
    PhotoLimits small;
    small.max_width = 32;
    EXPECT_EQ(convert_status(jp2, small), ONSHI_E_CARD_ERROR);
    PhotoLimits tiny_input;
    tiny_input.max_input_bytes = 10;
    EXPECT_EQ(convert_status(jp2, tiny_input), ONSHI_E_CARD_ERROR);
    EXPECT_EQ(convert_status({}), ONSHI_E_CARD_ERROR);
}

TEST(FacePhoto, GarbageDoesNotCrash) {
    std::vector<std::uint8_t> jp2 = encode_jp2(make_gradient(24, 24));
    // Not JPEG 2000 at all.
    EXPECT_EQ(convert_status({0x89, 'P', 'N', 'G', 0, 0, 0, 0, 0, 0, 0, 0, 0}), ONSHI_E_CARD_ERROR);
    // Truncated at many points.
    for (std::size_t n = 1; n < jp2.size(); n += 7) {
        std::vector<std::uint8_t> cut(jp2.begin(), jp2.begin() + static_cast<std::ptrdiff_t>(n));
        EXPECT_EQ(convert_status(cut), ONSHI_E_CARD_ERROR) << n;
    }
    // Bit flips: any outcome but a crash; a "success" must still be a decodable PNG.
    std::uint32_t x = 7;
    for (int round = 0; round < 200; ++round) {
        std::vector<std::uint8_t> bad = jp2;
        for (int k = 0; k < 3; ++k) {
            x = x * 1664525u + 1013904223u;
            bad[12 + (x >> 8) % (bad.size() - 12)] ^= static_cast<std::uint8_t>(1u << (x % 8));
        }
        try {
            std::vector<std::uint8_t> png = jp2_to_png(bad);
            GreyImage out;
            EXPECT_TRUE(decode_png(png, out));
        } catch (const Error &e) {
            EXPECT_EQ(e.status(), ONSHI_E_CARD_ERROR);
        }
    }
}

}  // namespace
}  // namespace onshi::card
