// onshi_card_phase_bench: whole eligibility checks (card phase + gateway round trip) through the
// C ABI against its own sandbox (a private pcscd, a vpcd reader, a virtual My Number Card, the
// reference gateway over mutual TLS).
//   onshi_card_phase_bench [--checks M] [--apdu-delay-ms MS] [--net-delay-ms MS] [--dir DIR] [--sandbox PATH]
// Opens the context from the sandbox's DIR/plugin.json (a fresh facility: DIR/terminal and
// DIR/gateway are deleted before `up`), enrolls the terminal with DIR/setup.json, runs M PIN checks
// (PIN given up front) and one visual check with the photo, each of which must end DONE with the
// verdict "eligible", and prints one name=value per line:
//   pin_check_apdus             APDUs of one PIN check, counted in the sandbox's journal
//   pin_check_apdus_min         card-protocol.md §5: 7 + ceil(N/256) + 2 (token check), N = DER
//                               size of DIR/personas/valid-honnin/auth.cert.pem
//   pin_check_ms_median         submit -> DONE (card phase, overlapped TLS warm-up, and the
//   pin_check_ms_p90            POST /v1/confirmations round trip)
//   visual_check_apdus          APDUs of one visual check with the photo and 照合番号B
//   visual_check_ms
//   pin_check_card_ms_median, pin_check_warm_up_wait_ms_median, pin_check_network_ms_median
//                               the result's "timing" breakdown, printed only when it is there
//   tls_connects                TLS connections the plugin opened for the M + 1 checks (its log,
//                               "gateway: TLS connection opened"; enrollment excluded)
//   gateway_requests            requests the gateway logged for those checks (DIR/gateway/requests.jsonl:
//                               a confirmation per check, and a warm-up health check only when no
//                               connection carried a request in the last 20 s: M + 2 here)
// Exit 0 with the figures; 1 when enrollment fails, a check does not end DONE/eligible or a
// figure is missing; 2 on bad arguments; 77 without root (the sandbox needs namespaces). Timings
// never fail it.
#include <onshi/onshi.h>

#include <openssl/pem.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Options {
    int checks = 20;
    int apdu_delay_ms = 0;
    int net_delay_ms = 0;
    std::string dir = ONSHI_BENCH_DIR;
    std::string sandbox = ONSHI_SANDBOX_BIN;
};

Options g;

int sandbox(const std::string &args) {
    std::string cmd = g.sandbox + " " + args + " --dir " + g.dir + " >/dev/null 2>&1";
    return std::system(cmd.c_str());
}

std::string sandbox_output(const std::string &args) {
    std::string out;
    std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen((g.sandbox + " " + args).c_str(), "r"), pclose);
    char buf[4096];
    while (pipe && std::fgets(buf, sizeof buf, pipe.get())) out += buf;
    return out;
}

// A string field of the persona `id` in `personas --json` (the catalogue is flat and fixed).
std::string persona_field(const std::string &json, const std::string &id, const std::string &field) {
    std::size_t at = json.find("\"id\":\"" + id + "\"");
    if (at == std::string::npos) return "";
    std::size_t end = json.find('}', at);
    std::size_t f = json.find("\"" + field + "\":\"", at);
    if (f == std::string::npos || f > end) return "";
    f += field.size() + 4;
    return json.substr(f, json.find('"', f) - f);
}

std::string read_all(const std::string &path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Lines of `path` that contain `needle`.
std::size_t count_lines(const std::string &path, const std::string &needle) {
    std::ifstream in(path);
    std::size_t n = 0;
    for (std::string l; std::getline(in, l);) n += l.find(needle) != std::string::npos;
    return n;
}

std::size_t tls_connects() { return count_lines(g.dir + "/plugin.log", "gateway: TLS connection opened"); }
std::size_t gateway_requests() { return count_lines(g.dir + "/gateway/requests.jsonl", "\"endpoint\""); }

// DIR/plugin.json (gateway url, ca_file, credential_dir) with English, a card wait, and an
// info-level log file (the only place the plugin says when it opens a TLS connection).
std::string plugin_config() {
    rapidjson::Document cfg;
    cfg.Parse(read_all(g.dir + "/plugin.json").c_str());
    if (!cfg.IsObject() || !cfg.HasMember("gateway") || !cfg.HasMember("credential_dir")) return "";
    auto &a = cfg.GetAllocator();
    cfg.RemoveMember("locale");
    cfg.AddMember("locale", "en", a);
    cfg.RemoveMember("card_wait_ms");
    cfg.AddMember("card_wait_ms", 5000, a);
    cfg.RemoveMember("log");
    rapidjson::Value log(rapidjson::kObjectType);
    log.AddMember("file", rapidjson::Value((g.dir + "/plugin.log").c_str(), a), a);
    log.AddMember("level", "info", a);
    cfg.AddMember("log", log, a);
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    cfg.Accept(w);
    return buf.GetString();
}

std::size_t journal_apdus() {
    std::ifstream in(g.dir + "/apdu.jsonl");
    std::size_t n = 0;
    for (std::string l; std::getline(in, l);) n += l.find("\"slot\":0,") != std::string::npos;
    return n;
}

std::size_t auth_certificate_size(const std::string &persona) {
    std::unique_ptr<FILE, int (*)(FILE *)> f(std::fopen((g.dir + "/personas/" + persona + "/auth.cert.pem").c_str(), "r"), std::fclose);
    if (!f) return 0;
    X509 *cert = PEM_read_X509(f.get(), nullptr, nullptr, nullptr);
    if (!cert) return 0;
    int n = i2d_X509(cert, nullptr);
    X509_free(cert);
    return n > 0 ? static_cast<std::size_t>(n) : 0;
}

struct Run {
    bool done = false;  // DONE with verdict "eligible"
    double ms = 0;
    std::size_t apdus = 0;
    std::string text;
    // The result's "timing" member (ms), when the plugin provides one (gateway-protocol.md §4).
    bool has_timing = false;
    double card_ms = 0, warm_up_wait_ms = 0, network_ms = 0;
};

// The verdict of a DONE check, and its timing breakdown when the result has one.
std::string verdict_of(onshi_context *ctx, onshi_job_id job, Run &run) {
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
            run.has_timing = run.card_ms >= 0 && run.warm_up_wait_ms >= 0 && run.network_ms >= 0;
        }
    }
    onshi_result_free(r);
    return verdict;
}

// One check: submit, poll until its final event (the timing stops there), then its verdict.
Run run_check(onshi_context *ctx, const char *request, const char *secret) {
    Run run;
    std::size_t before = journal_apdus();
    auto t0 = std::chrono::steady_clock::now();
    onshi_job_id job = 0;
    if (onshi_check_eligibility(ctx, request, secret, &job) != ONSHI_OK) {
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
            run.done = verdict == "eligible";
            run.text += " (verdict \"" + verdict + "\")";
        }
        break;
    }
    run.apdus = journal_apdus() - before;
    onshi_job_release(ctx, job);
    return run;
}

double percentile(std::vector<double> v, double p) {  // nearest rank
    std::sort(v.begin(), v.end());
    std::size_t rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

int usage(const char *why) {
    std::fprintf(stderr, "onshi_card_phase_bench: %s\nusage: onshi_card_phase_bench [--checks M] [--apdu-delay-ms MS] "
                         "[--net-delay-ms MS] [--dir DIR] [--sandbox PATH]\n", why);
    return 2;
}

bool enroll(onshi_context *ctx) {
    onshi_job_id job = 0;
    if (onshi_terminal_enroll(ctx, read_all(g.dir + "/setup.json").c_str(), &job) != ONSHI_OK) {
        std::fprintf(stderr, "onshi_terminal_enroll: %s\n", onshi_last_error(ctx));
        return false;
    }
    onshi_status st = ONSHI_E_INTERNAL;
    if (onshi_job_wait(ctx, job, 30000, &st) != ONSHI_OK) st = ONSHI_E_GATEWAY_TIMEOUT;
    onshi_job_release(ctx, job);
    if (st != ONSHI_OK) std::fprintf(stderr, "enrollment at the sandbox gateway: %s\n", onshi_status_message(st, "en"));
    return st == ONSHI_OK;
}

int bench() {
    if (sandbox("down") != 0) std::fprintf(stderr, "note: a previous sandbox in %s did not go down cleanly\n", g.dir.c_str());
    // A fresh facility (no terminal yet), so enrolling never meets the terminal limit.
    std::system(("rm -rf " + g.dir + "/terminal " + g.dir + "/gateway").c_str());
    std::remove((g.dir + "/plugin.log").c_str());
    std::string up = "up --readers 1 --card 0=valid-honnin --apdu-delay-ms " + std::to_string(g.apdu_delay_ms);
    if (g.net_delay_ms > 0) up += " --net-delay-ms " + std::to_string(g.net_delay_ms);
    if (sandbox(up) != 0) {
        std::fprintf(stderr, "onshi-sandbox up failed; see %s/sandbox.log\n", g.dir.c_str());
        return 1;
    }
    setenv("PCSCLITE_CSOCK_NAME", (g.dir + "/run/pcscd.comm").c_str(), 1);  // before any PC/SC call
    std::string personas = sandbox_output("personas --json");
    std::string pin = persona_field(personas, "valid-honnin", "pin");
    std::string collation_b = persona_field(personas, "valid-honnin", "collation_number_b");
    std::size_t cert = auth_certificate_size("valid-honnin");

    std::string config = plugin_config();
    onshi_context *ctx = nullptr;
    if (config.empty() || onshi_open(config.c_str(), &ctx) != ONSHI_OK) {
        std::fprintf(stderr, "onshi_open: %s\n", config.empty() ? "DIR/plugin.json has no gateway" : onshi_last_error(nullptr));
        sandbox("down");
        return 1;
    }
    int rc = enroll(ctx) ? 0 : 1;
    std::size_t tls0 = tls_connects(), requests0 = gateway_requests();
    std::vector<double> ms;
    std::vector<std::size_t> apdus;
    std::vector<double> card_ms, warm_up_wait_ms, network_ms;
    for (int i = 0; i < g.checks && rc == 0; ++i) {
        Run r = run_check(ctx, R"({"reader":"Virtual PCD 00 00"})", pin.c_str());
        if (!r.done) {
            std::fprintf(stderr, "PIN check %d did not end DONE / eligible: %s\n", i + 1, r.text.c_str());
            rc = 1;
        }
        ms.push_back(r.ms);
        apdus.push_back(r.apdus);
        if (r.has_timing) {
            card_ms.push_back(r.card_ms);
            warm_up_wait_ms.push_back(r.warm_up_wait_ms);
            network_ms.push_back(r.network_ms);
        }
    }
    Run visual;
    if (rc == 0) {
        visual = run_check(ctx, R"({"reader":"Virtual PCD 00 00","method":"visual","photo":true})", collation_b.c_str());
        if (!visual.done) {
            std::fprintf(stderr, "the visual check did not end DONE / eligible: %s\n", visual.text.c_str());
            rc = 1;
        }
    }
    onshi_close(ctx);  // flushes the log
    std::size_t tls = tls_connects() - tls0, requests = gateway_requests() - requests0;
    sandbox("down");
    if (rc != 0) return rc;
    if (cert == 0 || apdus.empty() || apdus.front() == 0 || visual.apdus == 0) {
        std::fprintf(stderr, "a count is missing (certificate %zu bytes, journal %zu / %zu APDUs)\n", cert,
                     apdus.empty() ? 0 : apdus.front(), visual.apdus);
        return 1;
    }
    if (std::any_of(apdus.begin(), apdus.end(), [&](std::size_t n) { return n != apdus.front(); }))
        std::fprintf(stderr, "note: the PIN checks did not all send the same number of APDUs\n");
    std::printf("checks=%d\n", g.checks);
    std::printf("apdu_delay_ms=%d\n", g.apdu_delay_ms);
    std::printf("net_delay_ms=%d\n", g.net_delay_ms);
    std::printf("auth_cert_der_bytes=%zu\n", cert);
    std::printf("pin_check_apdus=%zu\n", apdus.front());
    std::printf("pin_check_apdus_min=%zu\n", 7 + (cert + 255) / 256 + 2);
    std::printf("pin_check_ms_median=%.2f\n", percentile(ms, 0.5));
    std::printf("pin_check_ms_p90=%.2f\n", percentile(ms, 0.9));
    std::printf("visual_check_apdus=%zu\n", visual.apdus);
    std::printf("visual_check_ms=%.2f\n", visual.ms);
    if (!card_ms.empty() && card_ms.size() == ms.size()) {  // only when the plugin reports it
        std::printf("pin_check_card_ms_median=%.2f\n", percentile(card_ms, 0.5));
        std::printf("pin_check_warm_up_wait_ms_median=%.2f\n", percentile(warm_up_wait_ms, 0.5));
        std::printf("pin_check_network_ms_median=%.2f\n", percentile(network_ms, 0.5));
    }
    std::printf("tls_connects=%zu\n", tls);
    std::printf("gateway_requests=%zu\n", requests);
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (i + 1 >= argc) return usage(("missing value for " + a).c_str());
        std::string v = argv[++i];
        char *end = nullptr;
        long n = std::strtol(v.c_str(), &end, 10);
        bool number = !v.empty() && *end == '\0';
        if (a == "--checks" && number && n >= 1 && n <= 100000) g.checks = static_cast<int>(n);
        else if (a == "--apdu-delay-ms" && number && n >= 0 && n <= 60000) g.apdu_delay_ms = static_cast<int>(n);
        else if (a == "--net-delay-ms" && number && n >= 0 && n <= 60000) g.net_delay_ms = static_cast<int>(n);
        else if (a == "--dir") g.dir = v;
        else if (a == "--sandbox") g.sandbox = v;
        else return usage(("bad argument " + a + " " + v).c_str());
    }
    if (geteuid() != 0) {
        std::printf("skipped: the sandbox needs root (private namespaces for pcscd)\n");
        return 77;
    }
    return bench();
}
