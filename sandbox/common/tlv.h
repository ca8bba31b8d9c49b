// BER-TLV encoding as used in the 券面 files (two-byte private-class tags such as FF20 / DF27,
// short or 81/82 long-form lengths).
#pragma once

#include <cstdint>

#include "common/bytes.h"

namespace sandbox {

Bytes ber_length(std::size_t length);
// tag is written big-endian on 1 or 2 bytes (tags above 0xFF take two).
Bytes tlv(std::uint16_t tag, const Bytes& value);

}  // namespace sandbox
