#include "pcscd/pcsc_probe.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include <winscard.h>

#include "common/bytes.h"

namespace sandbox {

namespace {

using Clock = std::chrono::steady_clock;

std::string rv_text(LONG rv) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%08lX", static_cast<unsigned long>(rv));
  return std::string(buf) + " " + pcsc_stringify_error(rv);
}

class Context {
public:
  Context() {
    const LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx_);
    if (rv != SCARD_S_SUCCESS) throw SandboxError("SCardEstablishContext: " + rv_text(rv));
  }
  ~Context() { SCardReleaseContext(ctx_); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  SCARDCONTEXT get() const { return ctx_; }

private:
  SCARDCONTEXT ctx_ = 0;
};

std::vector<std::string> list_readers(SCARDCONTEXT ctx, LONG& rv) {
  DWORD len = 0;
  rv = SCardListReaders(ctx, nullptr, nullptr, &len);
  if (rv != SCARD_S_SUCCESS) return {};
  std::string buf(len, '\0');
  rv = SCardListReaders(ctx, nullptr, buf.data(), &len);
  if (rv != SCARD_S_SUCCESS) return {};
  std::vector<std::string> names;
  for (std::size_t at = 0; at < buf.size() && buf[at] != '\0';) {
    // The list is NUL-separated names ending with an empty one.
    const std::string name = buf.substr(at, std::min(buf.find('\0', at), buf.size()) - at);
    names.push_back(name);
    at += name.size() + 1;
  }
  return names;
}

}  // namespace

void use_sandbox_pcscd(const std::string& dir) {
  ::setenv("PCSCLITE_CSOCK_NAME", (dir + "/run/pcscd.comm").c_str(), 1);
}

std::vector<std::string> wait_for_readers(std::size_t count, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  LONG rv = SCARD_S_SUCCESS;
  std::size_t seen = 0;
  for (;;) {
    SCARDCONTEXT ctx = 0;
    rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx);
    if (rv == SCARD_S_SUCCESS) {
      auto names = list_readers(ctx, rv);
      SCardReleaseContext(ctx);
      seen = names.size();
      if (names.size() >= count) return names;
    }
    if (Clock::now() > deadline)
      throw SandboxError("pcscd shows " + std::to_string(seen) + " of " + std::to_string(count) +
                         " readers after " + std::to_string(timeout_ms) + " ms (last: " +
                         rv_text(rv) + ")");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void wait_for_reader_state(const std::string& reader, SlotState want, int timeout_ms) {
  Context ctx;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  SCARD_READERSTATE rs{};
  rs.szReader = reader.c_str();
  rs.dwCurrentState = SCARD_STATE_UNAWARE;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    const LONG rv = SCardGetStatusChange(ctx.get(), static_cast<DWORD>(std::max<long>(left.count(), 0)),
                                         &rs, 1);
    if (rv == SCARD_S_SUCCESS) {
      const DWORD s = rs.dwEventState;
      const bool present = (s & SCARD_STATE_PRESENT) != 0 && (s & SCARD_STATE_MUTE) == 0;
      const bool empty = (s & SCARD_STATE_EMPTY) != 0;
      if ((want == SlotState::present && present) || (want == SlotState::empty && empty)) return;
      rs.dwCurrentState = s & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
    } else if (rv != SCARD_E_TIMEOUT) {
      throw SandboxError("SCardGetStatusChange(" + reader + "): " + rv_text(rv));
    }
    if (Clock::now() >= deadline)
      throw SandboxError("reader '" + reader + "' did not become " +
                         (want == SlotState::present ? "present" : "empty") + " within " +
                         std::to_string(timeout_ms) + " ms");
  }
}

std::string describe_reader(const std::string& reader) {
  try {
    Context ctx;
    SCARD_READERSTATE rs{};
    rs.szReader = reader.c_str();
    rs.dwCurrentState = SCARD_STATE_UNAWARE;
    const LONG rv = SCardGetStatusChange(ctx.get(), 0, &rs, 1);
    if (rv != SCARD_S_SUCCESS) return "unknown: " + rv_text(rv);
    if (rs.dwEventState & SCARD_STATE_PRESENT)
      return std::string("present") + ((rs.dwEventState & SCARD_STATE_MUTE) ? " (mute)" : "") +
             " ATR=" + to_hex(rs.rgbAtr, rs.cbAtr);
    if (rs.dwEventState & SCARD_STATE_EMPTY) return "empty";
    return "unknown";
  } catch (const std::exception& e) {
    return std::string("unknown: ") + e.what();
  }
}

}  // namespace sandbox
