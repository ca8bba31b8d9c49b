// PC/SC result codes -> onshi statuses. The codes are the same numbers on pcsc-lite and winscard
// (0x8010xxxx), so the table is plain data and testable without a PC/SC service.
#pragma once

#include "util/error.h"

#include <cstdint>
#include <string>

namespace onshi::card {

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
