// The one place that includes the platform's PC/SC header: winscard on Windows, pcsc-lite
// elsewhere. The same SCard* calls exist on both, but the types differ in width: pcsc-lite's
// DWORD/LONG are unsigned long/long (64-bit on Linux x86_64), winscard's are 32-bit everywhere.
// So code above this seam keeps PC/SC values in DWORD/LONG and converts to fixed-width integers
// only through pcsc_code(). Reader names: winscard has ANSI (…A) and UTF-16 (…W) variants of the
// calls that take them; pcsc-lite has one set, in UTF-8. onshi uses the ANSI set on Windows
// (reader names are ASCII in practice) through ONSHI_PCSC_A.
#pragma once

#if defined(_WIN32)
#ifndef NOMINMAX
#define NOMINMAX  // keep std::min/std::max usable
#endif
#include <windows.h>
#include <winscard.h>
#else
#include <winscard.h>  // pcsc-lite (include dir from pkg-config libpcsclite)
#include <reader.h>    // pcsc-lite: SCARD_CTL_CODE (Windows: winsmcrd.h, included by winscard.h)
#endif

#include <cstdint>

namespace onshi::card {

// A macro, not function pointers: the address of a dllimport function is not a constant
// expression on Windows.
#if defined(_WIN32)
using PcscReaderState = SCARD_READERSTATEA;
#define ONSHI_PCSC_A(name) name##A
#else
using PcscReaderState = SCARD_READERSTATE;
#define ONSHI_PCSC_A(name) name
#endif

// PC/SC result codes are 32-bit values on every platform (0x8010xxxx); pcsc-lite's LONG is wider.
inline std::uint32_t pcsc_code(LONG rv) { return static_cast<std::uint32_t>(rv); }

}  // namespace onshi::card
