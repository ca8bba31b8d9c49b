// A small, obviously synthetic greyscale "face photo" per persona, encoded as JPEG 2000 in a JP2
// container with OpenJPEG, like the 顔写真 (DF27) of the card face.
#pragma once

#include <cstdint>
#include <string>

#include "common/bytes.h"

namespace sandbox {

// Writes the JP2 to path and returns its bytes. variant changes the drawing per persona.
Bytes make_face_photo_jp2(const std::string& path, std::uint32_t variant);

}  // namespace sandbox
