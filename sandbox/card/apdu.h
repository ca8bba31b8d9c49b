// ISO 7816-4 command APDU parsing (short and extended length) and response building, as the
// virtual card sees them. Our own code: the sandbox shares nothing with the plugin's card layer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "common/bytes.h"

namespace sandbox {

// Status words the virtual card answers with (names after ISO 7816-4).
namespace sw {
constexpr std::uint16_t ok = 0x9000;
constexpr std::uint16_t wrong_length = 0x6700;
constexpr std::uint16_t incompatible_file = 0x6981;
constexpr std::uint16_t security_not_satisfied = 0x6982;
constexpr std::uint16_t reference_data_blocked = 0x6984;  // JPKI: "referenced IEF is blocked"
constexpr std::uint16_t conditions_not_satisfied = 0x6985;
constexpr std::uint16_t no_current_ef = 0x6986;
constexpr std::uint16_t not_found = 0x6A82;
constexpr std::uint16_t wrong_p1p2 = 0x6A86;
constexpr std::uint16_t reference_not_found = 0x6A88;
constexpr std::uint16_t offset_beyond_ef = 0x6B00;
constexpr std::uint16_t ins_not_supported = 0x6D00;
constexpr std::uint16_t cla_not_supported = 0x6E00;
constexpr std::uint16_t tries_left_base = 0x63C0;  // | tries (0..15)
constexpr std::uint16_t sm_not_supported = 0x6882;  // secure messaging not supported (SELECT)
constexpr std::uint16_t sm_refused = 0x69FC;        // JICSAP: the card's answer to SM READ BINARY / VERIFY
}  // namespace sw

struct CommandApdu {
  std::uint8_t cla = 0, ins = 0, p1 = 0, p2 = 0;
  Bytes data;
  std::optional<std::size_t> le;  // absent = no response data expected; 0 in the APDU = 256/65536
  bool extended = false;
};

// nullopt when the bytes are not a well-formed command APDU (the card answers 6700).
std::optional<CommandApdu> parse_command(const Bytes& raw);

Bytes response(std::uint16_t status);
Bytes response(Bytes data, std::uint16_t status);

}  // namespace sandbox
