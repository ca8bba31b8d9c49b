// ReaderSystem over the real PC/SC service: pcsc-lite (libpcsclite, Linux/macOS) or winscard
// (Windows). The two expose the same API; the only platform seam is the ANSI names on Windows
// (…A functions, SCARD_READERSTATEA), kept in pcsc_reader_system.cpp.
//
// Contexts and threads (pcsc-lite contexts are not meant to be shared across blocking calls):
//  - wait_for_change() runs on one monitor thread at a time and owns the "watch" context;
//    cancel_wait() may be called from any thread (SCardCancel on that context, plus a sticky flag
//    so a cancel that arrives just before the wait starts is not lost).
//  - list_readers() may be called from any thread; it uses a separate "query" context under a mutex,
//    so it never waits behind a blocking SCardGetStatusChange.
//  - connect() may be called from any thread, concurrently; every channel gets its own context,
//    released with the channel. A channel itself belongs to one job thread.
//  A context that reported the service gone (SCARD_E_NO_SERVICE, …) never recovers
//  (docs/pcsc-harness.md §The client side): it is dropped and the next call establishes a new one.
//
// Exclusive access: connect() uses SCARD_SHARE_EXCLUSIVE for the channel's whole life rather than
// shared mode + SCardBeginTransaction, because (1) Windows resets a card whose transaction idles
// for more than 5 s — exactly the time a patient takes to type the PIN — and (2) no other program
// can even connect between our APDUs, so nothing can observe or use the verified PIN state. A
// sharing violation right after insertion (other middleware peeking at a new card) is retried for
// about a second before ONSHI_E_CARD_IN_USE. The channel disconnects with SCARD_RESET_CARD, so the
// verified PIN / 照合番号B state never outlives our job.
#pragma once

#include "card/reader_system.h"

#include <memory>

namespace onshi::card {

std::unique_ptr<ReaderSystem> make_pcsc_reader_system();

}  // namespace onshi::card
