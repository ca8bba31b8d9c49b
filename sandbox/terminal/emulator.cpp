#include "terminal/emulator.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "common/bytes.h"
#include "common/process_files.h"
#include "gateway/insured_data.h"
#include "terminal/answer.h"

namespace sandbox::terminal {
namespace {

std::string oqs(const std::string& dir) { return dir + "/oqs"; }

std::string now_stamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char s[32];
  std::strftime(s, sizeof s, "%Y%m%d%H%M%S", &tm);
  return s;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Written whole under a hidden name, then renamed: what a careful terminal does.
void write_atomically(const std::string& folder, const std::string& name, const std::string& bytes) {
  const std::string temp = folder + "/.terminal-" + std::to_string(::getpid()) + ".tmp";
  write_file(temp, bytes, 0640);
  if (::rename(temp.c_str(), (folder + "/" + name).c_str()) != 0)
    throw SandboxError("cannot rename into " + folder + ": " + std::strerror(errno));
}

// Written in place under its final name (a reader may see it half-done).
void write_in_place(const std::string& path, const std::string& bytes, std::size_t first, int pause_ms) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return;
  if (::write(fd, bytes.data(), first) < 0) {
    ::close(fd);
    return;
  }
  if (pause_ms >= 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
    if (::write(fd, bytes.data() + first, bytes.size() - first) < 0) {
      ::close(fd);
      return;
    }
  }
  ::close(fd);
}

struct Fault {
  std::string mode = "none";
  int ms = 0;
};

Fault read_fault(const std::string& dir) {
  Fault f;
  const std::string text = slurp(oqs(dir) + "/fault.json");
  rapidjson::Document d;
  d.Parse(text.c_str());
  if (d.HasParseError() || !d.IsObject()) return f;
  if (d.HasMember("mode") && d["mode"].IsString()) f.mode = d["mode"].GetString();
  if (d.HasMember("ms") && d["ms"].IsInt()) f.ms = d["ms"].GetInt();
  return f;
}

void log_line(const std::string& text) {
  std::printf("%s %s\n", now_stamp().c_str(), text.c_str());  // file names and modes only: no personal data
  std::fflush(stdout);
}

void answer_one(const std::string& dir, const std::string& name, const std::vector<gateway::InsuredPerson>& persons) {
  const std::string req_path = oqs(dir) + "/req/" + name;
  const std::string id = name.substr(std::strlen("OQSsiquc01req_"), name.size() - std::strlen("OQSsiquc01req_") - 4);
  const std::string res_name = "OQSsiquc01res_" + id + ".xml";
  const std::string res_folder = oqs(dir) + "/res";
  const Fault fault = read_fault(dir);
  if (fault.mode == "silent") return;  // never answers; the request stays where it is
  const std::string bytes = slurp(req_path);
  const auto request = read_request(bytes);
  AnswerOptions options;
  options.now = now_stamp();
  options.shift_jis = fault.mode == "shift_jis";
  if (fault.mode == "error") options.error_code = "EMU0001";
  std::string answer;
  if (!request) {
    options.error_code = "EMU0002";  // a request the terminal cannot read is answered with an error
    answer = answer_xml({}, std::nullopt, options);
  } else {
    answer = answer_xml(*request, find_person(persons, *request), options);
  }
  if (fault.mode == "slow") std::this_thread::sleep_for(std::chrono::milliseconds(fault.ms));
  if (fault.mode == "malformed") answer = "<XmlMsg><MessageHeader><SegmentOfResult>1</Segment";
  if (fault.mode == "partial") {
    write_in_place(res_folder + "/" + res_name, answer, answer.size() / 2, -1);
  } else if (fault.mode == "pieces") {
    write_in_place(res_folder + "/" + res_name, answer, answer.size() / 2, fault.ms > 0 ? fault.ms : 100);
  } else {
    write_atomically(res_folder, res_name, answer);
  }
  ::unlink(req_path.c_str());  // the terminal took the request
  log_line("answered " + name + " with " + res_name + " (fault " + fault.mode + ")");
}

std::string letters(unsigned n) {
  std::string out(6, 'a');
  for (int i = 5; i >= 0; --i, n /= 26) out[static_cast<std::size_t>(i)] = static_cast<char>('a' + n % 26);
  return out;
}

volatile sig_atomic_t g_stop = 0;
void on_term(int) { g_stop = 1; }

}  // namespace

void make_folders(const std::string& dir) {
  for (const char* sub : {"", "/req", "/res", "/face"}) make_dirs(oqs(dir) + sub, 0770);
}

int start_terminal(const std::string& dir) {
  stop_terminal(dir);
  make_folders(dir);
  ::unlink((oqs(dir) + "/fault.json").c_str());
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child < 0) throw SandboxError("fork failed");
  if (child == 0) {
    const char* argv[] = {"onshi-sandbox", "terminal-serve", "--dir", dir.c_str(), nullptr};
    ::execv("/proc/self/exe", const_cast<char* const*>(argv));
    ::_exit(127);
  }
  write_file(oqs(dir) + "/terminal.pid", std::to_string(child) + "\n");
  return child;
}

void stop_terminal(const std::string& dir) {
  const std::string pid_file = oqs(dir) + "/terminal.pid";
  const auto pid = read_pid(pid_file);
  if (!pid) return;
  const auto ours = [&] {
    const std::string cmd = proc_cmdline(*pid);
    return cmd.find("terminal-serve") != std::string::npos && cmd.find(dir) != std::string::npos;
  };
  if (ours()) {
    ::kill(*pid, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (::kill(*pid, 0) == 0 && ours()) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(*pid, SIGKILL);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  ::unlink(pid_file.c_str());
}

bool valid_fault_mode(const std::string& mode) {
  for (const char* m : {"none", "slow", "silent", "malformed", "partial", "pieces", "shift_jis", "error"})
    if (mode == m) return true;
  return false;
}

const char* fault_modes_text() { return "none|slow|silent|malformed|partial|pieces|shift_jis|error"; }

void set_terminal_fault(const std::string& dir, const std::string& mode, int ms) {
  if (!valid_fault_mode(mode)) throw SandboxError("unknown terminal fault mode '" + mode + "'");
  const auto pid = read_pid(oqs(dir) + "/terminal.pid");
  if (!pid || proc_cmdline(*pid).find("terminal-serve") == std::string::npos)
    throw SandboxError("no terminal emulator is running in " + dir);
  write_file(oqs(dir) + "/fault.json.tmp", "{\"mode\":\"" + mode + "\",\"ms\":" + std::to_string(ms) + "}\n");
  ::rename((oqs(dir) + "/fault.json.tmp").c_str(), (oqs(dir) + "/fault.json").c_str());
}

std::string face_checkin(const std::string& dir, const std::string& persona_id, bool shift_jis) {
  make_folders(dir);
  for (const auto& p : gateway::seed_insured_persons()) {
    if (p.person_id != persona_id) continue;
    AnswerOptions o;
    o.now = now_stamp();
    o.shift_jis = shift_jis;
    o.reference = "1";  // a card read at the face reader
    const std::map<std::string, std::string> request = {{"LimitApplicationCertificateRelatedConsFlg", "1"}};
    const std::string xml = answer_xml(request, p, o);
    // The shape real terminals use: …face_<id>_<yyyyMMddHHmmss>.xml (docs/folder-interface.md).
    static unsigned counter = 0;
    for (;;) {
      // Letters between "face_" and the time stamp: no short run of digits that a log scan could
      // take for a persona's number.
      std::string name = "OQSsiquc01res_face_emu" + letters(static_cast<unsigned>(::getpid())) +
                               letters(counter++) + "_" + o.now + ".xml";
      struct stat st {};
      if (::stat((oqs(dir) + "/face/" + name).c_str(), &st) == 0) continue;
      write_atomically(oqs(dir) + "/face", name, xml);
      return name;
    }
  }
  throw SandboxError("persona '" + persona_id + "' has no insured-person record");
}

void serve_main(int argc, char** argv) {
  std::string dir;
  for (int i = 2; i + 1 < argc; i += 2)
    if (std::string(argv[i]) == "--dir") dir = argv[i + 1];
  if (dir.empty()) {
    std::fprintf(stderr, "terminal-serve is started by 'onshi-sandbox up'\n");
    ::_exit(2);
  }
  ::setsid();
  const int log = ::open((oqs(dir) + "/terminal.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  const int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull >= 0) ::dup2(devnull, 0);
  if (log >= 0) {
    ::dup2(log, 1);
    ::dup2(log, 2);
  }
  struct sigaction sa {};
  sa.sa_handler = on_term;
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  const std::vector<gateway::InsuredPerson> persons = gateway::seed_insured_persons();
  log_line("terminal emulator ready in " + oqs(dir));
  const std::string req = oqs(dir) + "/req";
  while (!g_stop) {
    std::vector<std::string> names;
    if (DIR* d = ::opendir(req.c_str())) {
      while (const dirent* e = ::readdir(d)) {
        const std::string n = e->d_name;
        if (n.rfind("OQSsiquc01req_", 0) == 0 && n.size() > 18 && n.compare(n.size() - 4, 4, ".xml") == 0)
          names.push_back(n);
      }
      ::closedir(d);
    }
    for (const auto& n : names) {
      try {
        answer_one(dir, n, persons);
      } catch (const std::exception& e) {
        log_line("cannot answer " + n + ": " + e.what());
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  log_line("terminal emulator stopped");
  ::_exit(0);
}

}  // namespace sandbox::terminal
