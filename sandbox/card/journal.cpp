#include "card/journal.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace sandbox {

Journal::Journal(const std::string& path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw SandboxError("cannot open the journal " + path + ": " + std::strerror(errno));
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

std::string Journal::masked_command_hex(const Bytes& c) {
  const bool secret = c.size() > 4 && c[0] == 0x00 && (c[1] == 0x20 || c[1] == 0x24);
  if (secret) return to_hex(c.data(), 4) + "*";
  return to_hex(c);
}

void Journal::record(int slot, const Bytes& command, const Bytes& response) {
  std::string line = "{\"t_us\":" + std::to_string(now_unix_us()) +
                     ",\"slot\":" + std::to_string(slot) + ",\"c\":\"" +
                     masked_command_hex(command) + "\",\"r\":\"" + to_hex(response) + "\"}\n";
  std::lock_guard lock(mutex_);
  ++count_;
  // One write per line on an O_APPEND descriptor: lines never interleave.
  const ssize_t n = ::write(fd_, line.data(), line.size());
  (void)n;
}

std::uint64_t Journal::count() const {
  std::lock_guard lock(mutex_);
  return count_;
}

}  // namespace sandbox
