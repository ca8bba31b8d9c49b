#include "common/process_files.h"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iterator>

#include <unistd.h>

namespace sandbox {

std::optional<int> read_pid(const std::string& path) {
  std::ifstream in(path);
  int pid = 0;
  if (in >> pid && pid > 1) return pid;
  return std::nullopt;
}

std::string proc_cmdline(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::replace(s.begin(), s.end(), '\0', ' ');
  return s;
}

std::string read_ready_report(int fd) {
  std::string reply;
  char buf[512];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    reply.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (!reply.empty() && reply.back() == '\n') reply.pop_back();
  return reply;
}

}  // namespace sandbox
