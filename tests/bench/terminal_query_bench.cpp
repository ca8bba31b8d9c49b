// 個別照会 overhead (issue 16, Performance): onshi_check_by_insurance against the sandbox's
// 資格確認端末 emulator, sequentially. The host's time (call to the job's end) minus the emulator's
// own answer time (its request file renamed into req, to its answer renamed into res, both seen
// by this program's inotify watch; the emulator is told to take --answer-ms, 20, so the two
// events never arrive in one batch) is what onshi adds: writing the request, noticing the answer,
// reading and parsing it, ending the job. Prints figures only.
#include "bench_support.h"

#include <onshi/onshi.h>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/inotify.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

struct Globals {
    int queries = 200;
    int answer_ms = 20;
    std::string dir = ONSHI_BENCH_DIR;
    std::string sandbox = ONSHI_SANDBOX_BIN;
} g;

double ms(clock_type::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Times of the files renamed into req (onshi's requests) and res (the emulator's answers), in order.
class FolderClock {
public:
    FolderClock(const std::string &req, const std::string &res) : fd_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
        req_wd_ = inotify_add_watch(fd_, req.c_str(), IN_MOVED_TO);
        res_wd_ = inotify_add_watch(fd_, res.c_str(), IN_MOVED_TO | IN_CLOSE_WRITE);
        thread_ = std::thread([this] { loop(); });
    }
    ~FolderClock() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    std::vector<clock_type::time_point> requests() const {
        std::lock_guard lock(mutex_);
        return req_;
    }
    std::vector<clock_type::time_point> answers() const {
        std::lock_guard lock(mutex_);
        return res_;
    }

private:
    void loop() {
        alignas(inotify_event) char buf[8192];
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0) continue;
            const ssize_t n = ::read(fd_, buf, sizeof buf);
            const auto now = clock_type::now();
            for (ssize_t i = 0; i < n;) {
                const auto *e = reinterpret_cast<const inotify_event *>(buf + i);
                const std::string name = e->len ? e->name : "";
                std::lock_guard lock(mutex_);
                if (e->wd == req_wd_ && name.rfind("OQSsiquc01req_", 0) == 0) req_.push_back(now);
                if (e->wd == res_wd_ && (e->mask & IN_MOVED_TO) && name.rfind("OQSsiquc01res_", 0) == 0) res_.push_back(now);
                i += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
            }
        }
    }
    int fd_, req_wd_ = -1, res_wd_ = -1;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::vector<clock_type::time_point> req_, res_;
    std::thread thread_;
};

std::string request_json(const bench::Sandbox &sandbox) {
    std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen((g.sandbox + " app-text --persona valid-honnin --record").c_str(), "r"),
                                                pclose);
    std::string text;
    char buf[4096];
    while (pipe && std::fgets(buf, sizeof buf, pipe.get())) text += buf;
    (void)sandbox;
    rapidjson::Document rec;
    rec.Parse(text.c_str());
    if (!rec.IsObject()) return "";
    rapidjson::Document req(rapidjson::kObjectType);
    auto &a = req.GetAllocator();
    for (const char *k : {"InsurerNumber", "InsuredCardSymbol", "InsuredIdentificationNumber", "InsuredBranchNumber", "Birthdate"})
        if (rec.HasMember(k)) req.AddMember(rapidjson::StringRef(k), rapidjson::Value(rec[k], a), a);
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    req.Accept(w);
    return sb.GetString();
}

int measure(bench::Sandbox &sandbox) {
    if (!sandbox.up("--readers 1")) return 1;
    // The emulator answers 20 ms after it saw a request: its request and answer events are then far
    // enough apart that the watch never reads them in one batch (one time stamp for both).
    if (sandbox.run("terminal-fault --mode slow --ms " + std::to_string(g.answer_ms)) != 0) return 1;
    const std::string request = request_json(sandbox);
    if (request.empty()) return 1;
    onshi_context *ctx = nullptr;
    if (onshi_open(bench::plugin_config(sandbox.dir(), 0).c_str(), &ctx) != ONSHI_OK) return 1;
    FolderClock folders(sandbox.dir() + "/oqs/req", sandbox.dir() + "/oqs/res");
    std::vector<double> total, terminal, overhead;
    for (int i = 0; i < g.queries; ++i) {
        const auto t0 = clock_type::now();
        onshi_job_id job = 0;
        onshi_status final_status = ONSHI_E_INTERNAL;
        if (onshi_check_by_insurance(ctx, request.c_str(), &job) != ONSHI_OK ||
            onshi_job_wait(ctx, job, 30000, &final_status) != ONSHI_OK || final_status != ONSHI_OK) {
            std::fprintf(stderr, "query %d did not complete: %s\n", i, onshi_status_name(final_status));
            onshi_close(ctx);
            return 1;
        }
        total.push_back(ms(clock_type::now() - t0));
        onshi_job_release(ctx, job);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the last inotify events
    const auto req = folders.requests(), res = folders.answers();
    onshi_close(ctx);
    if (req.size() != total.size() || res.size() != total.size()) {
        std::fprintf(stderr, "saw %zu requests and %zu answers for %zu queries\n", req.size(), res.size(), total.size());
        return 1;
    }
    for (std::size_t i = 0; i < total.size(); ++i) {
        terminal.push_back(ms(res[i] - req[i]));
        overhead.push_back(total[i] - terminal.back());
    }
    std::printf("terminal_query_count=%zu\n", total.size());
    bench::print_figure("terminal_query_ms_median", bench::percentile(total, 0.5));
    bench::print_figure("terminal_query_ms_p99", bench::percentile(total, 0.99));
    bench::print_figure("terminal_emulator_answer_ms_median", bench::percentile(terminal, 0.5));
    bench::print_figure("terminal_query_overhead_ms_median", bench::percentile(overhead, 0.5));
    bench::print_figure("terminal_query_overhead_ms_p99", bench::percentile(overhead, 0.99));
    return 0;
}

// The sandbox goes down on every path, as in the other benchmarks.
int run(bench::Sandbox &sandbox) {
    const int rc = measure(sandbox);
    sandbox.down();
    return rc;
}

}  // namespace

int main(int argc, char **argv) {
    return bench::sandbox_main("onshi_terminal_query_bench", "[--queries N] [--answer-ms MS] [--dir DIR] [--sandbox PATH]", argc, argv,
                               {bench::number_option("--queries", &g.queries, 1, 100000),
                                bench::number_option("--answer-ms", &g.answer_ms, 0, 10000), bench::text_option("--dir", &g.dir),
                                bench::text_option("--sandbox", &g.sandbox)},
                               g.sandbox, g.dir, run);
}
