// onshi_card_phase_bench: whole eligibility checks (card phase + gateway round trip) through the
// C ABI against its own sandbox (a private pcscd, a vpcd reader, a virtual My Number Card, the
// reference gateway over mutual TLS), measured against the critical path of the delays it injects,
// and (--opensc) the same card job through OpenSC on the same card with the same delays.
//   onshi_card_phase_bench [--checks M] [--cold K] [--apdu-delay-ms MS] [--rtt-ms MS]
//                          [--net-delay-ms MS] [--opensc 0|1] [--dir DIR] [--sandbox PATH]
// --apdu-delay-ms: the virtual card waits that long before every answer (sandbox).
// --rtt-ms: the gateway is reached through a LatencyRelay, so every TCP/TLS/HTTP round trip costs
//   that much (a cold connection: TCP + TLS 1.3 + request = 3 RTT; a warm one: 1 RTT).
// --net-delay-ms: the sandbox gateway adds that much to every response (server think time).
// Sequence: enroll, close; K cold checks (each on a fresh context: no connection, no TLS session);
// on one context, one check to warm it, M warm PIN checks (PIN given up front) and 3 visual checks
// with the photo. Every check must end DONE / "eligible". Figures (name=value; ms unless named):
//   pin_check_apdus, pin_check_apdus_min   journal count; docs/card-protocol.md §APDU budget:
//                                          (a) + (b) with the safety query + the token check
//                                          = 7 + ceil(N/256) + 2
//   pin_check_critical_path_ms   pin_check_apdus_min × apdu delay + rtt + net delay: the card phase
//                                cannot overlap the confirmation (it carries the signature), the
//                                connection setup can overlap the card phase
//   pin_check_critical_path_cold_ms   max(card phase, 2 RTT of TCP + TLS setup) + rtt + net delay
//   pin_check_ms_warm / _cold, pin_check_ratio_warm / _cold   median latency, latency / critical path
//   visual_check_*               the same for a visual check with the photo; its critical path is
//                                counted from the APDUs it sends (the reference gives no minimum
//                                for the photo, whose offset depends on the card's TLV layout)
//   warm_context_tls_connects    TLS connections the warm context opened for its M + 4 checks
//   onshi_card_phase_ms/_apdus   the PIN check's card phase (connect → signature; result "timing")
//   opensc_*                     pkcs15-tool --read-certificate 01 and pkcs11-tool --login --sign:
//                                APDUs from the journal, wall time of each command, and their sums
//                                opensc_sign_apdus / opensc_sign_ms (default drivers, as installed),
//                                opensc_jpki_driver_* with OPENSC_DRIVER=jpki (no other driver probes)
// Exit 0 with the figures; 1 when a check fails or a figure is missing; 2 on bad arguments; 77
// without root (the sandbox needs namespaces). Timings never fail it.
#include "abi_checks.h"
#include "bench_support.h"
#include "latency_relay.h"

#include <onshi/onshi.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
    int checks = 20;
    int cold = 3;
    int apdu_delay_ms = 0;
    int rtt_ms = 0;
    int net_delay_ms = 0;
    int opensc = 0;  // 1: the same card job through OpenSC too
    std::string dir = ONSHI_BENCH_DIR;
    std::string sandbox = ONSHI_SANDBOX_BIN;
};

Options g;
constexpr const char *kReader = "Virtual PCD 00 00";
constexpr const char *kPersona = "valid-honnin";

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// Waits until the context's reader monitor sees the card, so that a check measures the check.
bool wait_ready(onshi_context *ctx) {
    for (int i = 0; i < 500; ++i) {
        char *json = nullptr;
        if (onshi_list_readers(ctx, &json) == ONSHI_OK && json) {
            bool ready = std::strstr(json, "\"card_present\":true") != nullptr;
            onshi_free(json);
            if (ready) return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

struct Sample {
    std::vector<double> ms, card_ms, warm_up_wait_ms, network_ms;
    std::vector<std::size_t> apdus;
};

// One check against the sandbox card; adds it to `s`; false (and says why) unless DONE / eligible.
bool measured_check(bench::Sandbox &sb, onshi_context *ctx, const std::string &request, const std::string &secret,
                    Sample *s, const char *what) {
    std::size_t before = sb.journal_apdus();
    bench::CheckRun r = bench::run_check(ctx, request, secret.c_str());
    if (!r.eligible) {
        std::fprintf(stderr, "%s did not end DONE / eligible: %s\n", what, r.text.c_str());
        return false;
    }
    if (s) {
        s->ms.push_back(r.ms);
        s->apdus.push_back(sb.journal_apdus() - before);
        if (r.card_ms >= 0 && r.warm_up_wait_ms >= 0 && r.network_ms >= 0) {
            s->card_ms.push_back(r.card_ms);
            s->warm_up_wait_ms.push_back(r.warm_up_wait_ms);
            s->network_ms.push_back(r.network_ms);
        }
    }
    return true;
}

onshi_context *open_context(const std::string &config) {
    onshi_context *ctx = nullptr;
    if (onshi_open(config.c_str(), &ctx) != ONSHI_OK) {
        std::fprintf(stderr, "onshi_open: %s\n", onshi_last_error(nullptr));
        return nullptr;
    }
    if (!wait_ready(ctx)) {
        std::fprintf(stderr, "the reader monitor never saw the card in %s\n", kReader);
        onshi_close(ctx);
        return nullptr;
    }
    return ctx;
}

struct OpenScRun {
    std::size_t apdus = 0;
    double ms = 0;
    bool ok = false;
};

OpenScRun opensc(bench::Sandbox &sb, const std::string &command) {
    OpenScRun r;
    std::size_t before = sb.journal_apdus();
    auto t0 = Clock::now();
    r.ok = std::system((command + " >/dev/null 2>&1").c_str()) == 0;
    r.ms = ms_since(t0);
    r.apdus = sb.journal_apdus() - before;
    if (!r.ok) std::fprintf(stderr, "OpenSC command failed: %s\n", command.c_str());
    return r;
}

// pkcs15-tool --read-certificate 01, then pkcs11-tool --login --sign: the card job of a PIN check.
bool opensc_side_by_side(bench::Sandbox &sb, const std::string &pin, const char *env, const char *prefix) {
    const std::string module = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so";
    const std::string in = sb.dir() + "/opensc.in", sig = sb.dir() + "/opensc.sig";
    std::FILE *f = std::fopen(in.c_str(), "w");
    if (!f) return false;
    std::fputs("onshi bench challenge\n", f);
    std::fclose(f);
    OpenScRun read = opensc(sb, std::string(env) + "pkcs15-tool --reader 0 --read-certificate 01");
    OpenScRun sign = opensc(sb, std::string(env) + "pkcs11-tool --module " + module + " --slot-index 0 --login --pin " +
                                    pin + " --sign --id 01 -m SHA256-RSA-PKCS -i " + in + " -o " + sig);
    if (!read.ok || !sign.ok || read.apdus == 0 || sign.apdus == 0) return false;
    auto name = [&](const char *rest) { return std::string(prefix) + rest; };
    std::printf("%s=%zu\n", name("read_cert_apdus").c_str(), read.apdus);
    bench::print_figure(name("read_cert_ms").c_str(), read.ms);
    std::printf("%s=%zu\n", name("pkcs11_sign_apdus").c_str(), sign.apdus);
    bench::print_figure(name("pkcs11_sign_ms").c_str(), sign.ms);
    std::printf("%s=%zu\n", name("sign_apdus").c_str(), read.apdus + sign.apdus);
    bench::print_figure(name("sign_ms").c_str(), read.ms + sign.ms);
    return true;
}


int bench_run(bench::Sandbox &sb) {
    std::string up = std::string("--readers 1 --card 0=") + kPersona + " --apdu-delay-ms " + std::to_string(g.apdu_delay_ms);
    if (g.net_delay_ms > 0) up += " --net-delay-ms " + std::to_string(g.net_delay_ms);
    if (!sb.up(up)) return 1;
    std::unique_ptr<bench::LatencyRelay> relay;
    if (g.rtt_ms > 0) relay = std::make_unique<bench::LatencyRelay>(sb.gateway_port(), g.rtt_ms);
    const std::string pin = sb.persona_field(kPersona, "pin");
    const std::string collation_b = sb.persona_field(kPersona, "collation_number_b");
    const std::size_t cert = sb.auth_certificate_size(kPersona);
    const std::string config = bench::plugin_config(sb.dir(), relay ? relay->port() : 0);
    if (config.empty() || pin.empty() || collation_b.empty() || cert == 0) {
        std::fprintf(stderr, "the sandbox's plugin.json, persona or certificate is missing in %s\n", sb.dir().c_str());
        return 1;
    }
    const std::string pin_request = std::string(R"({"reader":")") + kReader + "\"}";
    const std::string visual_request = std::string(R"({"reader":")") + kReader + R"(","method":"visual","photo":true})";

    onshi_context *ctx = open_context(config);
    if (!ctx) return 1;
    bool ok = bench::enroll(ctx, sb.dir());
    onshi_close(ctx);

    // Cold: a fresh context each time, so no pooled connection and no TLS session to resume.
    Sample cold;
    for (int i = 0; i < g.cold && ok; ++i) {
        ctx = open_context(config);
        ok = ctx && measured_check(sb, ctx, pin_request, pin, &cold, "a cold PIN check");
        if (ctx) onshi_close(ctx);
    }

    // The warm sequence on one context: its own first check warms it and is left out.
    Sample warm, visual;
    const std::string log = sb.dir() + "/plugin.log";
    const std::size_t tls_before = bench::count_lines(log, "gateway: TLS connection opened");
    ctx = ok ? open_context(config) : nullptr;
    ok = ctx && measured_check(sb, ctx, pin_request, pin, nullptr, "the warming PIN check");
    for (int i = 0; i < g.checks && ok; ++i) ok = measured_check(sb, ctx, pin_request, pin, &warm, "a warm PIN check");
    for (int i = 0; i < 3 && ok; ++i) ok = measured_check(sb, ctx, visual_request, collation_b, &visual, "a visual check");
    if (ctx) onshi_close(ctx);  // flushes the log
    const std::size_t tls_warm = bench::count_lines(log, "gateway: TLS connection opened") - tls_before;

    bool opensc_ok = true;
    if (ok && g.opensc) {
        opensc_ok = opensc_side_by_side(sb, pin, "", "opensc_") &&
                    opensc_side_by_side(sb, pin, "OPENSC_DRIVER=jpki ", "opensc_jpki_driver_");
    }
    relay.reset();
    sb.down();
    if (!ok) return 1;
    if (!opensc_ok) {
        std::fprintf(stderr, "the OpenSC side of the comparison could not be measured\n");
        return 1;
    }
    if (warm.apdus.empty() || warm.apdus.front() == 0 || visual.apdus.empty() || visual.apdus.front() == 0 ||
        (g.cold > 0 && cold.ms.empty())) {
        std::fprintf(stderr, "a count is missing (journal %s)\n", (sb.dir() + "/apdu.jsonl").c_str());
        return 1;
    }
    if (std::any_of(warm.apdus.begin(), warm.apdus.end(), [&](std::size_t n) { return n != warm.apdus.front(); }))
        std::fprintf(stderr, "note: the PIN checks did not all send the same number of APDUs\n");

    const std::size_t apdus_min = 7 + (cert + 255) / 256 + 2;
    const double round_trip = g.rtt_ms + g.net_delay_ms;
    const double critical = static_cast<double>(apdus_min) * g.apdu_delay_ms + round_trip;
    const double critical_cold =
        std::max(static_cast<double>(apdus_min) * g.apdu_delay_ms, 2.0 * g.rtt_ms) + round_trip;
    const double visual_critical = static_cast<double>(visual.apdus.front()) * g.apdu_delay_ms + round_trip;
    auto ratio = [](double ms, double cp) { return cp > 0 ? ms / cp : 0.0; };

    std::printf("checks=%d\n", g.checks);
    std::printf("apdu_delay_ms=%d\n", g.apdu_delay_ms);
    std::printf("rtt_ms=%d\n", g.rtt_ms);
    std::printf("net_delay_ms=%d\n", g.net_delay_ms);
    std::printf("auth_cert_der_bytes=%zu\n", cert);
    std::printf("pin_check_apdus=%zu\n", warm.apdus.front());
    std::printf("pin_check_apdus_min=%zu\n", apdus_min);
    const double warm_ms = bench::percentile(warm.ms, 0.5);
    bench::print_figure("pin_check_ms_warm", warm_ms);
    bench::print_figure("pin_check_ms_warm_p90", bench::percentile(warm.ms, 0.9));
    bench::print_figure("pin_check_critical_path_ms", critical);
    std::printf("pin_check_ratio_warm=%.3f\n", ratio(warm_ms, critical));
    if (!cold.ms.empty()) {
        const double cold_ms = bench::percentile(cold.ms, 0.5);
        std::printf("cold_checks=%zu\n", cold.ms.size());
        bench::print_figure("pin_check_ms_cold", cold_ms);
        bench::print_figure("pin_check_critical_path_cold_ms", critical_cold);
        std::printf("pin_check_ratio_cold=%.3f\n", ratio(cold_ms, critical_cold));
    }
    if (warm.card_ms.size() == warm.ms.size()) {  // only when the plugin reports its timing
        bench::print_figure("pin_check_card_ms_median", bench::percentile(warm.card_ms, 0.5));
        bench::print_figure("pin_check_warm_up_wait_ms_median", bench::percentile(warm.warm_up_wait_ms, 0.5));
        bench::print_figure("pin_check_network_ms_median", bench::percentile(warm.network_ms, 0.5));
        if (!cold.card_ms.empty()) {
            bench::print_figure("pin_check_cold_card_ms_median", bench::percentile(cold.card_ms, 0.5));
            bench::print_figure("pin_check_cold_warm_up_wait_ms_median", bench::percentile(cold.warm_up_wait_ms, 0.5));
            bench::print_figure("pin_check_cold_network_ms_median", bench::percentile(cold.network_ms, 0.5));
        }
        std::printf("onshi_card_phase_apdus=%zu\n", warm.apdus.front());
        bench::print_figure("onshi_card_phase_ms", bench::percentile(warm.card_ms, 0.5));
    }
    std::printf("visual_check_apdus=%zu\n", visual.apdus.front());
    const double visual_ms = bench::percentile(visual.ms, 0.5);
    bench::print_figure("visual_check_ms_warm", visual_ms);
    bench::print_figure("visual_check_critical_path_ms", visual_critical);
    std::printf("visual_check_ratio_warm=%.3f\n", ratio(visual_ms, visual_critical));
    std::printf("warm_context_checks=%d\n", g.checks + 4);
    std::printf("warm_context_tls_connects=%zu\n", tls_warm);
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    return bench::sandbox_main("onshi_card_phase_bench",
                               "[--checks M] [--cold K] [--apdu-delay-ms MS] [--rtt-ms MS] [--net-delay-ms MS] "
                               "[--opensc 0|1] [--dir DIR] [--sandbox PATH]",
                               argc, argv,
                               {bench::number_option("--checks", &g.checks, 1, 100000),
                                bench::number_option("--cold", &g.cold, 0, 1000),
                                bench::number_option("--apdu-delay-ms", &g.apdu_delay_ms, 0, 60000),
                                bench::number_option("--rtt-ms", &g.rtt_ms, 0, 60000),
                                bench::number_option("--net-delay-ms", &g.net_delay_ms, 0, 60000),
                                bench::number_option("--opensc", &g.opensc, 0, 1), bench::text_option("--dir", &g.dir),
                                bench::text_option("--sandbox", &g.sandbox)},
                               g.sandbox, g.dir, bench_run);
}
