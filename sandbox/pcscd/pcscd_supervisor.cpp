#include "pcscd/pcscd_supervisor.h"

#include <cerrno>
#include <chrono>
#include <thread>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/bytes.h"
#include "pcscd/pcscd_namespace.h"

namespace sandbox {

PcscdSupervisor::PcscdSupervisor(std::string dir) : dir_(std::move(dir)) {}

void PcscdSupervisor::spawn() {
  // A killed pcscd leaves its socket and pid file behind; the new one must not trip over them.
  ::unlink((dir_ + "/run/pcscd.comm").c_str());
  ::unlink((dir_ + "/run/pcscd.pid").c_str());
  const pid_t pid = spawn_pcscd(dir_, dir_ + "/pcscd.log");
  pid_ = pid;
  write_file(dir_ + "/pcscd.pid", std::to_string(pid) + "\n");
}

void PcscdSupervisor::start() { spawn(); }

std::string PcscdSupervisor::restart(int down_ms) {
  std::lock_guard one_at_a_time(restart_mutex_);
  std::unique_lock lock(mutex_);
  pending_down_ms_ = down_ms;
  const std::uint64_t ticket = ++asked_;
  ::kill(::getpid(), SIGUSR1);  // blocked in every thread: the main thread's sigwaitinfo takes it
  const bool done = done_.wait_for(lock, std::chrono::milliseconds(down_ms) + std::chrono::seconds(10),
                                   [&] { return done_count_ >= ticket; });
  if (!done) return "error the daemon did not restart pcscd in time";
  return result_;
}

void PcscdSupervisor::serve_restart_request() {
  int down_ms = -1;
  std::uint64_t ticket = 0;
  {
    std::lock_guard lock(mutex_);
    down_ms = pending_down_ms_;
    pending_down_ms_ = -1;
    ticket = asked_;
  }
  if (down_ms < 0) return;
  std::string result = "ok";
  if (const pid_t old = pid_.exchange(0); old > 0) {
    ::kill(old, SIGKILL);  // a crash: no chance to clean up or tell its clients
    int status = 0;
    while (::waitpid(old, &status, 0) < 0 && errno == EINTR) {
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(down_ms));  // the outage itself
  try {
    spawn();
  } catch (const std::exception& e) {
    result = std::string("error ") + e.what();
  }
  {
    std::lock_guard lock(mutex_);
    result_ = result;
    done_count_ = ticket;
  }
  done_.notify_all();
}

bool PcscdSupervisor::reap_unexpected_exit() {
  const pid_t pid = pid_;
  int status = 0;
  if (pid <= 0 || ::waitpid(pid, &status, WNOHANG) != pid) return false;
  pid_ = 0;
  return true;
}

void PcscdSupervisor::stop(int timeout_ms) {
  stop_child(pid_.exchange(0), timeout_ms);
  ::unlink((dir_ + "/pcscd.pid").c_str());
}

}  // namespace sandbox
