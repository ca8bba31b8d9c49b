// Time from a face file's rename into the watched folder to the host's ONSHI_EVENT_RESULT_ARRIVED
// (callback), median and p99, once with change notifications (inotify) and once with polling
// ("poll_ms", 1 s by default, as the peers poll). Files are renamed in one every --interval-ms, each
// timed from its own rename, so polling shows its real spread. No sandbox, no root: a temporary
// folder and the library through its C ABI.
//
//   onshi_face_watch_bench [--files N] [--interval-ms N] [--poll-ms N]
#include "bench_support.h"

#include <onshi/onshi.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Arrivals {
    onshi_context *context = nullptr;
    std::mutex mutex;
    std::condition_variable changed;
    std::map<std::string, Clock::time_point> at;
    int failed = 0;
};

void ONSHI_CALL on_event(void *user, const onshi_event *e) {
    auto *arrivals = static_cast<Arrivals *>(user);
    if (e->type != ONSHI_EVENT_RESULT_ARRIVED) return;
    const auto now = Clock::now();
    onshi_job_release(arrivals->context, e->job);
    {
        std::lock_guard lock(arrivals->mutex);
        arrivals->at.emplace(e->text, now);
        if (e->status != ONSHI_OK) ++arrivals->failed;
    }
    arrivals->changed.notify_all();
}

// Renames `files` copies of `xml` into a fresh folder watched in `mode`; prints the figures under
// `prefix`. False when a file never arrived or gave no result.
bool measure(const std::string &mode, const char *prefix, int files, int interval_ms, int poll_ms, const std::string &xml) {
    const fs::path root = fs::temp_directory_path() / ("onshi-face-watch-bench-" + std::to_string(::getpid()) + "-" + mode);
    fs::remove_all(root);
    fs::create_directories(root / "face");
    const std::string config = "{\"pcsc\":{\"enabled\":false},\"max_jobs\":100000,\"face_watch\":{\"dir\":\"" +
                               (root / "face").string() + "\",\"mode\":\"" + mode + "\",\"poll_ms\":" +
                               std::to_string(poll_ms) + ",\"state\":\"" + (root / "state").string() + "\"}}";
    Arrivals arrivals;
    if (onshi_open(config.c_str(), &arrivals.context) != ONSHI_OK) {
        std::cerr << "onshi_open: " << onshi_last_error(nullptr) << "\n";
        return false;
    }
    onshi_set_event_callback(arrivals.context, on_event, &arrivals);
    std::vector<std::pair<std::string, Clock::time_point>> renamed;
    for (int i = 0; i < files; ++i) {
        char name[96];
        std::snprintf(name, sizeof name, "OQSsiquc01res_face_bench%06d_20261205120000.xml", i);
        const fs::path temp = root / "face" / (".bench-" + std::to_string(i) + ".tmp");
        std::ofstream(temp, std::ios::binary) << xml;
        const auto t0 = Clock::now();
        fs::rename(temp, root / "face" / name);
        renamed.emplace_back(name, t0);
        std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
    }
    bool complete;
    {
        std::unique_lock lock(arrivals.mutex);
        complete = arrivals.changed.wait_for(lock, std::chrono::seconds(60) + std::chrono::milliseconds(3 * poll_ms),
                                             [&] { return arrivals.at.size() >= renamed.size(); });
    }
    onshi_close(arrivals.context);
    std::vector<double> ms;
    for (const auto &[name, t0] : renamed) {
        auto it = arrivals.at.find(name);
        if (it != arrivals.at.end()) ms.push_back(std::chrono::duration<double, std::milli>(it->second - t0).count());
    }
    fs::remove_all(root);
    const std::string p(prefix);
    bench::print_figure((p + "_files").c_str(), static_cast<double>(ms.size()));
    bench::print_figure((p + "_ms_median").c_str(), bench::percentile(ms, 0.5));
    bench::print_figure((p + "_ms_p99").c_str(), bench::percentile(ms, 0.99));
    if (!complete || arrivals.failed) {
        std::cerr << prefix << ": " << ms.size() << " of " << files << " files arrived, " << arrivals.failed << " without a result\n";
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char **argv) {
    int files = 1000, interval_ms = 5, poll_ms = 1000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const int value = std::atoi(argv[i + 1]);
        if (name == "--files" && value > 0) files = value;
        else if (name == "--interval-ms" && value >= 0) interval_ms = value;
        else if (name == "--poll-ms" && value >= 100) poll_ms = value;
        else {
            std::cerr << "usage: onshi_face_watch_bench [--files N] [--interval-ms N] [--poll-ms N>=100]\n";
            return 2;
        }
    }
    const std::string xml = bench::read_all(ONSHI_BENCH_FIXTURE);
    if (xml.empty()) {
        std::cerr << "cannot read " << ONSHI_BENCH_FIXTURE << "\n";
        return 1;
    }
    bench::print_figure("face_watch_poll_interval_ms", poll_ms);
    const bool notify_ok = measure("notify", "face_watch_inotify", files, interval_ms, poll_ms, xml);
    const bool poll_ok = measure("poll", "face_watch_poll", files, interval_ms, poll_ms, xml);
    return notify_ok && poll_ok ? 0 : 1;
}
