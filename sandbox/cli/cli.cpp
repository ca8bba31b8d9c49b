#include "cli/cli.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <rapidjson/document.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include "card/standalone_card.h"
#include "cli/persona_secrets.h"
#include "common/bytes.h"
#include "common/number.h"
#include "common/process_files.h"
#include "gateway/app_text.h"
#include "gateway/certificate_expiry.h"
#include "gateway/insured_data.h"
#include "gateway/gateway.h"
#include "terminal/emulator.h"
#include "pcscd/control_client.h"
#include "pcscd/daemon.h"
#include "pcscd/pcsc_probe.h"
#include "pcscd/pcscd_namespace.h"
#include "persona/persona.h"
#include "persona/persona_material.h"

namespace sandbox {

namespace {

constexpr int kOk = 0, kFailure = 1, kUsage = 2, kNotRunning = 3;

constexpr const char* kUsageText =
    "usage:\n"
    "  onshi-sandbox up --dir DIR [--readers N] [--card SLOT=PERSONA]... [--apdu-delay-ms MS]\n"
    "                   [--reader-profile SLOT=plain|short-only|t0-contact|odd-atr|flaky-field]...\n"
    "                   [--terminals-allowed N] [--net-delay-ms MS]\n"
    "  onshi-sandbox insert --dir DIR --slot N --persona PERSONA [--cert-expiry YYYY-MM-DD]\n"
    "  onshi-sandbox remove --dir DIR --slot N [--after-apdus K]\n"
    "  onshi-sandbox restart-pcscd --dir DIR [--down-ms MS]\n"
    "  onshi-sandbox status --dir DIR [--json]\n"
    "  onshi-sandbox down --dir DIR\n"
    "  onshi-sandbox personas [--json | --secrets]\n"
    "  onshi-sandbox app-text --persona PERSONA [--date YYYYMMDD] [--record]\n"
    "      (the persona's result as the マイナ資格確認アプリ's text; --record: the record it shows, as JSON)\n"
    "  onshi-sandbox gateway-fault --dir DIR --mode none|slow|timeout|http500|malformed|close|oversized|\n"
    "                   skew|refuse|wrong-host-cert|expired-cert|tls1.1|result-error|processing-error [--ms N]\n"
    "  onshi-sandbox gateway-date --dir DIR --days N   (the certificate-expiry rule's date, N days on)\n"
    "  onshi-sandbox card --dir DIR --persona PERSONA --port PORT [--apdu-delay-ms MS]\n"
    "      (one card, no pcscd: a vpcd client of 127.0.0.1:PORT, e.g. the Windows tests' winscard.dll)\n"
    "  onshi-sandbox terminal-fault --dir DIR --mode none|slow|silent|malformed|partial|pieces|shift_jis|error [--ms N]\n"
    "      (the 資格確認端末 emulator's answers to the requests that arrive from now on)\n"
    "  onshi-sandbox face-checkin --dir DIR --persona PERSONA [--encoding shift_jis|utf-8]\n"
    "      (a face file in DIR/oqs/face, as if the persona checked in at the face reader)\n"
    "Starts virtual My Number Cards behind a private pcscd (see sandbox/README.md).\n"
    "up, insert, remove, restart-pcscd, status and down must run as root.\n";

struct UsageError : SandboxError {
  using SandboxError::SandboxError;
};

// --name value / --name=value options of one subcommand; repeated options are kept in order.
class Args {
public:
  Args(int argc, char** argv, const std::vector<std::string>& with_value,
       const std::vector<std::string>& flags) {
    for (int i = 2; i < argc; ++i) {
      std::string a = argv[i];
      if (a.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + a + "'");
      std::string name = a.substr(2), value;
      const auto eq = name.find('=');
      const bool inline_value = eq != std::string::npos;
      if (inline_value) {
        value = name.substr(eq + 1);
        name.resize(eq);
      }
      if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
        if (inline_value) throw UsageError("--" + name + " takes no value");
        values_[name].push_back("");
      } else if (std::find(with_value.begin(), with_value.end(), name) != with_value.end()) {
        if (!inline_value) {
          if (i + 1 >= argc) throw UsageError("--" + name + " needs a value");
          value = argv[++i];
        }
        values_[name].push_back(value);
      } else {
        throw UsageError("unknown option '--" + name + "'");
      }
    }
  }
  bool has(const std::string& n) const { return values_.count(n) != 0; }
  const std::vector<std::string>& all(const std::string& n) const {
    static const std::vector<std::string> none;
    auto it = values_.find(n);
    return it == values_.end() ? none : it->second;
  }
  std::string one(const std::string& n) const {
    const auto& v = all(n);
    if (v.empty()) throw UsageError("--" + n + " is required");
    if (v.size() > 1) throw UsageError("--" + n + " given more than once");
    return v.front();
  }

private:
  std::map<std::string, std::vector<std::string>> values_;
};

int parse_int(const std::string& text, const std::string& what, int min, int max) {
  if (const auto v = parse_number(text, min, max)) return *v;
  throw UsageError(bad_number_message(what, text, min, max));
}

const Persona& persona_arg(const std::string& id) {
  const Persona* p = find_persona(id);
  if (p == nullptr) {
    std::string known;
    for (const auto& q : persona_catalogue()) known += " " + q.id;
    throw UsageError("unknown persona '" + id + "'; known:" + known);
  }
  return *p;
}

void require_root(const char* command) {
  if (::geteuid() != 0)
    throw SandboxError(std::string("'") + command +
                       "' must run as root: the sandbox gives pcscd a private mount and network "
                       "namespace (so the system's /run/pcscd and TCP ports are never touched), "
                       "which needs CAP_SYS_ADMIN. Run it with sudo (CI runs as root).");
}

std::string sandbox_dir(const Args& args) {
  std::string dir = absolute_path(args.one("dir"));
  // Unix socket paths are limited to 107 bytes.
  if ((dir + "/run/pcscd.comm").size() > 107)
    throw UsageError("--dir path is too long for a unix socket path (max ~90 characters): " + dir);
  return dir;
}

// The daemon holds an exclusive flock on DIR/sandbox.lock for its whole life.
int open_lock(const std::string& dir) {
  const int fd = ::open((dir + "/sandbox.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw SandboxError("cannot open " + dir + "/sandbox.lock: " + std::strerror(errno));
  return fd;
}

bool daemon_alive(const std::string& dir) {
  if (!file_exists(dir + "/sandbox.lock")) return false;
  const int fd = open_lock(dir);
  const bool locked = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  ::close(fd);
  return locked;
}

std::string tail(const std::string& path, std::size_t lines) {
  std::ifstream in(path);
  std::vector<std::string> all;
  for (std::string l; std::getline(in, l);) all.push_back(l);
  std::string out;
  for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i)
    out += "    " + all[i] + "\n";
  return out;
}

// Replies "ok ..." -> payload; "usage ..." -> UsageError; otherwise SandboxError.
std::string control(const std::string& dir, const std::string& request) {
  const auto reply = control_request(dir, request);
  if (!reply) throw SandboxError("no sandbox is running in " + dir + " (start one with 'onshi-sandbox up --dir " + dir + "')");
  if (*reply == "ok") return "";
  if (reply->rfind("ok ", 0) == 0) return reply->substr(3);
  if (reply->rfind("usage ", 0) == 0) throw UsageError(reply->substr(6));
  if (reply->rfind("error ", 0) == 0) throw SandboxError(reply->substr(6));
  throw SandboxError("unexpected reply from the sandbox: " + *reply);
}

// True when the daemon holds no card in `slot` (false also for a slot it does not have).
bool slot_is_free(const std::string& dir, int slot) {
  rapidjson::Document d;
  const std::string json = control(dir, "status");
  d.Parse(json.c_str());
  if (d.HasParseError() || !d.IsObject()) throw SandboxError("bad status reply: " + json);
  for (const auto& s : d["slots"].GetArray())
    if (s["slot"].GetInt() == slot) return s["persona"].IsNull();
  return false;
}

int stop_daemon(const std::string& dir, bool quiet) {
  const auto pid = read_pid(dir + "/sandbox.pid");
  if (pid && proc_cmdline(*pid).find("onshi-sandbox") != std::string::npos) ::kill(*pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool killed = false;
  while (daemon_alive(dir)) {
    if (std::chrono::steady_clock::now() > deadline) {
      if (killed || !pid) throw SandboxError("the sandbox daemon in " + dir + " does not stop");
      ::kill(*pid, SIGKILL);
      killed = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // pcscd gets SIGTERM when the daemon dies; make sure it is gone too (only ours: -c DIR/...).
  if (const auto pp = read_pid(dir + "/pcscd.pid")) {
    if (proc_cmdline(*pp).find(dir + "/reader.conf.d") != std::string::npos) ::kill(*pp, SIGTERM);
    ::unlink((dir + "/pcscd.pid").c_str());
  }
  ::unlink((dir + "/sandbox.pid").c_str());
  ::unlink((dir + "/control.sock").c_str());
  gateway::stop_gateway(dir);
  terminal::stop_terminal(dir);
  if (!quiet) std::printf("sandbox in %s is down\n", dir.c_str());
  return kOk;
}

int cmd_up(int argc, char** argv) {
  const Args args(argc, argv,
                  {"dir", "readers", "card", "apdu-delay-ms", "terminals-allowed", "net-delay-ms", "reader-profile"}, {});
  const int terminals_allowed =
      args.has("terminals-allowed") ? parse_int(args.one("terminals-allowed"), "--terminals-allowed", 0, 100) : 2;
  const int net_delay = args.has("net-delay-ms") ? parse_int(args.one("net-delay-ms"), "--net-delay-ms", 0, 60000) : 0;
  const std::string dir_arg = args.one("dir");
  const int readers = args.has("readers") ? parse_int(args.one("readers"), "--readers", 1, kMaxReaders) : 1;
  const int delay = args.has("apdu-delay-ms") ? parse_int(args.one("apdu-delay-ms"), "--apdu-delay-ms", 0, 60000) : 0;
  DaemonOptions o;
  o.readers = readers;
  o.apdu_delay_ms = delay;
  for (const auto& c : args.all("card")) {
    const auto eq = c.find('=');
    if (eq == std::string::npos) throw UsageError("--card wants SLOT=PERSONA, not '" + c + "'");
    const int slot = parse_int(c.substr(0, eq), "--card slot", 0, readers - 1);
    const Persona& p = persona_arg(c.substr(eq + 1));
    for (const auto& [s, id] : o.cards)
      if (s == slot) throw UsageError("--card gives slot " + std::to_string(slot) + " twice");
    o.cards.emplace_back(slot, p.id);
  }
  for (const auto& rp : args.all("reader-profile")) {
    const auto eq = rp.find('=');
    if (eq == std::string::npos) throw UsageError("--reader-profile wants SLOT=PROFILE, not '" + rp + "'");
    const int slot = parse_int(rp.substr(0, eq), "--reader-profile slot", 0, readers - 1);
    const auto profile = reader_profile_from_name(rp.substr(eq + 1));
    if (!profile)
      throw UsageError("--reader-profile: unknown profile '" + rp.substr(eq + 1) +
                       "' (plain, short-only, t0-contact, odd-atr, flaky-field)");
    if (!o.reader_profiles.emplace(slot, *profile).second)
      throw UsageError("--reader-profile gives slot " + std::to_string(slot) + " twice");
  }
  if (o.cards.empty()) o.cards.emplace_back(0, "valid-honnin");
  require_root("up");
  make_dirs(absolute_path(dir_arg));
  o.dir = sandbox_dir(args);
  const std::string& dir = o.dir;

  const auto t0 = std::chrono::steady_clock::now();
  const int lock = open_lock(dir);
  if (::flock(lock, LOCK_EX | LOCK_NB) != 0) {
    const auto pid = read_pid(dir + "/sandbox.pid");
    throw SandboxError("a sandbox is already up in " + dir +
                       (pid ? " (pid " + std::to_string(*pid) + ")" : std::string()) +
                       "; stop it with 'onshi-sandbox down --dir " + dir + "'");
  }
  for (const char* stale : {"/control.sock", "/run/pcscd.comm", "/run/pcscd.pid", "/pcscd.pid"})
    ::unlink((dir + stale).c_str());
  make_dirs(dir + "/run");
  PersonaMaterials materials = prepare_personas(dir);
  write_reader_config(dir, readers);
  write_file(dir + "/env", "PCSCLITE_CSOCK_NAME=" + dir + "/run/pcscd.comm\n");
  // The reference gateway runs in the host network namespace: start it before the daemon unshares.
  const gateway::GatewayStarted gw = gateway::start_gateway(dir, terminals_allowed, net_delay);
  {
    rapidjson::StringBuffer sb;
    JsonWriter w(sb);
    w.StartObject();
    w.Key("locale");
    w.String("ja");
    w.Key("card_wait_ms");  // as a reception desk would: hosts see and test "waiting for the card"
    w.Int(30000);
    w.Key("pcsc");
    w.StartObject();
    w.EndObject();
    w.Key("gateway");
    w.StartObject();
    w.Key("url");
    w.String(gw.url);
    w.Key("ca_file");
    w.String(dir + "/gateway/ca.pem");
    w.EndObject();
    w.Key("credential_dir");
    w.String(dir + "/terminal");
    // The 資格確認端末 emulator's folders (terminal/emulator.h).
    w.Key("terminal_folders");
    w.StartObject();
    w.Key("req");
    w.String(dir + "/oqs/req");
    w.Key("res");
    w.String(dir + "/oqs/res");
    w.EndObject();
    w.EndObject();
    write_file(dir + "/plugin.json", std::string(sb.GetString(), sb.GetSize()) + "\n");
  }
  const int terminal_pid = terminal::start_terminal(dir);
  const auto t_prepared = std::chrono::steady_clock::now();

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw SandboxError("pipe failed");
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child < 0) throw SandboxError("fork failed");
  if (child == 0) {
    ::close(pipe_fds[0]);
    run_daemon(o, std::move(materials), pipe_fds[1]);  // keeps the inherited lock
  }
  ::close(pipe_fds[1]);
  ::close(lock);  // the daemon holds the lock now
  const std::string reply = read_ready_report(pipe_fds[0]);
  if (reply != "ok") {
    std::fprintf(stderr, "onshi-sandbox: the sandbox did not start: %s\n  sandbox.log:\n%s",
                 reply.empty() ? "daemon exited" : reply.c_str(),
                 tail(dir + "/sandbox.log", 10).c_str());
    gateway::stop_gateway(dir);
    return kFailure;
  }

  try {
    use_sandbox_pcscd(dir);
    wait_for_readers(2 * static_cast<std::size_t>(reader_entries(readers)), 5000);
    for (const auto& [slot, persona] : o.cards)
      wait_for_reader_state(reader_name(slot), SlotState::present, 5000);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "onshi-sandbox: %s\n  pcscd.log:\n%s  sandbox.log:\n%s", e.what(),
                 tail(dir + "/pcscd.log", 10).c_str(), tail(dir + "/sandbox.log", 10).c_str());
    stop_daemon(dir, true);
    return kFailure;
  }
  const auto t_ready = std::chrono::steady_clock::now();
  const auto ms = [](auto d) {
    return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
  };
  std::printf("sandbox up in %s (%lld ms: %lld ms keys/certs, %lld ms pcscd + cards)\n",
              dir.c_str(), ms(t_ready - t0), ms(t_prepared - t0), ms(t_ready - t_prepared));
  for (int s = 0; s < readers; ++s) {
    std::string persona = "(empty)";
    for (const auto& [slot, id] : o.cards)
      if (slot == s) persona = id;
    std::printf("  slot %d  %-20s %s\n", s, ("\"" + reader_name(s) + "\"").c_str(), persona.c_str());
  }
  std::printf("  gateway %s (pid %d), setup credentials in %s/setup.json\n", gw.url.c_str(), gw.pid,
              dir.c_str());
  std::printf("  terminal emulator (pid %d): %s/oqs/{req,res,face}\n", terminal_pid, dir.c_str());
  std::printf("use it with:  export PCSCLITE_CSOCK_NAME=%s/run/pcscd.comm\n", dir.c_str());
  return kOk;
}

int cmd_insert(int argc, char** argv) {
  const Args args(argc, argv, {"dir", "slot", "persona", "cert-expiry"}, {});
  const int slot = parse_int(args.one("slot"), "--slot", 0, kMaxReaders - 1);
  const Persona& p = persona_arg(args.one("persona"));
  const std::string dir = sandbox_dir(args);
  // --cert-expiry YYYY-MM-DD: this card's 利用者証明用電子証明書 expires at the end of that day (Japan
  // time) instead of the persona's own date (the same certificate, re-signed by the test CA).
  std::string expires;
  if (args.has("cert-expiry")) {
    const auto date = gateway::parse_date(args.one("cert-expiry"));
    if (!date) throw UsageError("--cert-expiry must be a date YYYY-MM-DD, not '" + args.one("cert-expiry") + "'");
    if (!has_jpki(p)) throw UsageError("--cert-expiry: persona " + p.id + " has no certificate");
    expires = " expires " + std::to_string(gateway::jst_end_of_day(*date));
  }
  require_root("insert");
  use_sandbox_pcscd(dir);
  // After a mid-flight removal (remove --after-apdus) the daemon's slot is free at once, but
  // pcscd notices only at its next presence poll: let it see the slot empty first, or it would
  // take the new card for the old one.
  if (slot_is_free(dir, slot)) wait_for_reader_state(reader_name(slot), SlotState::empty, 5000);
  control(dir, "insert " + std::to_string(slot) + " " + p.id + expires);
  wait_for_reader_state(reader_name(slot), SlotState::present, 5000);
  std::printf("slot %d (\"%s\"): %s inserted\n", slot, reader_name(slot).c_str(), p.id.c_str());
  return kOk;
}

int cmd_remove(int argc, char** argv) {
  const Args args(argc, argv, {"dir", "slot", "after-apdus"}, {});
  const int slot = parse_int(args.one("slot"), "--slot", 0, kMaxReaders - 1);
  const int after = args.has("after-apdus") ? parse_int(args.one("after-apdus"), "--after-apdus", 1, 1000000) : 0;
  const std::string dir = sandbox_dir(args);
  require_root("remove");
  if (after > 0) {  // armed: returns at once, the card goes when that APDU arrives
    control(dir, "remove " + std::to_string(slot) + " after " + std::to_string(after));
    std::printf("slot %d (\"%s\"): the card vanishes at APDU %d from now\n", slot, reader_name(slot).c_str(), after);
    return kOk;
  }
  control(dir, "remove " + std::to_string(slot));
  use_sandbox_pcscd(dir);
  wait_for_reader_state(reader_name(slot), SlotState::empty, 5000);
  std::printf("slot %d (\"%s\"): empty\n", slot, reader_name(slot).c_str());
  return kOk;
}

int cmd_restart_pcscd(int argc, char** argv) {
  const Args args(argc, argv, {"dir", "down-ms"}, {});
  const int down_ms = args.has("down-ms") ? parse_int(args.one("down-ms"), "--down-ms", 0, kMaxPcscdDownMs) : 0;
  const std::string dir = sandbox_dir(args);
  require_root("restart-pcscd");
  const auto t0 = std::chrono::steady_clock::now();
  control(dir, "restart-pcscd " + std::to_string(down_ms));
  // Back means: pcscd lists every reader again and sees the cards of the occupied slots.
  rapidjson::Document d;
  const std::string json = control(dir, "status");
  d.Parse(json.c_str());
  if (d.HasParseError() || !d.IsObject()) throw SandboxError("bad status reply: " + json);
  use_sandbox_pcscd(dir);
  wait_for_readers(2 * static_cast<std::size_t>(reader_entries(d["readers"].GetInt())), 5000);
  for (const auto& s : d["slots"].GetArray())
    if (s["persona"].IsString()) wait_for_reader_state(s["reader"].GetString(), SlotState::present, 5000);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  std::printf("pcscd in %s restarted (pid %d, %d ms down, back with readers and cards after %lld ms)\n",
              dir.c_str(), d["pcscd_pid"].GetInt(), down_ms, static_cast<long long>(ms.count()));
  return kOk;
}

int cmd_status(int argc, char** argv) {
  const Args args(argc, argv, {"dir"}, {"json"});
  const std::string dir = sandbox_dir(args);
  require_root("status");
  const auto reply = control_request(dir, "status");
  if (!reply || reply->rfind("ok ", 0) != 0) {
    std::printf("no sandbox is running in %s\n", dir.c_str());
    return kNotRunning;
  }
  const std::string json = reply->substr(3);
  if (args.has("json")) {
    std::printf("%s\n", json.c_str());
    return kOk;
  }
  rapidjson::Document d;
  d.Parse(json.c_str());
  if (d.HasParseError() || !d.IsObject()) throw SandboxError("bad status reply: " + json);
  use_sandbox_pcscd(dir);
  std::printf("sandbox in %s: daemon pid %d, pcscd pid %d, %d reader(s), APDU delay %d ms, %llu APDUs journaled\n",
              dir.c_str(), d["pid"].GetInt(), d["pcscd_pid"].GetInt(), d["readers"].GetInt(),
              d["apdu_delay_ms"].GetInt(), static_cast<unsigned long long>(d["apdus"].GetUint64()));
  for (const auto& s : d["slots"].GetArray()) {
    const std::string reader = s["reader"].GetString();
    std::printf("  slot %d  %-20s %-20s pcsc: %s\n", s["slot"].GetInt(), ("\"" + reader + "\"").c_str(),
                s["persona"].IsString() ? s["persona"].GetString() : "(empty)",
                describe_reader(reader).c_str());
  }
  std::printf("PCSCLITE_CSOCK_NAME=%s/run/pcscd.comm\n", dir.c_str());
  return kOk;
}

int cmd_down(int argc, char** argv) {
  const Args args(argc, argv, {"dir"}, {});
  const std::string dir = sandbox_dir(args);
  require_root("down");
  if (!daemon_alive(dir)) {
    stop_daemon(dir, true);  // clears leftovers of a crashed daemon
    std::printf("no sandbox is running in %s\n", dir.c_str());
    return kOk;
  }
  return stop_daemon(dir, false);
}

int cmd_personas(int argc, char** argv) {
  const Args args(argc, argv, {}, {"json", "secrets"});
  if (args.has("secrets")) {  // for the log scan (scripts/scan-logs.sh)
    rapidjson::StringBuffer sb;
    JsonWriter w(sb);
    write_persona_secrets(w);
    std::printf("%s\n", sb.GetString());
    return kOk;
  }
  if (args.has("json")) {
    rapidjson::StringBuffer sb;
    JsonWriter w(sb);
    w.StartObject();
    w.Key("personas");
    w.StartArray();
    for (const auto& p : persona_catalogue()) {
      w.StartObject();
      write_persona_fields(w, p);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    std::printf("%s\n", sb.GetString());
    return kOk;
  }
  std::printf("%-23s %-5s %s      %s\n", "PERSONA", "PIN", "照合番号B", "DESCRIPTION");
  for (const auto& p : persona_catalogue()) {
    const std::string b = collation_number_b(p);
    std::printf("%-23s %-5s %-14s %s\n%-23s %-5s %-14s %s\n", p.id.c_str(),
                p.pin.empty() ? "-" : p.pin.c_str(), b.empty() ? "-" : b.c_str(),
                p.description_ja.c_str(), "", "", "", p.description_en.c_str());
  }
  return kOk;
}

int cmd_app_text(int argc, char** argv) {
  const Args args(argc, argv, {"persona", "date"}, {"record"});
  const Persona& p = persona_arg(args.one("persona"));
  const std::string date = args.has("date") ? args.one("date") : "20261205";
  for (const auto& person : gateway::seed_insured_persons()) {
    if (person.person_id != p.id) continue;
    if (args.has("record")) {
      std::printf("%s\n", gateway::record_json(person).c_str());
      return kOk;
    }
    const auto text = gateway::render_app_text(person, date);
    if (!text) break;
    std::fputs(text->c_str(), stdout);
    return kOk;
  }
  std::fprintf(stderr, "onshi-sandbox: persona %s has no qualification to show\n", p.id.c_str());
  return kFailure;
}

int cmd_gateway_date(int argc, char** argv) {
  const Args args(argc, argv, {"dir", "days"}, {});
  const std::string dir = sandbox_dir(args);
  const int days = parse_int(args.one("days"), "--days", -3660, 3660);
  gateway::set_gateway_date_offset(dir, days);
  std::printf("gateway in %s: the certificate-expiry rule's date runs %d days %s\n", dir.c_str(), days < 0 ? -days : days,
              days < 0 ? "behind" : "ahead");
  return kOk;
}

int cmd_gateway_fault(int argc, char** argv) {
  const Args args(argc, argv, {"dir", "mode", "ms"}, {});
  const std::string dir = sandbox_dir(args);
  const std::string mode = args.one("mode");
  if (!gateway::valid_fault_mode(mode))
    throw UsageError(std::string("--mode must be ") + gateway::fault_modes_text() + ", not '" + mode + "'");
  // A clock may run days ahead (a planned end date passing); a delay beyond 10 min is a timeout.
  const int max_ms = mode == "skew" ? 7 * 24 * 3600 * 1000 : 600000;
  const int ms = args.has("ms") ? parse_int(args.one("ms"), "--ms", 0, max_ms) : (mode == "slow" ? 1000 : 0);
  gateway::set_gateway_fault(dir, mode, ms);
  std::printf("gateway in %s: fault %s%s\n", dir.c_str(), mode.c_str(),
              mode == "slow" || mode == "skew" ? (" (" + std::to_string(ms) + " ms)").c_str() : "");
  return kOk;
}

// The 資格確認端末 emulator's fault for the requests that arrive from now on.
int cmd_terminal_fault(int argc, char** argv) {
  const Args args(argc, argv, {"dir", "mode", "ms"}, {});
  const std::string dir = sandbox_dir(args);
  const std::string mode = args.one("mode");
  if (!terminal::valid_fault_mode(mode))
    throw UsageError(std::string("--mode must be ") + terminal::fault_modes_text() + ", not '" + mode + "'");
  const int ms = args.has("ms") ? parse_int(args.one("ms"), "--ms", 0, 600000) : (mode == "slow" ? 1000 : 0);
  terminal::set_terminal_fault(dir, mode, ms);
  std::printf("terminal emulator in %s: fault %s\n", dir.c_str(), mode.c_str());
  return kOk;
}

// A persona "checks in" at the face reader: its result lands in DIR/oqs/face.
int cmd_face_checkin(int argc, char** argv) {
  const Args args(argc, argv, {"dir", "persona", "encoding"}, {});
  const Persona& p = persona_arg(args.one("persona"));
  const std::string encoding = args.has("encoding") ? args.one("encoding") : "shift_jis";
  if (encoding != "shift_jis" && encoding != "utf-8") throw UsageError("--encoding must be shift_jis or utf-8");
  const std::string name = terminal::face_checkin(sandbox_dir(args), p.id, encoding == "shift_jis");
  std::printf("%s\n", name.c_str());
  return kOk;
}

// One card without pcscd, for a vpcd server of the caller's own (standalone_card.h).
int cmd_card(int argc, char** argv) {
  const Args args(argc, argv, {"dir", "persona", "port", "apdu-delay-ms"}, {});
  const Persona& p = persona_arg(args.one("persona"));
  const int port = parse_int(args.one("port"), "--port", 1, 65535);
  const int delay_ms = args.has("apdu-delay-ms") ? parse_int(args.one("apdu-delay-ms"), "--apdu-delay-ms", 0, 60000) : 0;
  return run_standalone_card(sandbox_dir(args), p.id, static_cast<std::uint16_t>(port), delay_ms);
}

}  // namespace

int run_cli(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  try {
    if (command == "up") return cmd_up(argc, argv);
    if (command == "insert") return cmd_insert(argc, argv);
    if (command == "remove") return cmd_remove(argc, argv);
    if (command == "restart-pcscd") return cmd_restart_pcscd(argc, argv);
    if (command == "status") return cmd_status(argc, argv);
    if (command == "down") return cmd_down(argc, argv);
    if (command == "personas") return cmd_personas(argc, argv);
    if (command == "app-text") return cmd_app_text(argc, argv);
    if (command == "gateway-fault") return cmd_gateway_fault(argc, argv);
    if (command == "gateway-date") return cmd_gateway_date(argc, argv);
    if (command == "card") return cmd_card(argc, argv);
    if (command == "terminal-fault") return cmd_terminal_fault(argc, argv);
    if (command == "face-checkin") return cmd_face_checkin(argc, argv);
    if (command == "terminal-serve") terminal::serve_main(argc, argv);  // internal: started by `up`
    if (command == "gateway-serve") gateway::serve_main(argc, argv);  // internal: started by `up`
    if (command == "help" || command == "--help" || command == "-h") {
      std::fputs(kUsageText, stdout);
      return kOk;
    }
    throw UsageError(command.empty() ? "no command given" : "unknown command '" + command + "'");
  } catch (const UsageError& e) {
    std::fprintf(stderr, "onshi-sandbox: %s\n%s", e.what(), kUsageText);
    return kUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "onshi-sandbox: %s\n", e.what());
    return kFailure;
  }
}

}  // namespace sandbox
