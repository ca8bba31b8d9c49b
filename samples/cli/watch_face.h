// onshi-check --watch-face DIR --json: every 資格確認結果 file that arrives in DIR printed as one
// JSON line, until SIGINT / SIGTERM (or --max N results, or --for-seconds S).
#pragma once

#include <onshi/host_sdk.hpp>

#include <string>

struct WatchFaceOptions {
    std::string dir;
    std::string mode;            // "", "auto", "notify", "poll"
    int poll_ms = 0;             // 0: the library's default
    std::string state_file;      // "": the configuration's, else a per-user default
    std::string move_processed_to;
    long max_results = 0;        // 0: no limit
    double for_seconds = 0;      // 0: until a signal
};

// The "face_watch" member merged into the configuration JSON `config_text`.
std::string config_with_face_watch(const std::string &config_text, const WatchFaceOptions &o);

// Prints {"file": NAME, "status": "ONSHI_OK", "result": {...}} or {"file": NAME, "status":
// "ONSHI_E_PARSE", "message": ..., "result": {...}} per file on stdout; 0 when it ended by a
// signal, the limit or the time, 1 on a failure.
int watch_face(const onshi::sdk::Library &library, const std::string &config_json, const WatchFaceOptions &o);
