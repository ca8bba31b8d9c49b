// The APDU journal DIR/apdu.jsonl: one JSON object per exchanged APDU,
//   {"t_us":<unix time in µs>,"slot":N,"c":"<C-APDU hex>","r":"<R-APDU hex incl. SW>"}
// The data field of VERIFY / CHANGE REFERENCE DATA is replaced by "*" (e.g. "c":"00200080*").
// "r":"" marks the APDU at which a card armed with `remove --after-apdus` vanished unanswered.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "common/bytes.h"

namespace sandbox {

class Journal {
public:
  explicit Journal(const std::string& path);  // truncates the file
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  void record(int slot, const Bytes& command, const Bytes& response);
  std::uint64_t count() const;

  // The command as journaled (secrets masked).
  static std::string masked_command_hex(const Bytes& command);

private:
  int fd_ = -1;
  mutable std::mutex mutex_;
  std::uint64_t count_ = 0;
};

}  // namespace sandbox
