// onshi_host_calls_bench: what a host pays on its own thread. Loads libonshi with dlopen like a
// host does (this program does not link it), against its own sandbox without delays:
//   load_ms, open_ms, load_to_ready_ms   dlopen (+ symbols), onshi_open, and until
//                                        onshi_list_readers shows the card (the first check can go)
//   rss_mb_after_load                    VmRSS once ready (the process's own baseline included)
//   api_<call>_us_median / _p99          each ABI call timed on the calling thread, over C checks
//   api_call_us_median / _p99            all those calls together
//   rss_mb_after_<C>                     VmRSS after C checks (C = 10000 → rss_mb_after_10k), and
//                                        after the first 1,000 when C is larger (rss_mb_after_1k)
//   heap_mb_in_use_after_1k / _<C>       malloc's bytes in use then (a leak grows it; fragmentation
//                                        and per-thread arenas grow only RSS)
// The calls are the ones a host's UI thread makes: submit (onshi_check_eligibility), poll_event
// with timeout 0, job_state and list_readers while the job runs, then job_result, result_json,
// result_field, result_free, job_release; every 10th check also a job submitted and cancelled at
// once (job_cancel). onshi_job_wait is how this program waits and is not timed.
//   onshi_host_calls_bench [--checks C] [--library PATH] [--dir DIR] [--sandbox PATH]
// Exit 0 with the figures; 1 when a check fails or a figure is missing; 2 on bad arguments; 77
// without root.
#include "bench_support.h"

#include <onshi/onshi.h>

#include <dlfcn.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
    int checks = 10000;
    std::string library = ONSHI_LIBRARY;
    std::string dir = ONSHI_BENCH_DIR;
    std::string sandbox = ONSHI_SANDBOX_BIN;
};

Options g;
constexpr const char *kPersona = "valid-honnin";
using Clock = std::chrono::steady_clock;

// The entry points, looked up by name as a host without an import library does.
struct Api {
    decltype(&onshi_open) open;
    decltype(&onshi_close) close;
    decltype(&onshi_last_error) last_error;
    decltype(&onshi_list_readers) list_readers;
    decltype(&onshi_free) free;
    decltype(&onshi_terminal_enroll) terminal_enroll;
    decltype(&onshi_check_eligibility) check_eligibility;
    decltype(&onshi_poll_event) poll_event;
    decltype(&onshi_job_state) job_state;
    decltype(&onshi_job_wait) job_wait;
    decltype(&onshi_job_cancel) job_cancel;
    decltype(&onshi_job_result) job_result;
    decltype(&onshi_job_release) job_release;
    decltype(&onshi_result_json) result_json;
    decltype(&onshi_result_field) result_field;
    decltype(&onshi_result_free) result_free;
};

template <typename F>
bool find(void *lib, const char *name, F &out) {
    out = reinterpret_cast<F>(dlsym(lib, name));
    if (!out) std::fprintf(stderr, "%s is not exported\n", name);
    return out != nullptr;
}

bool load(void *lib, Api &a) {
    return find(lib, "onshi_open", a.open) && find(lib, "onshi_close", a.close) &&
           find(lib, "onshi_last_error", a.last_error) && find(lib, "onshi_list_readers", a.list_readers) &&
           find(lib, "onshi_free", a.free) && find(lib, "onshi_terminal_enroll", a.terminal_enroll) &&
           find(lib, "onshi_check_eligibility", a.check_eligibility) && find(lib, "onshi_poll_event", a.poll_event) &&
           find(lib, "onshi_job_state", a.job_state) && find(lib, "onshi_job_wait", a.job_wait) &&
           find(lib, "onshi_job_cancel", a.job_cancel) && find(lib, "onshi_job_result", a.job_result) &&
           find(lib, "onshi_job_release", a.job_release) && find(lib, "onshi_result_json", a.result_json) &&
           find(lib, "onshi_result_field", a.result_field) && find(lib, "onshi_result_free", a.result_free);
}

double rss_mb() {
    std::ifstream in("/proc/self/status");
    for (std::string l; std::getline(in, l);)
        if (l.rfind("VmRSS:", 0) == 0) return std::atof(l.c_str() + 6) / 1024.0;
    return 0;
}

// Bytes malloc has handed out and not got back (all arenas): grows with a leak, not with
// fragmentation or a new arena, which RSS also shows.
double heap_in_use_mb() { return static_cast<double>(mallinfo2().uordblks) / (1024.0 * 1024.0); }

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// This thread's voluntary and involuntary context switches so far.
std::pair<long, long> context_switches() {
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    return {u.ru_nvcsw, u.ru_nivcsw};
}

// Per-call samples in microseconds, and how many calls left the CPU: a voluntary switch means the
// call blocked (a lock held by a worker, a wait), an involuntary one that the scheduler preempted
// it (on a busy machine: the p99 of every call, whatever it does).
class CallTimes {
public:
    template <typename F>
    auto time(const char *call, F &&f) {
        auto s0 = context_switches();
        auto t0 = Clock::now();
        auto r = f();
        auto t1 = Clock::now();
        auto s1 = context_switches();
        samples_[call].push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
        if (s1.first != s0.first) ++blocked_[call];
        if (s1.second != s0.second) ++preempted_;
        return r;
    }
    // Room for every sample, allocated and touched before the library is loaded, so that the
    // memory figures are the library's, not this program's growing sample vectors.
    void reserve(std::size_t checks) {
        for (const char *call : {"submit", "poll_event_running", "job_state", "list_readers", "job_result",
                                 "result_json", "result_field", "result_free", "job_release", "job_cancel"})
            prepare(call, checks + 16);
        prepare("poll_event", 16 * checks + 64);
    }
    void print() const {
        std::vector<double> all;
        std::size_t blocked = 0;
        for (const auto &[call, v] : samples_) {
            if (v.empty()) continue;
            bench::print_figure(("api_" + call + "_us_median").c_str(), bench::percentile(v, 0.5));
            bench::print_figure(("api_" + call + "_us_p99").c_str(), bench::percentile(v, 0.99));
            all.insert(all.end(), v.begin(), v.end());
            auto b = blocked_.find(call);
            if (b != blocked_.end()) {
                std::printf("api_%s_blocked=%zu\n", call.c_str(), b->second);
                blocked += b->second;
            }
        }
        std::printf("api_calls_timed=%zu\n", all.size());
        std::printf("api_calls_blocked=%zu\n", blocked);
        std::printf("api_calls_preempted=%zu\n", preempted_);
        bench::print_figure("api_call_us_median", bench::percentile(all, 0.5));
        bench::print_figure("api_call_us_p99", bench::percentile(all, 0.99));
    }

private:
    void prepare(const char *call, std::size_t n) {
        auto &v = samples_[call];
        v.resize(n);
        v.clear();
    }
    std::map<std::string, std::vector<double>> samples_;
    std::map<std::string, std::size_t> blocked_;
    std::size_t preempted_ = 0;
};

bool card_seen(const Api &a, onshi_context *ctx) {
    char *json = nullptr;
    if (a.list_readers(ctx, &json) != ONSHI_OK || !json) return false;
    bool seen = std::strstr(json, "\"card_present\":true") != nullptr;
    a.free(json);
    return seen;
}

// One check with every host-side call timed; false when it does not end DONE.
bool timed_check(const Api &a, onshi_context *ctx, const std::string &request, const std::string &pin, CallTimes &t,
                 bool with_cancel) {
    onshi_job_id job = 0;
    if (t.time("submit", [&] { return a.check_eligibility(ctx, request.c_str(), pin.c_str(), &job); }) != ONSHI_OK) {
        std::fprintf(stderr, "onshi_check_eligibility: %s\n", a.last_error(ctx));
        return false;
    }
    // While the worker runs the check: what a UI timer calls.
    onshi_event e{};
    e.struct_size = sizeof e;
    t.time("poll_event_running", [&] { return a.poll_event(ctx, 0, &e); });
    int32_t state = 0;
    t.time("job_state", [&] { return a.job_state(ctx, job, &state, nullptr); });
    char *readers = nullptr;
    if (t.time("list_readers", [&] { return a.list_readers(ctx, &readers); }) == ONSHI_OK) a.free(readers);
    onshi_status final_status = ONSHI_E_INTERNAL;
    if (a.job_wait(ctx, job, 60000, &final_status) != ONSHI_OK || final_status != ONSHI_OK) {
        std::fprintf(stderr, "a check ended %d: %s\n", final_status, a.last_error(ctx));
        return false;
    }
    // Its events, as a host drains them (none waits: timeout 0).
    while (t.time("poll_event", [&] { return a.poll_event(ctx, 0, &e); }) == ONSHI_OK) {
    }
    onshi_result *r = nullptr;
    if (t.time("job_result", [&] { return a.job_result(ctx, job, &r); }) != ONSHI_OK) return false;
    const char *json = nullptr, *insurer = nullptr;
    t.time("result_json", [&] { return a.result_json(r, &json); });
    bool has_insurer = t.time("result_field", [&] { return a.result_field(r, "InsurerNumber", 0, &insurer); }) == ONSHI_OK;
    t.time("result_free", [&] { a.result_free(r); return 0; });
    t.time("job_release", [&] { return a.job_release(ctx, job); });
    if (!has_insurer) {
        std::fprintf(stderr, "the result has no InsurerNumber\n");
        return false;
    }
    if (with_cancel) {
        onshi_job_id other = 0;
        if (a.check_eligibility(ctx, request.c_str(), pin.c_str(), &other) != ONSHI_OK) return false;
        t.time("job_cancel", [&] { return a.job_cancel(ctx, other); });
        a.job_wait(ctx, other, 60000, nullptr);
        a.job_release(ctx, other);
    }
    while (a.poll_event(ctx, 0, &e) == ONSHI_OK) {  // the cancelled job's events
    }
    return true;
}

int run(bench::Sandbox &sb) {
    if (!sb.up(std::string("--readers 1 --card 0=") + kPersona)) return 1;
    const std::string pin = sb.persona_field(kPersona, "pin");
    const std::string config = bench::plugin_config(sb.dir(), 0);
    const std::string setup = bench::setup_json(sb.dir());
    if (pin.empty() || config.empty() || setup.empty()) {
        std::fprintf(stderr, "the sandbox's persona, plugin.json or setup.json is missing in %s\n", sb.dir().c_str());
        sb.down();
        return 1;
    }

    CallTimes times;
    times.reserve(static_cast<std::size_t>(g.checks));
    auto t0 = Clock::now();
    void *lib = dlopen(g.library.c_str(), RTLD_NOW | RTLD_LOCAL);
    Api a{};
    if (!lib || !load(lib, a)) {
        std::fprintf(stderr, "cannot load %s: %s\n", g.library.c_str(), lib ? "missing symbols" : dlerror());
        sb.down();
        return 1;
    }
    const double load_ms = ms_since(t0);
    auto t1 = Clock::now();
    onshi_context *ctx = nullptr;
    if (a.open(config.c_str(), &ctx) != ONSHI_OK) {
        std::fprintf(stderr, "onshi_open: %s\n", a.last_error(nullptr));
        sb.down();
        return 1;
    }
    const double open_ms = ms_since(t1);
    bool ready = false;
    while (!ready && ms_since(t0) < 10000) {
        ready = card_seen(a, ctx);
        if (!ready) std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    const double ready_ms = ms_since(t0);
    const double rss_load = rss_mb();

    onshi_job_id job = 0;
    onshi_status st = ONSHI_E_INTERNAL;
    bool ok = ready && a.terminal_enroll(ctx, setup.c_str(), &job) == ONSHI_OK &&
              a.job_wait(ctx, job, 30000, &st) == ONSHI_OK && st == ONSHI_OK;
    if (job) a.job_release(ctx, job);
    if (!ok) std::fprintf(stderr, "%s\n", ready ? "enrollment failed" : "the reader monitor never saw the card");

    const std::string request = R"({"reader":"Virtual PCD 00 00"})";
    auto t2 = Clock::now();
    double rss_1k = 0, heap_1k = 0;  // with more checks, also after the first 1,000: flat memory shows between the two
    for (int i = 0; i < g.checks && ok; ++i) {
        ok = timed_check(a, ctx, request, pin, times, i % 10 == 9);
        if (i + 1 == 1000 && g.checks > 1000) {
            rss_1k = rss_mb();
            heap_1k = heap_in_use_mb();
        }
    }
    const double heap_after = heap_in_use_mb();
    const double checks_s = ms_since(t2) / 1000.0;
    const double rss_after = rss_mb();
    a.close(ctx);
    sb.down();
    if (!ok || rss_load <= 0 || rss_after <= 0) return 1;

    bench::print_figure("load_ms", load_ms);
    bench::print_figure("open_ms", open_ms);
    bench::print_figure("load_to_ready_ms", ready_ms);
    bench::print_figure("rss_mb_after_load", rss_load);
    times.print();
    std::printf("host_checks=%d\n", g.checks);
    bench::print_figure("host_checks_per_s", g.checks / checks_s);
    if (rss_1k > 0) bench::print_figure("rss_mb_after_1k", rss_1k);
    if (heap_1k > 0) bench::print_figure("heap_mb_in_use_after_1k", heap_1k);
    const std::string after = g.checks % 1000 == 0 ? std::to_string(g.checks / 1000) + "k" : std::to_string(g.checks);
    bench::print_figure(("rss_mb_after_" + after).c_str(), rss_after);
    bench::print_figure(("heap_mb_in_use_after_" + after).c_str(), heap_after);
    return 0;
}


}  // namespace

int main(int argc, char **argv) {
    return bench::sandbox_main("onshi_host_calls_bench", "[--checks C] [--library PATH] [--dir DIR] [--sandbox PATH]",
                               argc, argv,
                               {bench::number_option("--checks", &g.checks, 1, 1000000),
                                bench::text_option("--library", &g.library), bench::text_option("--dir", &g.dir),
                                bench::text_option("--sandbox", &g.sandbox)},
                               g.sandbox, g.dir, run);
}
