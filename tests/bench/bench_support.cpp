#include "bench_support.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

namespace bench {

std::string read_all(const std::string &path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::size_t count_lines(const std::string &path, const std::string &needle) {
    std::ifstream in(path);
    std::size_t n = 0;
    for (std::string l; std::getline(in, l);) n += l.find(needle) != std::string::npos;
    return n;
}

int Sandbox::run(const std::string &args) const {
    std::string cmd = bin_ + " " + args + " --dir " + dir_ + " >/dev/null 2>&1";
    return std::system(cmd.c_str());
}

bool Sandbox::up(const std::string &args) {
    if (run("down") != 0) std::fprintf(stderr, "note: a previous sandbox in %s did not go down cleanly\n", dir_.c_str());
    std::system(("rm -rf " + dir_ + "/terminal " + dir_ + "/gateway").c_str());
    std::remove((dir_ + "/plugin.log").c_str());
    if (run("up " + args) != 0) {
        std::fprintf(stderr, "onshi-sandbox up %s failed; see %s/sandbox.log\n", args.c_str(), dir_.c_str());
        return false;
    }
    setenv("PCSCLITE_CSOCK_NAME", (dir_ + "/run/pcscd.comm").c_str(), 1);
    return true;
}

void Sandbox::down() { run("down"); }

std::string Sandbox::personas_json() const {
    std::string out;
    std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen((bin_ + " personas --json").c_str(), "r"), pclose);
    char buf[4096];
    while (pipe && std::fgets(buf, sizeof buf, pipe.get())) out += buf;
    return out;
}

std::string Sandbox::persona_field(const std::string &persona, const std::string &field) const {
    rapidjson::Document d;
    d.Parse(personas_json().c_str());
    if (!d.IsObject() || !d.HasMember("personas") || !d["personas"].IsArray()) return "";
    for (const auto &p : d["personas"].GetArray()) {
        if (!p.IsObject() || !p.HasMember("id") || !p["id"].IsString() || persona != p["id"].GetString()) continue;
        if (p.HasMember(field.c_str()) && p[field.c_str()].IsString()) return p[field.c_str()].GetString();
    }
    return "";
}

std::size_t Sandbox::journal_apdus(int slot) const {
    std::ifstream in(dir_ + "/apdu.jsonl");
    const std::string needle = "\"slot\":" + std::to_string(slot) + ",";
    std::size_t n = 0;
    for (std::string l; std::getline(in, l);) n += slot < 0 || l.find(needle) != std::string::npos;
    return n;
}

std::size_t Sandbox::auth_certificate_size(const std::string &persona) const {
    std::unique_ptr<FILE, int (*)(FILE *)> f(std::fopen((dir_ + "/personas/" + persona + "/auth.cert.pem").c_str(), "r"),
                                             std::fclose);
    if (!f) return 0;
    X509 *cert = PEM_read_X509(f.get(), nullptr, nullptr, nullptr);
    if (!cert) return 0;
    int n = i2d_X509(cert, nullptr);
    X509_free(cert);
    return n > 0 ? static_cast<std::size_t>(n) : 0;
}

int Sandbox::gateway_port() const {
    rapidjson::Document cfg;
    cfg.Parse(read_all(dir_ + "/plugin.json").c_str());
    if (!cfg.IsObject() || !cfg.HasMember("gateway") || !cfg["gateway"].IsObject() || !cfg["gateway"].HasMember("url") ||
        !cfg["gateway"]["url"].IsString())
        return 0;
    std::string url = cfg["gateway"]["url"].GetString();
    auto colon = url.rfind(':');
    return colon == std::string::npos ? 0 : std::atoi(url.c_str() + colon + 1);
}

std::string plugin_config(const std::string &dir, int relay_port) {
    rapidjson::Document cfg;
    cfg.Parse(read_all(dir + "/plugin.json").c_str());
    if (!cfg.IsObject() || !cfg.HasMember("gateway") || !cfg["gateway"].IsObject() || !cfg.HasMember("credential_dir"))
        return "";
    auto &a = cfg.GetAllocator();
    cfg.RemoveMember("locale");
    cfg.AddMember("locale", "en", a);
    cfg.RemoveMember("card_wait_ms");
    cfg.AddMember("card_wait_ms", 5000, a);
    cfg.RemoveMember("log");
    rapidjson::Value log(rapidjson::kObjectType);
    log.AddMember("file", rapidjson::Value((dir + "/plugin.log").c_str(), a), a);
    log.AddMember("level", "info", a);
    cfg.AddMember("log", log, a);
    if (relay_port > 0) {
        auto &gw = cfg["gateway"];
        gw.RemoveMember("url");
        gw.AddMember("url", rapidjson::Value(("https://127.0.0.1:" + std::to_string(relay_port)).c_str(), a), a);
    }
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    cfg.Accept(w);
    return buf.GetString();
}

std::string setup_json(const std::string &dir) {
    rapidjson::Document setup;
    setup.Parse(read_all(dir + "/setup.json").c_str());
    if (!setup.IsObject()) return "";
    setup.RemoveMember("gateway_url");
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    setup.Accept(w);
    return buf.GetString();
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

void print_figure(const char *name, double value) { std::printf("%s=%.2f\n", name, value); }

namespace {

bool apply_option(const std::vector<Option> &options, const std::string &name, const std::string &value) {
    for (const Option &o : options) {
        if (name != o.name) continue;
        if (!o.number) {
            *o.text = value;
            return true;
        }
        char *end = nullptr;
        const long n = std::strtol(value.c_str(), &end, 10);
        if (value.empty() || *end != '\0' || n < o.min || n > o.max) return false;
        *o.number = static_cast<int>(n);
        return true;
    }
    return false;
}

}  // namespace

int sandbox_main(const char *program, const char *usage, int argc, char **argv, std::initializer_list<Option> options,
                 const std::string &sandbox_bin, const std::string &sandbox_dir,
                 const std::function<int(Sandbox &)> &run) {
    const std::vector<Option> known(options);
    for (int i = 1; i < argc; i += 2) {
        const std::string name = argv[i];
        const char *why = i + 1 >= argc                              ? "missing value for"
                          : !apply_option(known, name, argv[i + 1]) ? "bad argument"
                                                                     : nullptr;
        if (why) {
            std::fprintf(stderr, "%s: %s %s%s%s\nusage: %s %s\n", program, why, name.c_str(), i + 1 < argc ? " " : "",
                         i + 1 < argc ? argv[i + 1] : "", program, usage);
            return 2;
        }
    }
    if (geteuid() != 0) {
        std::printf("skipped: the sandbox needs root (private namespaces for pcscd)\n");
        return 77;
    }
    Sandbox sb(sandbox_bin, sandbox_dir);
    try {
        return run(sb);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "%s: %s\n", program, e.what());
        sb.down();
        return 1;
    }
}

}  // namespace bench
