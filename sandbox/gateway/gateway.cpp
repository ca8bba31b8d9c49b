#include "gateway/gateway.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <iterator>
#include <limits>
#include <string_view>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/bytes.h"
#include "common/number.h"
#include "common/process_files.h"
#include "common/test_ca.h"
#include "gateway/gateway_pki.h"
#include "gateway/http_server.h"
#include "gateway/insured_data.h"
#include "gateway/registry.h"
#include "gateway/service.h"

namespace sandbox::gateway {

namespace {

std::string gw_dir(const std::string& dir) { return dir + "/gateway"; }

bool is_our_gateway(int pid, const std::string& dir) {
  const std::string cmd = proc_cmdline(pid);
  return cmd.find("gateway-serve") != std::string::npos && cmd.find("--dir " + dir + " ") != std::string::npos;
}

// The user who ran `sudo onshi-sandbox up` (so a non-root host can use the terminal directory
// and read setup.json); nothing when not under sudo.
void give_to_sudo_user(const std::string& path) {
  const char* uid_text = std::getenv("SUDO_UID");
  const char* gid_text = std::getenv("SUDO_GID");
  if (uid_text == nullptr || gid_text == nullptr || ::geteuid() != 0) return;
  // -1 is chown's "leave as is", never an owner.
  const auto uid = parse_number<uid_t>(uid_text, 0, std::numeric_limits<uid_t>::max() - 1);
  const auto gid = parse_number<gid_t>(gid_text, 0, std::numeric_limits<gid_t>::max() - 1);
  if (!uid || !gid) {
    std::fprintf(stderr, "gateway: SUDO_UID/SUDO_GID ('%s', '%s') are not a user and group; %s stays root's\n",
                 uid_text, gid_text, path.c_str());
    return;
  }
  const int rc = ::chown(path.c_str(), *uid, *gid);
  (void)rc;
}

std::string random_password(std::size_t n) {
  static constexpr char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  Bytes b(n);
  RAND_bytes(b.data(), static_cast<int>(b.size()));
  std::string out;
  for (auto c : b) out.push_back(alphabet[c % (sizeof alphabet - 1)]);
  return out;
}

std::string key_pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  std::string s(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return s;
}

// personas.json: persona id -> auth_cert serial.
std::vector<std::pair<std::string, std::string>> card_links(const std::string& dir) {
  const Bytes b = read_file(dir + "/personas.json");
  rapidjson::Document d;
  d.Parse(reinterpret_cast<const char*>(b.data()), b.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("personas") || !d["personas"].IsArray())
    throw SandboxError("cannot read " + dir + "/personas.json");
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : d["personas"].GetArray()) {
    if (!p.IsObject() || !p.HasMember("auth_cert") || !p["auth_cert"].IsObject()) continue;
    out.emplace_back(p["auth_cert"]["serial"].GetString(), p["id"].GetString());
  }
  return out;
}

void write_json_file(const std::string& path, const std::function<void(rapidjson::Writer<rapidjson::StringBuffer>&)>& f,
                     unsigned mode) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  f(w);
  write_file(path, std::string(sb.GetString(), sb.GetSize()) + "\n", mode);
}

void report(int fd, const std::string& line) {
  const std::string text = line + "\n";
  const ssize_t n = ::write(fd, text.data(), text.size());
  (void)n;
}

}  // namespace

namespace {

constexpr const char* kFaultModes[] = {"none",   "slow",      "timeout", "http500",         "malformed",    "close",
                                       "oversized", "skew", "refuse",  "wrong-host-cert", "expired-cert", "tls1.1",
                                       "result-error", "processing-error"};

// True when something accepts TCP connections on 127.0.0.1:port.
bool port_accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// The gateway's port from DIR/setup.json ("gateway_url": "https://127.0.0.1:PORT"); 0 if unknown.
int gateway_port(const std::string& dir) {
  try {
    const Bytes b = read_file(dir + "/setup.json");
    rapidjson::Document d;
    d.Parse(reinterpret_cast<const char*>(b.data()), b.size());
    if (!d.IsObject() || !d.HasMember("gateway_url") || !d["gateway_url"].IsString()) return 0;
    const std::string url = d["gateway_url"].GetString();
    return parse_number(std::string_view(url).substr(url.rfind(':') + 1), 1, 65535).value_or(0);
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

bool valid_fault_mode(const std::string& m) {
  return std::find(std::begin(kFaultModes), std::end(kFaultModes), m) != std::end(kFaultModes);
}

const char* fault_modes_text() {
  return "none, slow, timeout, http500, malformed, close, oversized, skew, refuse, wrong-host-cert, expired-cert, "
         "tls1.1, result-error or processing-error";
}

GatewayStarted start_gateway(const std::string& dir, int terminals_allowed, int net_delay_ms) {
  stop_gateway(dir);
  make_dirs(gw_dir(dir), 0755);
  ::unlink((gw_dir(dir) + "/fault.json").c_str());
  ::unlink((gw_dir(dir) + "/date.json").c_str());
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw SandboxError("pipe failed");
  const std::vector<std::string> args = {"onshi-sandbox", "gateway-serve", "--dir", dir,
                                         "--terminals-allowed", std::to_string(terminals_allowed),
                                         "--net-delay-ms", std::to_string(net_delay_ms),
                                         "--ready-fd", std::to_string(fds[1])};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child < 0) throw SandboxError("fork failed");
  if (child == 0) {
    ::close(fds[0]);
    ::fcntl(fds[1], F_SETFD, 0);  // keep the ready pipe across exec
    ::execv("/proc/self/exe", argv.data());
    report(fds[1], std::string("error cannot exec the gateway: ") + std::strerror(errno));
    ::_exit(127);
  }
  ::close(fds[1]);
  const std::string reply = read_ready_report(fds[0]);
  if (reply.rfind("ok ", 0) != 0) {
    int status = 0;
    ::waitpid(child, &status, WNOHANG);
    throw SandboxError("the gateway did not start: " + (reply.empty() ? std::string("it exited") : reply) +
                       " (see " + gw_dir(dir) + "/gateway.log)");
  }
  const auto port = parse_number(std::string_view(reply).substr(3), 1, 65535);
  if (!port)
    throw SandboxError("the gateway did not start: " + bad_number_message("its port", reply.substr(3), 1, 65535));
  GatewayStarted g;
  g.pid = child;
  g.port = *port;
  g.url = "https://127.0.0.1:" + std::to_string(g.port);
  return g;
}

void stop_gateway(const std::string& dir) {
  const std::string pid_file = gw_dir(dir) + "/gateway.pid";
  const auto pid = read_pid(pid_file);
  if (!pid) return;
  if (is_our_gateway(*pid, dir)) {
    ::kill(*pid, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (::kill(*pid, 0) == 0 && is_our_gateway(*pid, dir)) {
      ::waitpid(*pid, nullptr, WNOHANG);  // reaps it when we are its parent (a failed `up`)
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(*pid, SIGKILL);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  ::unlink(pid_file.c_str());
}

void set_gateway_date_offset(const std::string& dir, int days) {
  const auto pid = read_pid(gw_dir(dir) + "/gateway.pid");
  if (!pid || !is_our_gateway(*pid, dir)) throw SandboxError("no gateway is running in " + dir);
  write_json_file(gw_dir(dir) + "/date.json", [&](auto& w) {
    w.StartObject();
    w.Key("days");
    w.Int(days);
    w.EndObject();
  }, 0644);
}

void set_gateway_fault(const std::string& dir, const std::string& mode, int ms) {
  if (!valid_fault_mode(mode)) throw SandboxError("unknown fault mode '" + mode + "'");
  const auto pid = read_pid(gw_dir(dir) + "/gateway.pid");
  if (!pid || !is_our_gateway(*pid, dir)) throw SandboxError("no gateway is running in " + dir);
  write_json_file(gw_dir(dir) + "/fault.json", [&](auto& w) {
    w.StartObject();
    w.Key("mode");
    w.String(mode.c_str());
    w.Key("ms");
    w.Int(ms);
    w.EndObject();
  }, 0644);
  // The listener follows refuse on its own timer: return once the port says so.
  const int port = gateway_port(dir);
  if (port == 0) return;
  const bool want_open = mode != "refuse";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (port_accepts(port) != want_open) {
    if (std::chrono::steady_clock::now() > deadline)
      throw SandboxError(std::string("the gateway did not ") + (want_open ? "listen again" : "stop listening") +
                         " on port " + std::to_string(port));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void serve_main(int argc, char** argv) {
  std::string dir;
  int allowed = 2, delay = 0, ready_fd = -1;
  // start_gateway passes numbers `up` has checked: a bad one here is a bug, said before any work.
  const auto number = [](const std::string& option, const std::string& text) {
    const auto n = parse_number(text, 0, std::numeric_limits<int>::max());
    if (!n) {
      std::fprintf(stderr, "onshi-sandbox: gateway-serve: %s\n",
                   bad_number_message(option, text, 0, std::numeric_limits<int>::max()).c_str());
      ::_exit(2);
    }
    return *n;
  };
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--dir") dir = v;
    else if (k == "--terminals-allowed") allowed = number(k, v);
    else if (k == "--net-delay-ms") delay = number(k, v);
    else if (k == "--ready-fd") ready_fd = number(k, v);
  }
  if (dir.empty() || ready_fd < 0) {
    std::fprintf(stderr, "gateway-serve is started by 'onshi-sandbox up'\n");
    ::_exit(2);
  }
  ::setsid();
  const std::string gdir = gw_dir(dir);
  const int log = ::open((gdir + "/gateway.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull >= 0) ::dup2(devnull, 0);
  if (log >= 0) {
    ::dup2(log, 1);
    ::dup2(log, 2);
  }
  std::signal(SIGPIPE, SIG_IGN);
  try {
    make_dirs(gdir, 0755);
    make_dirs(dir + "/terminal", 0700);
    give_to_sudo_user(dir + "/terminal");
    const CaMaterial gateway_ca = load_or_create_ca(gdir + "/ca.key.pem", gdir + "/ca.pem", "onshi sandbox gateway CA");
    const CaMaterial terminal_ca =
        load_or_create_ca(gdir + "/terminal-ca.key.pem", gdir + "/terminal-ca.pem", "onshi sandbox terminal CA");
    load_or_create_ca(gdir + "/other-ca.key.pem", gdir + "/other-ca.pem", "onshi sandbox OTHER CA (signs nothing)");
    const PkeyPtr server_key = load_or_generate_key(gdir + "/server.key.pem");
    const std::string server_cert = issue_server_cert_pem(gateway_ca, server_key.get());
    write_file(gdir + "/server.pem", server_cert);
    auto clock_skew_s = std::make_shared<std::atomic<std::int64_t>>(0);
    auto date_offset_days = std::make_shared<std::atomic<std::int64_t>>(0);

    Registry registry(gdir + "/registry.sqlite");
    const std::string password = random_password(16);
    registry.upsert_facility(Facility{kFacilityCode, "試験クリニック（サンドボックス）", kEnrollmentId, allowed}, password);
    std::vector<std::pair<std::string, std::string>> links;
    const auto persons = seed_insured_persons();
    for (const auto& [serial, persona] : card_links(dir))
      for (const auto& p : persons)
        if (p.person_id == persona) links.emplace_back(serial, persona);
    registry.replace_insured_persons(persons, links);

    ServiceSetup setup;
    setup.facility_code = kFacilityCode;
    setup.terminal_ca = terminal_ca;
    setup.jpki_ca = parse_cert_pem_file(dir + "/ca/ca.cert.pem");
    if (!setup.jpki_ca) throw SandboxError("cannot read " + dir + "/ca/ca.cert.pem");
    setup.crl = parse_crl_pem_file(dir + "/ca/crl.pem");
    setup.clock = [clock_skew_s] { return static_cast<std::int64_t>(std::time(nullptr)) + clock_skew_s->load(); };
    setup.calendar = [clock = setup.clock, date_offset_days] { return clock() + date_offset_days->load() * 86400; };
    if (X509_CRL_verify(setup.crl.get(), X509_get0_pubkey(setup.jpki_ca.get())) != 1)
      throw SandboxError("DIR/ca/crl.pem is not signed by the JPKI test CA");
    Service service(registry, setup);

    write_file(gdir + "/requests.jsonl", std::string());
    ServerOptions o;
    o.dir = dir;
    o.net_delay_ms = delay;
    o.cert_pem = server_cert;
    o.wrong_host_cert_pem = issue_server_cert_pem(gateway_ca, server_key.get(), ServerCertVariant::wrong_host);
    o.expired_cert_pem = issue_server_cert_pem(gateway_ca, server_key.get(), ServerCertVariant::expired);
    o.clock_skew_s = clock_skew_s;
    o.date_offset_days = date_offset_days;
    o.key_pem = key_pem(server_key.get());
    o.terminal_ca = &terminal_ca;
    run_https_server(service, o, [&](int port) {
      const std::string url = "https://127.0.0.1:" + std::to_string(port);
      write_json_file(dir + "/setup.json", [&](auto& w) {
        w.StartObject();
        w.Key("facility_code");
        w.String(kFacilityCode);
        w.Key("enrollment_id");
        w.String(kEnrollmentId);
        w.Key("setup_password");
        w.String(password.c_str());
        w.Key("gateway_url");
        w.String(url.c_str());
        w.EndObject();
      }, 0600);
      give_to_sudo_user(dir + "/setup.json");
      write_file(gdir + "/gateway.pid", std::to_string(::getpid()) + "\n");
      std::fprintf(stderr, "gateway listening on %s (pid %d, terminals allowed %d, net delay %d ms)\n",
                   url.c_str(), ::getpid(), allowed, delay);
      report(ready_fd, "ok " + std::to_string(port));
      ::close(ready_fd);
    });
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gateway: %s\n", e.what());
    report(ready_fd, std::string("error ") + e.what());
    ::_exit(1);
  }
  std::fprintf(stderr, "gateway stopped\n");
  std::fflush(nullptr);
  ::unlink((gdir + "/gateway.pid").c_str());
  ::_exit(0);
}

}  // namespace sandbox::gateway
