#include "core/face_watcher.h"

#include "gateway/xml_result_import.h"
#include "registration/check_digit.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>

namespace onshi::core {
namespace fs = std::filesystem;

namespace {

// Paths are UTF-8 in onshi (and wide on Windows): through char8_t, never the ANSI code page.
fs::path path_of(const std::string &utf8) { return fs::path(std::u8string(utf8.begin(), utf8.end())); }
std::string utf8_of(const fs::path &path) {
    const std::u8string text = path.u8string();
    return std::string(text.begin(), text.end());
}

Error too_large(const std::string &name, std::uint64_t size, std::uint64_t cap) {
    return Error(ONSHI_E_PARSE,
                 {"face_watch: " + name + " has " + std::to_string(size) + " bytes, more than the " +
                      std::to_string(cap) + " a result file may have",
                  "face_watch: " + name + " は " + std::to_string(size) + " バイトあり、結果ファイルの上限 " +
                      std::to_string(cap) + " バイトを超えています"});
}

}  // namespace

FaceWatcher::FaceWatcher(FaceWatchConfig config, std::unique_ptr<DirectoryNotifier> notifier, Deliver deliver, Logger &logger)
    : config_(std::move(config)), notifier_(std::move(notifier)), deliver_(std::move(deliver)), logger_(logger),
      delivered_(config_.state_file) {}

FaceWatcher::~FaceWatcher() { stop(); }

std::unique_ptr<DirectoryNotifier> FaceWatcher::notifier_for(const FaceWatchConfig &config, Logger &logger) {
    switch (config.mode) {
    case FaceWatchMode::poll:
        return make_timer_notifier();
    case FaceWatchMode::notify:
        return make_change_notifier(config.dir);
    case FaceWatchMode::automatic:
        break;
    }
    if (is_network_folder(config.dir)) {
        logger.log(LogLevel::info, "face-watch", config.dir + " is on a network share: polling");
        return make_timer_notifier();
    }
    try {
        return make_change_notifier(config.dir);
    } catch (const Error &e) {
        logger.log(LogLevel::warn, "face-watch", e.message("en") + ": polling instead");
        return make_timer_notifier();
    }
}

void FaceWatcher::start() {
    thread_ = std::thread([this] { run(); });
}

void FaceWatcher::stop() {
    stopping_ = true;
    notifier_->wake();
    if (thread_.joinable()) thread_.join();
}

void FaceWatcher::run() {
    using clock = std::chrono::steady_clock;
    logger_.log(LogLevel::info, "face-watch", "watching " + config_.dir + " (" + std::to_string(delivered_.size()) +
                                                   " files delivered before)");
    list_folder();
    save_state();
    // Polling lists every interval; notifications need a listing only to settle files found by
    // one (written in place) and as a safety net.
    auto period = [&] {
        return config_.mode == FaceWatchMode::poll || !pending_.empty() ? config_.poll_interval : kSafetyListing;
    };
    auto next_listing = clock::now() + period();
    while (!stopping_) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next_listing - clock::now());
        DirectoryChanges changes = notifier_->wait(std::max(left, std::chrono::milliseconds(0)));
        if (stopping_) break;
        try {
            for (const std::string &name : changes.completed)
                if (is_face_result_name(name)) take_completed(name);
            if (changes.rescan || clock::now() >= next_listing) {
                list_folder();
                next_listing = clock::now() + period();
            } else if (!pending_.empty()) {
                next_listing = std::min(next_listing, clock::now() + config_.poll_interval);
            }
        } catch (const std::bad_alloc &) {
            logger_.log(LogLevel::error, "face-watch", "out of memory; trying again at the next listing");
        }
        save_state();
    }
    logger_.log(LogLevel::info, "face-watch", "stopped watching " + config_.dir);
}

std::optional<FileIdentity> FaceWatcher::identity(const std::string &name) const {
    std::error_code ec;
    const fs::path path = path_of(config_.dir) / path_of(name);
    if (!fs::is_regular_file(path, ec)) return std::nullopt;
    FileIdentity file{name, 0, 0};
    file.size = fs::file_size(path, ec);
    if (ec) return std::nullopt;
    const auto written = fs::last_write_time(path, ec);
    if (ec) return std::nullopt;
    file.mtime = static_cast<std::int64_t>(written.time_since_epoch().count());
    return file;
}

void FaceWatcher::take_completed(const std::string &name) {
    std::optional<FileIdentity> file = identity(name);
    if (!file) return;  // gone again, or not a plain file
    if (delivered_.contains(*file)) return;
    // A file that does not parse may be a writer's first piece: the stable-size rule decides.
    if (!hand_over(*file, false)) pending_[name] = {*file, std::chrono::steady_clock::now()};
    else pending_.erase(name);
}

void FaceWatcher::list_folder() {
    std::error_code ec;
    fs::directory_iterator it(path_of(config_.dir), ec), end;
    if (ec) {
        if (!listing_failed_)
            logger_.log(LogLevel::error, "face-watch", "cannot list " + config_.dir + ": " + ec.message());
        listing_failed_ = true;
        return;
    }
    if (listing_failed_) logger_.log(LogLevel::info, "face-watch", "can list " + config_.dir + " again");
    listing_failed_ = false;
    const auto now = std::chrono::steady_clock::now();
    std::set<std::string> present;
    for (; it != end; it.increment(ec)) {
        if (ec) break;
        const std::string name = utf8_of(it->path().filename());
        if (!is_face_result_name(name)) continue;
        std::optional<FileIdentity> file = identity(name);
        if (!file) continue;
        present.insert(name);
        if (delivered_.contains(*file)) {
            move_away(*file);  // one moved before a crash, or not yet movable
            continue;
        }
        auto seen = pending_.find(name);
        if (seen == pending_.end() || !(seen->second.file == *file)) {
            pending_[name] = {*file, now};  // new, or still growing
        } else if (now - seen->second.since >= config_.poll_interval) {
            if (hand_over(*file, true)) pending_.erase(seen);
            else seen->second.since = now;
        }
    }
    for (auto p = pending_.begin(); p != pending_.end();)
        p = present.count(p->first) ? std::next(p) : pending_.erase(p);
}

bool FaceWatcher::hand_over(const FileIdentity &file, bool report_errors) {
    ArrivedFile arrived{file.name, nullptr, std::nullopt};
    if (file.size > config_.max_file_bytes) {
        arrived.error = too_large(file.name, file.size, config_.max_file_bytes);
    } else {
        std::string bytes;
        {
            std::ifstream in(path_of(config_.dir) / path_of(file.name), std::ios::binary);
            if (!in) return false;  // locked by its writer (Windows) or gone: later
            bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
        if (bytes.size() != file.size) return false;  // still being written
        try {
            // Exactly what onshi_result_from_xml gives for the same bytes.
            JobResult::Builder result;
            gateway::write_result_from_xml(result.json(), bytes, registration::check_digit_ok);
            arrived.result = result.build();
        } catch (const Error &e) {
            if (!report_errors) return false;
            arrived.error = e.status() == ONSHI_E_NO_MEMORY ? Error(ONSHI_E_PARSE, {}) : e;
        } catch (const std::exception &) {
            if (!report_errors) return false;
            arrived.error = Error(ONSHI_E_PARSE, {});
        }
    }
    if (!deliver_(arrived)) return false;
    // The event is out; the state is saved once the batch at hand is done (save_state). A crash
    // in between can only repeat these files at the next start, never lose one.
    delivered_.add(file);
    state_dirty_ = true;
    // The name and the outcome only: the contents are personal data.
    logger_.log(arrived.error ? LogLevel::warn : LogLevel::info, "face-watch",
                file.name + " (" + std::to_string(file.size) + " bytes): " +
                    (arrived.error ? "no result, " + arrived.error->message("en") : std::string("result delivered")));
    move_away(file);
    return true;
}

void FaceWatcher::move_away(const FileIdentity &file) {
    if (config_.move_processed_to.empty() || unmovable_.count(file.name)) return;
    std::error_code ec;
    const fs::path from = path_of(config_.dir) / path_of(file.name);
    const fs::path to = path_of(config_.move_processed_to) / path_of(file.name);
    // Never over another file: a name taken there stays where it is.
    if (fs::exists(to, ec) || ec) {
        unmovable_.insert(file.name);
        logger_.log(LogLevel::warn, "face-watch", file.name + " stays: " + config_.move_processed_to + " already has that name");
        return;
    }
    fs::rename(from, to, ec);
    if (ec) {
        unmovable_.insert(file.name);
        logger_.log(LogLevel::warn, "face-watch", file.name + " stays: cannot move it to " + config_.move_processed_to +
                                                      " (" + ec.message() + ")");
        return;
    }
    delivered_.forget(file);
    state_dirty_ = true;
}

void FaceWatcher::save_state() {
    if (!state_dirty_) return;
    state_dirty_ = false;
    try {
        delivered_.save();
    } catch (const Error &e) {
        logger_.log(LogLevel::error, "face-watch", e.message("en"));
    }
}

}  // namespace onshi::core
