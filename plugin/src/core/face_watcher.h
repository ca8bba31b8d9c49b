// Watches a folder for 資格確認結果 files (OQSsiquc01res_*.xml: the 外来型 terminal's face folder,
// or a converter's output) and hands each one over once, parsed into the one result model
// (gateway/xml_result_import.h), or as an error naming the file (docs/folder-interface.md §Watch).
//
// A file is read only when complete: named by a notification that its writer closed it or
// renamed it in, or, when found by listing the folder, once its size and write time stayed the
// same for the poll interval. Each file (name, size, write time) is handed over once: the set is
// saved durably after each batch of hand-overs (delivered_files.h), so a restart does not repeat
// one. A file is never deleted; with "move_processed_to" it is moved there after its hand-over.
#pragma once

#include "core/delivered_files.h"
#include "core/directory_notifier.h"
#include "core/face_watch_config.h"
#include "core/job_result.h"
#include "util/error.h"
#include "util/log.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>

namespace onshi::core {

struct ArrivedFile {
    std::string name;                            // the file's name, without the folder
    std::shared_ptr<const JobResult> result;     // the result, or
    std::optional<Error> error;                  // why the file gave none (ONSHI_E_PARSE, ...ELIGIBILITY_ERROR)
};

class FaceWatcher {
public:
    // Returns false when the file cannot be taken now (the job table is full): it is offered again
    // at a later listing.
    using Deliver = std::function<bool(const ArrivedFile &)>;
    // How often a folder watched by notifications is listed anyway (a missed notification, a file
    // written in place, a hand-over to retry).
    static constexpr std::chrono::milliseconds kSafetyListing{5000};

    // Reads the state file (throws Error(ONSHI_E_CONFIG) when it cannot).
    FaceWatcher(FaceWatchConfig config, std::unique_ptr<DirectoryNotifier> notifier, Deliver deliver, Logger &logger);
    ~FaceWatcher();
    FaceWatcher(const FaceWatcher &) = delete;
    FaceWatcher &operator=(const FaceWatcher &) = delete;

    // The notifier "mode" asks for: throws Error(ONSHI_E_CONFIG) when "notify" cannot watch the folder.
    static std::unique_ptr<DirectoryNotifier> notifier_for(const FaceWatchConfig &config, Logger &logger);

    void start();
    // Wakes the thread and joins it; a hand-over in progress completes first. Idempotent.
    void stop();

private:
    struct Seen {
        FileIdentity file;
        std::chrono::steady_clock::time_point since;
    };

    void run();
    void list_folder();
    void take_completed(const std::string &name);
    // False when the file is to be looked at again later (changed, unreadable, not taken).
    bool hand_over(const FileIdentity &file, bool report_errors);
    void move_away(const FileIdentity &file);
    // Saves the delivered set when it changed: once per batch of files, not once per file.
    void save_state();
    std::optional<FileIdentity> identity(const std::string &name) const;

    const FaceWatchConfig config_;
    const std::unique_ptr<DirectoryNotifier> notifier_;
    const Deliver deliver_;
    Logger &logger_;
    DeliveredFiles delivered_;
    std::map<std::string, Seen> pending_;   // found by listing, not yet stable
    std::set<std::string> unmovable_;       // logged once
    bool listing_failed_ = false;           // logged once until it works again
    bool state_dirty_ = false;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace onshi::core
