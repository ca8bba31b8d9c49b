// JPEG 2000 from the chip (possibly forged) to the PNG hosts show: openjpeg decodes only from our
// bounded memory stream, and the limits are enforced before any pixel buffer exists.
#include "card/face_photo.h"
#include "fuzz_target.h"

#include <algorithm>
#include <iterator>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace onshi;
    // Small limits keep each execution fast; the bounds checks are the same code as the defaults.
    const card::PhotoLimits limits{16 * 1024, 256, 256};
    fuzz::refusal_allowed([&] {
        const std::vector<std::uint8_t> png = card::jp2_to_png({data, size}, limits);
        static constexpr std::uint8_t kPngSignature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        if (png.size() < sizeof kPngSignature || !std::equal(std::begin(kPngSignature), std::end(kPngSignature), png.begin()))
            fuzz::property_failed();
    });
    return 0;
}
