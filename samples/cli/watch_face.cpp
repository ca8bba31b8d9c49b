#include "watch_face.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <iostream>
#include <mutex>

namespace sdk = onshi::sdk;

namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop = true; }

// Where the delivered set lives when neither --watch-state nor the configuration names a file:
// the user's state folder, one file per watched folder.
std::string default_state_file(const std::string &dir) {
    namespace fs = std::filesystem;
    fs::path base;
#ifdef _WIN32
    if (const char *local = std::getenv("LOCALAPPDATA")) base = fs::path(local) / "onshi";
#else
    if (const char *xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg) base = fs::path(xdg) / "onshi";
    else if (const char *home = std::getenv("HOME")) base = fs::path(home) / ".local" / "state" / "onshi";
#endif
    if (base.empty()) return {};
    std::error_code ec;
    fs::create_directories(base, ec);
    fs::permissions(base, fs::perms::owner_all, fs::perm_options::replace, ec);
    std::uint64_t h = 14695981039346656037ull;  // FNV-1a, as the library names its own default
    for (unsigned char c : dir) h = (h ^ c) * 1099511628211ull;
    char name[64];
    std::snprintf(name, sizeof name, "face_watch-%016llx.state", static_cast<unsigned long long>(h));
    return (base / name).string();
}

std::string to_text(const rapidjson::Value &value) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    value.Accept(w);
    return sb.GetString();
}

}  // namespace

std::string config_with_face_watch(const std::string &config_text, const WatchFaceOptions &o) {
    rapidjson::Document config;
    config.Parse(config_text.c_str(), config_text.size());
    if (config.HasParseError() || !config.IsObject()) return config_text;  // onshi_open says what is wrong
    auto &a = config.GetAllocator();
    rapidjson::Value watch(rapidjson::kObjectType);
    watch.AddMember("dir", rapidjson::Value(o.dir.c_str(), a), a);
    if (!o.mode.empty()) watch.AddMember("mode", rapidjson::Value(o.mode.c_str(), a), a);
    if (o.poll_ms > 0) watch.AddMember("poll_ms", o.poll_ms, a);
    std::string state = o.state_file;
    const bool has_credential_dir = config.HasMember("credential_dir");
    if (state.empty() && !has_credential_dir) state = default_state_file(o.dir);
    if (!state.empty()) watch.AddMember("state", rapidjson::Value(state.c_str(), a), a);
    if (!o.move_processed_to.empty())
        watch.AddMember("move_processed_to", rapidjson::Value(o.move_processed_to.c_str(), a), a);
    config.RemoveMember("face_watch");
    config.AddMember("face_watch", watch, a);
    return to_text(config);
}

int watch_face(const sdk::Library &library, const std::string &config_json, const WatchFaceOptions &o) {
    std::mutex mutex;
    std::condition_variable arrived_cv;
    std::deque<sdk::Event> arrived;
    sdk::Context context(library, config_json);
    context.on_event([&](const sdk::Event &e) {
        if (e.type != ONSHI_EVENT_RESULT_ARRIVED) return;
        {
            std::lock_guard lock(mutex);
            arrived.push_back(e);
        }
        arrived_cv.notify_one();
    });
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    std::cerr << "onshi-check: watching " << o.dir << " (Ctrl+C to stop) / 監視中\n";

    const auto &api = library.loaded()->api;
    const auto until = std::chrono::steady_clock::now() +
                       std::chrono::milliseconds(static_cast<std::int64_t>(o.for_seconds * 1000));
    long printed = 0;
    while (!g_stop && (o.max_results == 0 || printed < o.max_results) &&
           (o.for_seconds <= 0 || std::chrono::steady_clock::now() < until)) {
        sdk::Event e;
        {
            std::unique_lock lock(mutex);
            // Short waits: a signal only sets a flag.
            if (!arrived_cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return !arrived.empty(); })) continue;
            e = std::move(arrived.front());
            arrived.pop_front();
        }
        rapidjson::Document line(rapidjson::kObjectType);
        auto &a = line.GetAllocator();
        line.AddMember("file", rapidjson::Value(e.text.c_str(), a), a);
        line.AddMember("status", rapidjson::Value(api.onshi_status_name(e.status), a), a);
        onshi_result *result = nullptr;
        if (api.onshi_job_result(context.native(), e.job, &result) == ONSHI_OK && result) {
            const char *json = nullptr;
            rapidjson::Document parsed;
            if (api.onshi_result_json(result, &json) == ONSHI_OK && json) parsed.Parse(json);
            if (!parsed.HasParseError() && parsed.IsObject()) {
                if (e.status != ONSHI_OK && parsed.HasMember("message") && parsed["message"].IsString())
                    line.AddMember("message", rapidjson::Value(parsed["message"], a), a);
                line.AddMember("result", rapidjson::Value(parsed, a), a);
            }
            api.onshi_result_free(result);
        }
        api.onshi_job_release(context.native(), e.job);
        std::cout << to_text(line) << std::endl;  // flushed: a pipe reader sees each line at once
        ++printed;
    }
    std::cerr << "onshi-check: " << printed << " result file(s) / 件\n";
    return 0;
}
