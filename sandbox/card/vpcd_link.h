// One virtual card "inserted" into one vpcd slot: a TCP client of vpcd speaking its socket
// protocol (every message = 2-byte big-endian length + payload; length 1 = control byte:
// 00 power off, 01 power on, 02 reset, 04 get ATR; longer = C-APDU, answered with R-APDU).
// TCP_QUICKACK is re-armed before every recv and replies go out in one send, so vpcd's split
// header/payload writes never stall on Nagle + delayed ACK (~40 ms per APDU otherwise).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "card/card_model.h"
#include "card/journal.h"
#include "card/reader_profile.h"

namespace sandbox {

class VpcdLink {
public:
  VpcdLink(int slot, std::uint16_t port, std::string persona_id, std::unique_ptr<CardModel> card,
           Journal& journal, int apdu_delay_ms, ReaderProfile profile = ReaderProfile::plain);
  ~VpcdLink();
  VpcdLink(const VpcdLink&) = delete;
  VpcdLink& operator=(const VpcdLink&) = delete;

  void start();
  // Pulls the card: closes the connection (vpcd then reports the slot empty) and joins.
  void stop();
  // Arms a mid-flight removal: when the `apdus`-th C-APDU from now arrives, the card closes the
  // connection without answering it (vpcd hands the reader a 0-byte answer, pcscd then sees the
  // slot empty) and does not come back; the APDU is journaled with "r":"". Re-arming replaces
  // the count. Control bytes (power, reset, ATR) do not count.
  void pull_after(int apdus);
  // True once an armed removal has happened: the slot is empty, the link's thread has ended.
  bool pulled() const { return pulled_; }
  const std::string& persona_id() const { return persona_id_; }
  bool connected() const { return connected_; }

private:
  void run();
  int connect_once();
  bool serve(int fd);

  int slot_;
  std::uint16_t port_;
  std::string persona_id_;
  std::unique_ptr<CardModel> card_;
  Journal& journal_;
  int apdu_delay_ms_;
  ReaderFront front_;  // the reader profile between vpcd and the card (reader_profile.h)
  bool left_field_ = false;  // flaky-field: serve() ended because the card left the field
  std::thread thread_;
  std::mutex fd_mutex_;
  int fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> connected_{false};
  std::atomic<int> pull_countdown_{0};  // 0: not armed
  std::atomic<bool> pulled_{false};
};

}  // namespace sandbox
