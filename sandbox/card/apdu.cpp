#include "card/apdu.h"

namespace sandbox {

std::optional<CommandApdu> parse_command(const Bytes& raw) {
  if (raw.size() < 4) return std::nullopt;
  CommandApdu c;
  c.cla = raw[0];
  c.ins = raw[1];
  c.p1 = raw[2];
  c.p2 = raw[3];
  const std::size_t n = raw.size();
  if (n == 4) return c;  // case 1
  if (n == 5) {          // case 2 short
    c.le = raw[4] == 0 ? 256 : raw[4];
    return c;
  }
  if (raw[4] != 0) {  // short Lc
    const std::size_t lc = raw[4];
    if (n == 5 + lc) {
      c.data.assign(raw.begin() + 5, raw.end());
      return c;
    }
    if (n == 6 + lc) {
      c.data.assign(raw.begin() + 5, raw.end() - 1);
      c.le = raw.back() == 0 ? 256 : raw.back();
      return c;
    }
    return std::nullopt;
  }
  // Extended length: 00 followed by two bytes.
  if (n < 7) return std::nullopt;
  c.extended = true;
  const std::size_t x = (static_cast<std::size_t>(raw[5]) << 8) | raw[6];
  if (n == 7) {  // case 2E
    c.le = x == 0 ? 65536 : x;
    return c;
  }
  const std::size_t lc = x;
  if (lc == 0) return std::nullopt;
  if (n == 7 + lc) {
    c.data.assign(raw.begin() + 7, raw.end());
    return c;
  }
  if (n == 9 + lc) {
    c.data.assign(raw.begin() + 7, raw.end() - 2);
    const std::size_t le = (static_cast<std::size_t>(raw[n - 2]) << 8) | raw[n - 1];
    c.le = le == 0 ? 65536 : le;
    return c;
  }
  return std::nullopt;
}

Bytes response(std::uint16_t status) { return response({}, status); }

Bytes response(Bytes data, std::uint16_t status) {
  data.push_back(static_cast<std::uint8_t>(status >> 8));
  data.push_back(static_cast<std::uint8_t>(status & 0xFF));
  return data;
}

}  // namespace sandbox
