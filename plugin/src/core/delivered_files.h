// The face watcher's memory of the files it already delivered (docs/folder-interface.md §Watch):
// one line per file, "<size> <mtime> <name>", kept in a state file that is rewritten whole on
// every change (temporary file, flush, rename, folder flush), so that a restart or a crash at any
// moment leaves either the old or the new set, never half of one.
#pragma once

#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <tuple>

namespace onshi::core {

struct FileIdentity {
    std::string name;
    std::uint64_t size = 0;
    std::int64_t mtime = 0;  // the file system's write time, in its own ticks

    bool operator<(const FileIdentity &other) const {
        return std::tie(name, size, mtime) < std::tie(other.name, other.size, other.mtime);
    }
    bool operator==(const FileIdentity &other) const {
        return name == other.name && size == other.size && mtime == other.mtime;
    }
};

class DeliveredFiles {
public:
    // Oldest entries are forgotten beyond this many (years of a clinic's arrivals).
    static constexpr std::size_t kMaxEntries = 100'000;

    // Reads `path` if it exists (lines that do not parse are skipped: a torn file from an old
    // crash loses nothing else). Throws Error(ONSHI_E_CONFIG) when it exists but cannot be read.
    explicit DeliveredFiles(std::string path);

    bool contains(const FileIdentity &file) const { return set_.count(file) != 0; }
    // Adds a file, or forgets one (after it was moved away); the caller saves.
    void add(const FileIdentity &file);
    void forget(const FileIdentity &file);
    // Writes the state durably. Throws Error(ONSHI_E_INTERNAL) saying why (the set in memory stays).
    void save() const;
    std::size_t size() const { return set_.size(); }

private:
    const std::string path_;
    std::set<FileIdentity> set_;
    std::deque<FileIdentity> order_;  // oldest first, for kMaxEntries
};

}  // namespace onshi::core
