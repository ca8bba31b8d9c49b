// PC/SC result codes -> onshi statuses. The codes are the same numbers on pcsc-lite and winscard
// (0x8010xxxx), so the table is plain data and testable without a PC/SC service.
#pragma once

#include "util/error.h"

#include <cstdint>
#include <string>

namespace onshi::card {

// The PC/SC result codes onshi tells apart, by name, once (values from the PC/SC workgroup
// specification). Not the SCARD_* macros: they are LONG on pcsc-lite and HRESULT on Windows, while
// onshi compares the 32-bit value (pcsc_code() in pcsc_api.h).
namespace scard {
inline constexpr std::uint32_t internal_error = 0x80100001;        // SCARD_F_INTERNAL_ERROR
inline constexpr std::uint32_t cancelled = 0x80100002;             // SCARD_E_CANCELLED
inline constexpr std::uint32_t invalid_handle = 0x80100003;        // SCARD_E_INVALID_HANDLE
inline constexpr std::uint32_t invalid_parameter = 0x80100004;     // SCARD_E_INVALID_PARAMETER
inline constexpr std::uint32_t no_memory = 0x80100006;             // SCARD_E_NO_MEMORY
inline constexpr std::uint32_t insufficient_buffer = 0x80100008;   // SCARD_E_INSUFFICIENT_BUFFER
inline constexpr std::uint32_t unknown_reader = 0x80100009;        // SCARD_E_UNKNOWN_READER
inline constexpr std::uint32_t timeout = 0x8010000A;               // SCARD_E_TIMEOUT
inline constexpr std::uint32_t sharing_violation = 0x8010000B;     // SCARD_E_SHARING_VIOLATION
inline constexpr std::uint32_t no_smartcard = 0x8010000C;          // SCARD_E_NO_SMARTCARD
inline constexpr std::uint32_t unknown_card = 0x8010000D;          // SCARD_E_UNKNOWN_CARD
inline constexpr std::uint32_t proto_mismatch = 0x8010000F;        // SCARD_E_PROTO_MISMATCH
inline constexpr std::uint32_t not_ready = 0x80100010;             // SCARD_E_NOT_READY
inline constexpr std::uint32_t invalid_value = 0x80100011;         // SCARD_E_INVALID_VALUE
inline constexpr std::uint32_t system_cancelled = 0x80100012;      // SCARD_E_SYSTEM_CANCELLED
inline constexpr std::uint32_t comm_error = 0x80100013;            // SCARD_F_COMM_ERROR
inline constexpr std::uint32_t not_transacted = 0x80100016;        // SCARD_E_NOT_TRANSACTED
inline constexpr std::uint32_t reader_unavailable = 0x80100017;    // SCARD_E_READER_UNAVAILABLE
inline constexpr std::uint32_t no_service = 0x8010001D;            // SCARD_E_NO_SERVICE
inline constexpr std::uint32_t service_stopped = 0x8010001E;       // SCARD_E_SERVICE_STOPPED
inline constexpr std::uint32_t no_readers_available = 0x8010002E;  // SCARD_E_NO_READERS_AVAILABLE
inline constexpr std::uint32_t unsupported_card = 0x80100065;      // SCARD_W_UNSUPPORTED_CARD
inline constexpr std::uint32_t unresponsive_card = 0x80100066;     // SCARD_W_UNRESPONSIVE_CARD
inline constexpr std::uint32_t unpowered_card = 0x80100067;        // SCARD_W_UNPOWERED_CARD
inline constexpr std::uint32_t reset_card = 0x80100068;            // SCARD_W_RESET_CARD
inline constexpr std::uint32_t removed_card = 0x80100069;          // SCARD_W_REMOVED_CARD
inline constexpr std::uint32_t security_violation = 0x8010006A;    // SCARD_W_SECURITY_VIOLATION
}  // namespace scard

// Where the call happened changes what a code means: SCARD_E_NO_SMARTCARD during connect means
// "no card yet", during a transmit it means "the card was taken away".
enum class PcscOp : std::uint8_t { context, list, wait, connect, transmit };

// The code as "0x80100069 SCARD_W_REMOVED_CARD" (name when known).
std::string pcsc_code_text(std::uint32_t code);

// The Error for a failed call. `call` names the PC/SC function for the detail text.
Error pcsc_error(std::uint32_t code, PcscOp op, const char *call);

// Codes after which the context is dead for good (service stopped / restarted, socket broken):
// drop it and establish a new one on the next call (docs/pcsc-harness.md §The client side).
bool pcsc_context_is_dead(std::uint32_t code) noexcept;

}  // namespace onshi::card
