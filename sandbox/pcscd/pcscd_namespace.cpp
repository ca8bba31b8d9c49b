#include "pcscd/pcscd_namespace.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/bytes.h"

namespace sandbox {

namespace {
constexpr const char* kVpcdDriver = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
constexpr const char* kPcscd = "/usr/sbin/pcscd";

[[noreturn]] void sys_fail(const std::string& what) {
  throw SandboxError(what + ": " + std::strerror(errno));
}
}  // namespace

// pcscd numbers readers "<FRIENDLYNAME> <index> <slot>" and only raises the index for entries
// with the same name AND the same driver path; our entries need distinct driver copies, so
// they get distinct names instead (the same name twice would give two readers one name).
std::string entry_friendly_name(int entry) {
  if (entry == 0) return "Virtual PCD";
  return std::string("Virtual PCD ") + static_cast<char>('A' + entry);
}

std::string reader_name(int slot) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s 00 %02X", entry_friendly_name(slot / 2).c_str(), slot % 2);
  return buf;
}

void write_reader_config(const std::string& dir, int readers) {
  if (!file_exists(kVpcdDriver))
    throw SandboxError(std::string("vpcd driver not found at ") + kVpcdDriver +
                       " (apt-get install vsmartcard-vpcd)");
  const std::string driver = std::filesystem::canonical(kVpcdDriver).string();
  const Bytes image = read_file(driver);
  make_dirs(dir + "/drivers");
  make_dirs(dir + "/reader.conf.d");
  std::string conf =
      "# Written by onshi-sandbox. One entry per two slots; each entry loads its own copy of\n"
      "# libifdvpcd (entries sharing one .so would alias each other's slots).\n";
  for (int e = 0; e < reader_entries(readers); ++e) {
    const std::string copy = dir + "/drivers/libifdvpcd-" + std::to_string(e) + ".so";
    write_file(copy, image, 0755);  // new inode each time (tmp + rename)
    const unsigned port = kFirstVpcdPort + 2u * static_cast<unsigned>(e);
    conf += "\nFRIENDLYNAME \"" + entry_friendly_name(e) + "\"\nDEVICENAME   /dev/null:" + std::to_string(port) +
            "\nLIBPATH      " + copy + "\nCHANNELID    " + std::to_string(port) + "\n";
  }
  write_file(dir + "/reader.conf.d/vpcd", conf);
}

void enter_private_namespaces(const std::string& run_dir) {
  if (::unshare(CLONE_NEWNS | CLONE_NEWNET) != 0) sys_fail("unshare(mount + network namespace)");
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    sys_fail("making mounts private");
  make_dirs("/run/pcscd");
  if (::mount(run_dir.c_str(), "/run/pcscd", nullptr, MS_BIND, nullptr) != 0)
    sys_fail("bind-mounting " + run_dir + " over /run/pcscd");
  const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) sys_fail("socket");
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  if (::ioctl(s, SIOCGIFFLAGS, &ifr) != 0) sys_fail("reading loopback flags");
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
  if (::ioctl(s, SIOCSIFFLAGS, &ifr) != 0) sys_fail("bringing loopback up");
  ::close(s);
}

pid_t spawn_pcscd(const std::string& dir, const std::string& log_path) {
  if (!file_exists(kPcscd)) throw SandboxError("pcscd not found (apt-get install pcscd)");
  const std::string conf = dir + "/reader.conf.d";
  const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) sys_fail("opening " + log_path);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) sys_fail("fork");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::dup2(log, 1);
    ::dup2(log, 2);
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    const char* argv[] = {kPcscd, "--foreground", "-c", conf.c_str(), nullptr};
    ::execv(kPcscd, const_cast<char* const*>(argv));
    ::_exit(127);
  }
  ::close(log);
  return pid;
}

void stop_child(pid_t pid, int timeout_ms) {
  if (pid <= 0) return;
  ::kill(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace sandbox
