// Where the face watcher (face_watcher.h) learns that a file in its folder is complete. One
// interface, three sources: inotify (Linux), ReadDirectoryChangesW (Windows), and a plain timer
// for polling; unit tests give their own.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace onshi::core {

struct DirectoryChanges {
    // Names that a writer closed after writing (IN_CLOSE_WRITE) or moved into the folder
    // (IN_MOVED_TO, FILE_ACTION_RENAMED_NEW_NAME): complete, to be read now.
    std::vector<std::string> completed;
    // The source lost track (queue overflow, folder replaced): list the whole folder.
    bool rescan = false;
};

class DirectoryNotifier {
public:
    virtual ~DirectoryNotifier() = default;
    // Waits up to `timeout` for changes; an empty answer means the time passed or wake() was
    // called.
    virtual DirectoryChanges wait(std::chrono::milliseconds timeout) = 0;
    // From another thread: the current (or next) wait returns at once.
    virtual void wake() = 0;
};

// Only waits (polling mode): every change is found by listing the folder.
std::unique_ptr<DirectoryNotifier> make_timer_notifier();
// The platform's change notifications for `dir`; throws Error(ONSHI_E_CONFIG) saying why when the
// folder cannot be watched that way (missing folder, no notifications on this platform).
std::unique_ptr<DirectoryNotifier> make_change_notifier(const std::string &dir);
// True when `dir` is on a network file system (NFS, SMB/CIFS, a UNC path or a mapped network
// drive), where change notifications are unreliable: "auto" polls there.
bool is_network_folder(const std::string &dir);

}  // namespace onshi::core
