#include "pcscd/daemon.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "card/journal.h"
#include "card/virtual_card.h"
#include "card/vpcd_link.h"
#include "common/test_ca.h"
#include "pcscd/control_server.h"
#include "pcscd/pcscd_namespace.h"
#include "pcscd/pcscd_supervisor.h"

namespace sandbox {

namespace {

void log_line(const std::string& text) {
  std::fprintf(stderr, "[%lld] %s\n", static_cast<long long>(now_unix_us() / 1000), text.c_str());
  std::fflush(stderr);
}

class Sandbox {
public:
  Sandbox(const DaemonOptions& o, PersonaMaterials materials, PcscdSupervisor& pcscd)
      : options_(o), materials_(std::move(materials)), journal_(o.dir + "/apdu.jsonl"), pcscd_(pcscd) {}

  // `cert_expires_unix` (when given) replaces the persona's certificate expiry on this card.
  std::string insert(int slot, const std::string& persona, std::optional<std::int64_t> cert_expires_unix = {}) {
    std::lock_guard lock(mutex_);
    if (slot < 0 || slot >= options_.readers)
      return "usage slot " + std::to_string(slot) + " does not exist (this sandbox has slots 0.." +
             std::to_string(options_.readers - 1) + ")";
    auto m = materials_.find(persona);
    if (m == materials_.end()) return "usage unknown persona '" + persona + "'";
    if (auto it = links_.find(slot); it != links_.end() && it->second->pulled()) {
      it->second->stop();  // its thread has ended already
      links_.erase(it);
    }
    if (auto it = links_.find(slot); it != links_.end())
      return "error slot " + std::to_string(slot) + " already holds " + it->second->persona_id() +
             "; remove it first";
    PersonaMaterial material = m->second;
    if (cert_expires_unix) {
      try {
        material.auth_cert = reissue_with_expiry(options_.dir + "/ca", material.auth_cert.der, *cert_expires_unix);
      } catch (const std::exception& e) {
        return std::string("error cannot re-issue the certificate: ") + e.what();
      }
    }
    const auto profile = options_.reader_profiles.find(slot);
    auto link = std::make_unique<VpcdLink>(slot, slot_port(slot), persona, build_card(material), journal_,
                                           options_.apdu_delay_ms,
                                           profile == options_.reader_profiles.end() ? ReaderProfile::plain
                                                                                     : profile->second);
    link->start();
    links_[slot] = std::move(link);
    log_line("slot " + std::to_string(slot) + ": inserted " + persona);
    return "ok";
  }

  std::string remove(int slot) {
    std::unique_ptr<VpcdLink> link;
    {
      std::lock_guard lock(mutex_);
      if (slot < 0 || slot >= options_.readers)
        return "usage slot " + std::to_string(slot) + " does not exist";
      auto it = links_.find(slot);
      if (it == links_.end()) return "ok";
      link = std::move(it->second);
      links_.erase(it);
    }
    link->stop();
    log_line("slot " + std::to_string(slot) + ": removed " + link->persona_id());
    return "ok";
  }

  // The card vanishes when the apdus-th APDU from now arrives (VpcdLink::pull_after).
  std::string remove_after(int slot, int apdus) {
    std::lock_guard lock(mutex_);
    if (slot < 0 || slot >= options_.readers)
      return "usage slot " + std::to_string(slot) + " does not exist";
    if (apdus < 1) return "usage the APDU count must be 1 or more";
    auto it = links_.find(slot);
    if (it == links_.end() || it->second->pulled())
      return "error slot " + std::to_string(slot) + " is empty";
    it->second->pull_after(apdus);
    log_line("slot " + std::to_string(slot) + ": " + it->second->persona_id() + " will be pulled at APDU " +
             std::to_string(apdus) + " from now");
    return "ok";
  }

  std::string restart_pcscd(int down_ms) {
    if (down_ms < 0 || down_ms > kMaxPcscdDownMs)
      return "usage the pause must be 0.." + std::to_string(kMaxPcscdDownMs) + " ms";
    log_line("restarting pcscd (SIGKILL, " + std::to_string(down_ms) + " ms down)");
    std::string r = pcscd_.restart(down_ms);
    log_line(r == "ok" ? "pcscd restarted, pid " + std::to_string(pcscd_.pid()) : "pcscd restart: " + r);
    return r;
  }

  std::string status() {
    std::lock_guard lock(mutex_);
    rapidjson::StringBuffer sb;
    JsonWriter w(sb);
    w.StartObject();
    w.Key("pid");
    w.Int(::getpid());
    w.Key("pcscd_pid");
    w.Int(pcscd_.pid());
    w.Key("readers");
    w.Int(options_.readers);
    w.Key("apdu_delay_ms");
    w.Int(options_.apdu_delay_ms);
    w.Key("apdus");
    w.Uint64(journal_.count());
    w.Key("slots");
    w.StartArray();
    for (int s = 0; s < options_.readers; ++s) {
      w.StartObject();
      w.Key("slot");
      w.Int(s);
      w.Key("reader");
      w.String(reader_name(s));
      w.Key("port");
      w.Int(slot_port(s));
      w.Key("persona");
      auto it = links_.find(s);
      if (it != links_.end() && it->second->pulled()) it = links_.end();
      if (it == links_.end()) w.Null();
      else w.String(it->second->persona_id());
      w.Key("connected");
      w.Bool(it != links_.end() && it->second->connected());
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return std::string("ok ") + sb.GetString();
  }

  std::string handle(const std::string& request) {
    std::istringstream in(request);
    std::string verb;
    in >> verb;
    if (verb == "insert") {
      int slot = -1;
      std::string persona;
      if (!(in >> slot >> persona)) return "usage insert <slot> <persona> [expires <unix>]";
      std::string word;
      if (!(in >> word)) return insert(slot, persona);
      std::int64_t expires = 0;
      if (word != "expires" || !(in >> expires)) return "usage insert <slot> <persona> [expires <unix>]";
      return insert(slot, persona, expires);
    }
    if (verb == "remove") {
      int slot = -1;
      if (!(in >> slot)) return "usage remove <slot> [after <apdus>]";
      std::string after;
      if (!(in >> after)) return remove(slot);
      int apdus = 0;
      if (after != "after" || !(in >> apdus)) return "usage remove <slot> [after <apdus>]";
      return remove_after(slot, apdus);
    }
    if (verb == "restart-pcscd") {
      int down_ms = 0;
      if (!(in >> down_ms)) return "usage restart-pcscd <down_ms>";
      return restart_pcscd(down_ms);
    }
    if (verb == "status") return status();
    if (verb == "down") {
      ::kill(::getpid(), SIGTERM);
      return "ok";
    }
    return "usage unknown request '" + verb + "'";
  }

  void stop_all() {
    std::map<int, std::unique_ptr<VpcdLink>> links;
    {
      std::lock_guard lock(mutex_);
      links.swap(links_);
    }
    for (auto& [slot, link] : links) link->stop();
  }

private:
  DaemonOptions options_;
  PersonaMaterials materials_;
  Journal journal_;
  std::mutex mutex_;
  std::map<int, std::unique_ptr<VpcdLink>> links_;
  PcscdSupervisor& pcscd_;
};

void report(int fd, const std::string& line) {
  const std::string text = line + "\n";
  const ssize_t n = ::write(fd, text.data(), text.size());
  (void)n;
}

}  // namespace

void run_daemon(const DaemonOptions& o, PersonaMaterials materials, int ready_fd) {
  ::setsid();
  const int log = ::open((o.dir + "/sandbox.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  const int devnull = ::open("/dev/null", O_RDWR);
  if (devnull >= 0) ::dup2(devnull, 0);
  if (log >= 0) {
    ::dup2(log, 1);
    ::dup2(log, 2);
  }
  ::signal(SIGPIPE, SIG_IGN);
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGUSR1}) sigaddset(&signals, s);
  ::sigprocmask(SIG_BLOCK, &signals, nullptr);  // before any thread: all of them inherit it

  PcscdSupervisor pcscd(o.dir);
  std::unique_ptr<Sandbox> sandbox;
  std::unique_ptr<ControlServer> control;
  try {
    write_file(o.dir + "/sandbox.pid", std::to_string(::getpid()) + "\n");
    enter_private_namespaces(o.dir + "/run");
    pcscd.start();
    log_line("pcscd started, pid " + std::to_string(pcscd.pid()));
    sandbox = std::make_unique<Sandbox>(o, std::move(materials), pcscd);
    for (const auto& [slot, persona] : o.cards) {
      const std::string r = sandbox->insert(slot, persona);
      if (r != "ok") throw SandboxError(r);
    }
    control = std::make_unique<ControlServer>(
        o.dir + "/control.sock", [&](const std::string& req) { return sandbox->handle(req); });
    control->start();
  } catch (const std::exception& e) {
    report(ready_fd, std::string("error ") + e.what());
    log_line(std::string("start failed: ") + e.what());
    if (sandbox) sandbox->stop_all();
    pcscd.stop(3000);
    ::unlink((o.dir + "/sandbox.pid").c_str());
    ::_exit(1);
  }
  report(ready_fd, "ok");
  ::close(ready_fd);
  log_line("ready");

  for (;;) {
    siginfo_t info{};
    const int sig = ::sigwaitinfo(&signals, &info);
    if (sig < 0) continue;
    if (sig == SIGUSR1) {  // a control request asks for a pcscd restart
      pcscd.serve_restart_request();
      continue;
    }
    if (sig == SIGCHLD) {
      if (pcscd.reap_unexpected_exit()) {
        log_line("pcscd exited; shutting down");
        break;
      }
      continue;
    }
    log_line(std::string("signal ") + strsignal(sig) + ": shutting down");
    break;
  }
  control->stop();
  sandbox->stop_all();
  pcscd.stop(3000);
  ::unlink((o.dir + "/sandbox.pid").c_str());
  log_line("stopped");
  std::fflush(nullptr);
  ::_exit(0);
}

}  // namespace sandbox
