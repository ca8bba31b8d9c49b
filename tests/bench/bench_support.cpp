#include "bench_support.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

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

bool enroll(onshi_context *ctx, const std::string &dir) {
    rapidjson::Document setup;
    setup.Parse(read_all(dir + "/setup.json").c_str());
    if (!setup.IsObject()) {
        std::fprintf(stderr, "%s/setup.json is missing or malformed\n", dir.c_str());
        return false;
    }
    setup.RemoveMember("gateway_url");
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    setup.Accept(w);
    onshi_job_id job = 0;
    if (onshi_terminal_enroll(ctx, buf.GetString(), &job) != ONSHI_OK) {
        std::fprintf(stderr, "onshi_terminal_enroll: %s\n", onshi_last_error(ctx));
        return false;
    }
    onshi_status st = ONSHI_E_INTERNAL;
    if (onshi_job_wait(ctx, job, 30000, &st) != ONSHI_OK) st = ONSHI_E_GATEWAY_TIMEOUT;
    onshi_job_release(ctx, job);
    if (st != ONSHI_OK) std::fprintf(stderr, "enrollment at the sandbox gateway: %s\n", onshi_status_message(st, "en"));
    return st == ONSHI_OK;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

void print_figure(const char *name, double value) { std::printf("%s=%.2f\n", name, value); }

namespace {

// The verdict of a DONE check, and its timing breakdown when the result has one.
std::string verdict_of(onshi_context *ctx, onshi_job_id job, CheckRun &run) {
    onshi_result *r = nullptr;
    if (onshi_job_result(ctx, job, &r) != ONSHI_OK) return "";
    const char *json = nullptr;
    std::string verdict;
    if (onshi_result_json(r, &json) == ONSHI_OK && json) {
        rapidjson::Document d;
        d.Parse(json);
        if (d.IsObject() && d.HasMember("verdict") && d["verdict"].IsString()) verdict = d["verdict"].GetString();
        if (d.IsObject() && d.HasMember("timing") && d["timing"].IsObject()) {
            const auto &t = d["timing"];
            auto num = [&](const char *k) { return t.HasMember(k) && t[k].IsNumber() ? t[k].GetDouble() : -1.0; };
            run.card_ms = num("card_ms");
            run.warm_up_wait_ms = num("warm_up_wait_ms");
            run.network_ms = num("network_ms");
        }
    }
    onshi_result_free(r);
    return verdict;
}

}  // namespace

CheckRun run_check(onshi_context *ctx, const std::string &request_json, const char *secret) {
    CheckRun run;
    auto t0 = std::chrono::steady_clock::now();
    onshi_job_id job = 0;
    if (onshi_check_eligibility(ctx, request_json.c_str(), secret, &job) != ONSHI_OK) {
        run.text = onshi_last_error(ctx);
        return run;
    }
    for (int i = 0; i < 600; ++i) {  // up to a minute
        onshi_event e{};
        e.struct_size = sizeof e;
        if (onshi_poll_event(ctx, 100, &e) != ONSHI_OK || e.job != job) continue;
        if (e.type != ONSHI_EVENT_DONE && e.type != ONSHI_EVENT_FAILED && e.type != ONSHI_EVENT_CANCELLED) continue;
        run.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        run.text = std::string(onshi_status_message(e.status, "en")) + ": " + (e.text ? e.text : "");
        if (e.type == ONSHI_EVENT_DONE && e.status == ONSHI_OK) {
            std::string verdict = verdict_of(ctx, job, run);
            run.eligible = verdict == "eligible";
            run.text += " (verdict \"" + verdict + "\")";
        }
        break;
    }
    onshi_job_release(ctx, job);
    return run;
}

}  // namespace bench
