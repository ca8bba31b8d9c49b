// The "face_watch" configuration (docs/config.md, docs/folder-interface.md §Watch): which folder
// onshi watches for 資格確認結果 files, how it learns about new ones, and where it remembers the
// files it already delivered.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace onshi::core {

enum class FaceWatchMode {
    automatic,  // "auto": notifications, or polling when the folder is on a network share
    notify,     // "notify": inotify / ReadDirectoryChangesW (plus a slow safety rescan)
    poll,       // "poll": list the folder every poll interval (network shares)
};

struct FaceWatchConfig {
    std::string dir;  // empty: no watcher
    FaceWatchMode mode = FaceWatchMode::automatic;
    // Polling period, and how long a file's size and time must stay the same before a file found
    // by listing (not by a notification) is read: writers that write in place finish meanwhile.
    std::chrono::milliseconds poll_interval{1000};
    std::string state_file;       // the delivered files; default: default_face_watch_state()
    std::string move_processed_to;  // empty: processed files stay where they are
    std::uint64_t max_file_bytes = 1u << 20;  // larger files are refused with an error event
};

// "auto" / "notify" / "poll"; false for anything else.
bool face_watch_mode_named(std::string_view name, FaceWatchMode &out);

// The state file when "state" is not given: face_watch-<hash of the folder>.state in
// `credential_dir` (a folder onshi owns, 0700), so two watched folders never share a state. Empty
// when there is no credential_dir (then "state" is required).
std::string default_face_watch_state(const std::string &dir, const std::string &credential_dir);

// True for a name a 資格確認結果 watcher takes: OQSsiquc01res_*.xml (".xml" in any case), never a
// hidden or temporary name (the export's ".onshi-face-*.tmp").
bool is_face_result_name(std::string_view name);

}  // namespace onshi::core
