// onshi_parallel_bench: N readers checking at once (N = 1, 2, 4, 8), each with its own virtual card,
// on one context, against the sandbox with the same delays as a counter (per-APDU card delay, the
// gateway an RTT away through the LatencyRelay). A round submits one PIN check per reader at once
// and ends when the last one ends; every check must end DONE / "eligible".
//   onshi_parallel_bench [--rounds R] [--apdu-delay-ms MS] [--rtt-ms MS] [--dir DIR] [--sandbox PATH]
// Prints, for each N: parallelN_ms (median round time) and parallelN_ratio = parallelN_ms /
// parallel1_ms (1.0 when N readers cost no more than one; N when they are serialised), the checks'
// median card and network time (their result's "timing": which side grows with N), and
// parallel_tls_connects (connections opened for all rounds, a warming round first).
// Exit 0 with the figures; 1 when a check fails; 2 on bad arguments; 77 without root.
#include "abi_checks.h"
#include "bench_support.h"
#include "latency_relay.h"

#include <onshi/onshi.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
    int rounds = 5;
    int apdu_delay_ms = 20;
    int rtt_ms = 30;
    std::string dir = ONSHI_BENCH_DIR;
    std::string sandbox = ONSHI_SANDBOX_BIN;
};

Options g;
constexpr int kReaders = 8;
constexpr const char *kPersona = "valid-honnin";

// The names of the readers that hold a card (the sandbox names them per slot pair).
std::vector<std::string> readers_with_card(onshi_context *ctx) {
    std::vector<std::string> names;
    char *json = nullptr;
    if (onshi_list_readers(ctx, &json) != ONSHI_OK || !json) return names;
    rapidjson::Document d;
    d.Parse(json);
    onshi_free(json);
    if (!d.IsArray()) return names;
    for (const auto &r : d.GetArray())
        if (r.IsObject() && r.HasMember("name") && r["name"].IsString() && r.HasMember("card_present") &&
            r["card_present"].IsBool() && r["card_present"].GetBool())
            names.emplace_back(r["name"].GetString());
    return names;
}

// The result's timing member (card_ms, network_ms) of an ended check, appended to the samples.
void add_timing(onshi_context *ctx, onshi_job_id job, std::vector<double> &card, std::vector<double> &network) {
    onshi_result *r = nullptr;
    if (onshi_job_result(ctx, job, &r) != ONSHI_OK) return;
    const char *json = nullptr;
    if (onshi_result_json(r, &json) == ONSHI_OK && json) {
        rapidjson::Document d;
        d.Parse(json);
        if (d.IsObject() && d.HasMember("timing") && d["timing"].IsObject()) {
            const auto &t = d["timing"];
            if (t.HasMember("card_ms") && t["card_ms"].IsNumber()) card.push_back(t["card_ms"].GetDouble());
            if (t.HasMember("network_ms") && t["network_ms"].IsNumber()) network.push_back(t["network_ms"].GetDouble());
        }
    }
    onshi_result_free(r);
}

std::vector<double> g_card_ms, g_network_ms;  // of the current N

// One round: a PIN check on each of `readers` at once; its wall time, or < 0 when a check failed.
double round_ms(onshi_context *ctx, const std::vector<std::string> &readers, std::size_t n, const std::string &pin) {
    auto t0 = std::chrono::steady_clock::now();
    std::map<onshi_job_id, bool> open;
    for (std::size_t i = 0; i < n; ++i) {
        onshi_job_id job = 0;
        std::string request = R"({"reader":")" + readers[i] + "\"}";
        if (onshi_check_eligibility(ctx, request.c_str(), pin.c_str(), &job) != ONSHI_OK) {
            std::fprintf(stderr, "onshi_check_eligibility: %s\n", onshi_last_error(ctx));
            return -1;
        }
        open[job] = true;
    }
    bool all_ok = true;
    for (int i = 0; i < 600 && !open.empty(); ++i) {
        onshi_event e{};
        e.struct_size = sizeof e;
        if (onshi_poll_event(ctx, 100, &e) != ONSHI_OK || open.count(e.job) == 0) continue;
        if (e.type != ONSHI_EVENT_DONE && e.type != ONSHI_EVENT_FAILED && e.type != ONSHI_EVENT_CANCELLED) continue;
        if (e.type != ONSHI_EVENT_DONE) {
            std::fprintf(stderr, "a parallel check ended %s: %s\n", onshi_status_name(e.status), e.text ? e.text : "");
            all_ok = false;
        }
        else add_timing(ctx, e.job, g_card_ms, g_network_ms);
        open.erase(e.job);
        onshi_job_release(ctx, e.job);
    }
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return all_ok && open.empty() ? ms : -1;
}

int run(bench::Sandbox &sb) {
    std::string up = "--readers " + std::to_string(kReaders) + " --apdu-delay-ms " + std::to_string(g.apdu_delay_ms);
    for (int s = 0; s < kReaders; ++s) up += " --card " + std::to_string(s) + "=" + kPersona;
    if (!sb.up(up)) return 1;
    std::unique_ptr<bench::LatencyRelay> relay;
    if (g.rtt_ms > 0) relay = std::make_unique<bench::LatencyRelay>(sb.gateway_port(), g.rtt_ms);
    const std::string pin = sb.persona_field(kPersona, "pin");
    const std::string config = bench::plugin_config(sb.dir(), relay ? relay->port() : 0);
    onshi_context *ctx = nullptr;
    if (config.empty() || pin.empty() || onshi_open(config.c_str(), &ctx) != ONSHI_OK) {
        std::fprintf(stderr, "onshi_open: %s\n", config.empty() ? "no plugin.json" : onshi_last_error(nullptr));
        sb.down();
        return 1;
    }
    std::vector<std::string> readers;
    for (int i = 0; i < 500 && readers.size() < kReaders; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        readers = readers_with_card(ctx);
    }
    bool ok = readers.size() == kReaders && bench::enroll(ctx, sb.dir());
    if (readers.size() != kReaders) std::fprintf(stderr, "only %zu readers with a card\n", readers.size());
    const std::string log = sb.dir() + "/plugin.log";
    const std::size_t tls0 = bench::count_lines(log, "gateway: TLS connection opened");
    ok = ok && round_ms(ctx, readers, kReaders, pin) >= 0;  // warms a connection per reader
    std::map<std::size_t, double> median, card_median, network_median;
    for (std::size_t n : std::initializer_list<std::size_t>{1, 2, 4, 8}) {
        std::vector<double> times;
        g_card_ms.clear();
        g_network_ms.clear();
        for (int r = 0; r < g.rounds && ok; ++r) {
            double ms = round_ms(ctx, readers, n, pin);
            ok = ms >= 0;
            times.push_back(ms);
        }
        if (ok) median[n] = bench::percentile(times, 0.5);
        card_median[n] = bench::percentile(g_card_ms, 0.5);
        network_median[n] = bench::percentile(g_network_ms, 0.5);
    }
    onshi_close(ctx);
    const std::size_t tls = bench::count_lines(log, "gateway: TLS connection opened") - tls0;
    relay.reset();
    sb.down();
    if (!ok || median.size() != 4 || median[1] <= 0) return 1;
    std::printf("parallel_apdu_delay_ms=%d\n", g.apdu_delay_ms);
    std::printf("parallel_rtt_ms=%d\n", g.rtt_ms);
    std::printf("parallel_rounds=%d\n", g.rounds);
    for (auto [n, ms] : median) {
        bench::print_figure(("parallel" + std::to_string(n) + "_ms").c_str(), ms);
        std::printf("parallel%zu_ratio=%.3f\n", n, ms / median[1]);
        bench::print_figure(("parallel" + std::to_string(n) + "_card_ms_median").c_str(), card_median[n]);
        bench::print_figure(("parallel" + std::to_string(n) + "_network_ms_median").c_str(), network_median[n]);
    }
    std::printf("parallel_tls_connects=%zu\n", tls);
    return 0;
}


}  // namespace

int main(int argc, char **argv) {
    return bench::sandbox_main("onshi_parallel_bench", "[--rounds R] [--apdu-delay-ms MS] [--rtt-ms MS] [--dir DIR] [--sandbox PATH]",
                               argc, argv,
                               {bench::number_option("--rounds", &g.rounds, 1, 1000),
                                bench::number_option("--apdu-delay-ms", &g.apdu_delay_ms, 0, 60000),
                                bench::number_option("--rtt-ms", &g.rtt_ms, 0, 60000), bench::text_option("--dir", &g.dir),
                                bench::text_option("--sandbox", &g.sandbox)},
                               g.sandbox, g.dir, run);
}
