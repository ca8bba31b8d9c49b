// Readiness checks through PC/SC, from the CLI's side (the same path a host takes):
// PCSCLITE_CSOCK_NAME must point at DIR/run/pcscd.comm BEFORE the first call in the process
// (libpcsclite caches the socket path).
#pragma once

#include <string>
#include <vector>

namespace sandbox {

void use_sandbox_pcscd(const std::string& dir);  // sets PCSCLITE_CSOCK_NAME

// Polls SCardListReaders until at least `count` readers exist. Returns the names; throws on timeout.
std::vector<std::string> wait_for_readers(std::size_t count, int timeout_ms);

enum class SlotState { present, empty };
// Waits (SCardGetStatusChange) until the reader shows a card (present) or none (empty).
void wait_for_reader_state(const std::string& reader, SlotState want, int timeout_ms);

// Human-readable state of a reader ("present ATR=..." / "empty" / "unknown: ..."), never throws.
std::string describe_reader(const std::string& reader);

}  // namespace sandbox
