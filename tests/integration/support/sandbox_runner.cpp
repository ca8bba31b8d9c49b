#include "sandbox_runner.h"

#include <rapidjson/document.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace onshi::it {

std::string read_all(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_all(const std::string &path, const std::string &text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

std::string output_of(const std::string &command) {
    std::string out;
    if (FILE *p = popen(command.c_str(), "r")) {
        char buf[4096];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
        pclose(p);
    }
    return out;
}

std::size_t count_of(const std::string &text, const std::string &what) {
    std::size_t n = 0;
    for (std::size_t p = 0; (p = text.find(what, p)) != std::string::npos; p += what.size()) ++n;
    return n;
}

int SandboxRunner::run(const std::string &args) const {
    const std::string cmd = binary_ + " " + args + " --dir " + dir_ + " >/dev/null 2>&1";
    return std::system(cmd.c_str());
}

bool SandboxRunner::up(const std::string &up_args, const std::string &fresh) const {
    down();
    std::istringstream names(fresh);
    for (std::string name; names >> name;) std::system(("rm -rf " + dir_ + "/" + name).c_str());
    const bool ok = run("up " + up_args) == 0;
    use_pcscd();
    return ok;
}

void SandboxRunner::use_pcscd() const { setenv("PCSCLITE_CSOCK_NAME", (dir_ + "/run/pcscd.comm").c_str(), 1); }

int SandboxRunner::insert(int slot, const std::string &persona) const {
    return run("insert --slot " + std::to_string(slot) + " --persona " + persona);
}

int SandboxRunner::remove(int slot) const { return run("remove --slot " + std::to_string(slot)); }

int SandboxRunner::put_card(int slot, const std::string &persona) const {
    remove(slot);
    return insert(slot, persona);
}

int SandboxRunner::gateway_fault(const std::string &mode, int ms) const {
    return run("gateway-fault --mode " + mode + (ms >= 0 ? " --ms " + std::to_string(ms) : ""));
}

namespace {

std::string gateway_member(const std::string &dir, const char *name) {
    rapidjson::Document d;
    d.Parse(read_all(dir + "/plugin.json").c_str());
    if (!d.IsObject() || !d.HasMember("gateway") || !d["gateway"].IsObject()) return "";
    const auto &g = d["gateway"];
    return g.HasMember(name) && g[name].IsString() ? g[name].GetString() : "";
}

}  // namespace

std::string SandboxRunner::gateway_url() const { return gateway_member(dir_, "url"); }
std::string SandboxRunner::gateway_ca() const { return gateway_member(dir_, "ca_file"); }

std::size_t SandboxRunner::gateway_requests(const std::string &endpoint) const {
    return count_of(read_all(dir_ + "/gateway/requests.jsonl"), R"("endpoint":")" + endpoint + "\"");
}

}  // namespace onshi::it
