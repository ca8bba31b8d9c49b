// The daemon's pcscd child over its whole life: started once, restarted on request as after a
// crash (SIGKILL, an optional pause, then a fresh pcscd in the same namespaces with the same
// reader.conf and the same DIR/run/pcscd.comm), stopped at shutdown. pcscd is forked, reaped and
// restarted only on the daemon's main thread (PR_SET_PDEATHSIG follows the forking thread); other
// threads ask with restart(), which wakes the main thread with SIGUSR1 and waits for it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

#include <sys/types.h>

namespace sandbox {

class PcscdSupervisor {
public:
  explicit PcscdSupervisor(std::string dir);
  PcscdSupervisor(const PcscdSupervisor&) = delete;
  PcscdSupervisor& operator=(const PcscdSupervisor&) = delete;

  // Main thread only.
  void start();                   // spawns pcscd, writes DIR/pcscd.pid
  void serve_restart_request();   // on SIGUSR1: carries out a pending restart
  bool reap_unexpected_exit();    // on SIGCHLD: true when pcscd died without a restart asked
  void stop(int timeout_ms);      // SIGTERM, then SIGKILL; removes DIR/pcscd.pid

  // Any thread but the main one: kills pcscd with SIGKILL, waits down_ms, starts it again.
  // Returns once the new pcscd is spawned: "ok" or "error <message>".
  std::string restart(int down_ms);
  pid_t pid() const { return pid_; }

private:
  void spawn();

  std::string dir_;
  std::atomic<pid_t> pid_{0};
  std::mutex restart_mutex_;  // one restart() at a time
  std::mutex mutex_;
  std::condition_variable done_;
  int pending_down_ms_ = -1;  // -1: nothing asked
  std::uint64_t asked_ = 0, done_count_ = 0;
  std::string result_;
};

}  // namespace sandbox
