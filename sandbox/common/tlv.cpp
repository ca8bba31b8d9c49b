#include "common/tlv.h"

namespace sandbox {

Bytes ber_length(std::size_t length) {
  if (length < 0x80) return {static_cast<std::uint8_t>(length)};
  if (length <= 0xFF) return {0x81, static_cast<std::uint8_t>(length)};
  if (length <= 0xFFFF)
    return {0x82, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length & 0xFF)};
  throw SandboxError("TLV value too long");
}

Bytes tlv(std::uint16_t tag, const Bytes& value) {
  Bytes out;
  if (tag > 0xFF) out.push_back(static_cast<std::uint8_t>(tag >> 8));
  out.push_back(static_cast<std::uint8_t>(tag & 0xFF));
  append(out, ber_length(value.size()));
  append(out, value);
  return out;
}

}  // namespace sandbox
