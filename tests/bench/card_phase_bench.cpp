// onshi_card_phase_bench: the card phase of eligibility checks through the C ABI against its own
// sandbox (a private pcscd, a vpcd reader, a virtual My Number Card).
//   onshi_card_phase_bench [--checks M] [--apdu-delay-ms MS] [--dir DIR] [--sandbox PATH]
// Runs M PIN checks (PIN given up front) and one visual check with the photo, and prints one
// name=value per line:
//   pin_check_apdus             APDUs of one PIN check, counted in the sandbox's journal
//   pin_check_apdus_min         card-protocol.md §5: 7 + ceil(N/256) + 2 (token check), N = DER
//                               size of the auth certificate
//   onshi_card_phase_ms_median  submit -> final event (today right after the card phase)
//   onshi_card_phase_ms_p90
//   visual_check_apdus          APDUs of one visual check with the photo and 照合番号B
// Exit 0 with the figures; 1 when a check does not complete its card phase or a figure is missing;
// 2 on bad arguments; 77 without root (the sandbox needs namespaces). Timings never fail it.
#include <onshi/onshi.h>

#include <openssl/pem.h>
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
#include <string>
#include <vector>

namespace {

struct Options {
    int checks = 20;
    int apdu_delay_ms = 0;
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
    bool card_phase_ok = false;
    double ms = 0;
    std::size_t apdus = 0;
    std::string text;
};

// One check: submit, poll until its final event. The card phase succeeded when the check reached
// the gateway step (ONSHI_E_NOT_SUPPORTED until the gateway exists; later ONSHI_OK or a gateway status).
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
        run.text = e.text;
        run.card_phase_ok = e.status == ONSHI_OK || e.status == ONSHI_E_NOT_SUPPORTED;
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
    std::fprintf(stderr, "onshi_card_phase_bench: %s\nusage: onshi_card_phase_bench [--checks M] [--apdu-delay-ms MS] [--dir DIR] [--sandbox PATH]\n", why);
    return 2;
}

int bench() {
    if (sandbox("down") != 0) std::fprintf(stderr, "note: a previous sandbox in %s did not go down cleanly\n", g.dir.c_str());
    std::string up = "up --readers 1 --card 0=valid-honnin --apdu-delay-ms " + std::to_string(g.apdu_delay_ms);
    if (sandbox(up) != 0) {
        std::fprintf(stderr, "onshi-sandbox up failed; see %s/sandbox.log\n", g.dir.c_str());
        return 1;
    }
    setenv("PCSCLITE_CSOCK_NAME", (g.dir + "/run/pcscd.comm").c_str(), 1);  // before any PC/SC call
    std::string personas = sandbox_output("personas --json");
    std::string pin = persona_field(personas, "valid-honnin", "pin");
    std::string collation_b = persona_field(personas, "valid-honnin", "collation_number_b");
    std::size_t cert = auth_certificate_size("valid-honnin");

    onshi_context *ctx = nullptr;
    if (onshi_open(R"({"locale":"en","card_wait_ms":5000})", &ctx) != ONSHI_OK) {
        std::fprintf(stderr, "onshi_open: %s\n", onshi_last_error(nullptr));
        return 1;
    }
    int rc = 0;
    std::vector<double> ms;
    std::vector<std::size_t> apdus;
    for (int i = 0; i < g.checks && rc == 0; ++i) {
        Run r = run_check(ctx, R"({"reader":"Virtual PCD 00 00"})", pin.c_str());
        if (!r.card_phase_ok) {
            std::fprintf(stderr, "PIN check %d did not complete its card phase: %s\n", i + 1, r.text.c_str());
            rc = 1;
        }
        ms.push_back(r.ms);
        apdus.push_back(r.apdus);
    }
    Run visual;
    if (rc == 0) {
        visual = run_check(ctx, R"({"reader":"Virtual PCD 00 00","method":"visual","photo":true})", collation_b.c_str());
        if (!visual.card_phase_ok) {
            std::fprintf(stderr, "the visual check did not complete its card phase: %s\n", visual.text.c_str());
            rc = 1;
        }
    }
    onshi_close(ctx);
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
    std::printf("auth_cert_der_bytes=%zu\n", cert);
    std::printf("pin_check_apdus=%zu\n", apdus.front());
    std::printf("pin_check_apdus_min=%zu\n", 7 + (cert + 255) / 256 + 2);
    std::printf("onshi_card_phase_ms_median=%.2f\n", percentile(ms, 0.5));
    std::printf("onshi_card_phase_ms_p90=%.2f\n", percentile(ms, 0.9));
    std::printf("visual_check_apdus=%zu\n", visual.apdus);
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
