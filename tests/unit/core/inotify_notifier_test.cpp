// The Linux change source of the face watcher against a real folder: what inotify reports as
// complete (a rename in, a writer's close), what it does not (a file still open), a lost folder
// that comes back, and a wake-up from another thread.
#include "core/directory_notifier.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using onshi::core::DirectoryChanges;
using onshi::core::DirectoryNotifier;

struct Folder {
    fs::path path = fs::temp_directory_path() / ("onshi-inotify-" + std::to_string(::getpid()) + "-" +
                                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    Folder() {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~Folder() { fs::remove_all(path); }
};

// Waits (at most 10 s) until `name` is reported complete, or a rescan is asked for when `rescan`.
bool reported(DirectoryNotifier &source, const std::string &name, bool rescan = false) {
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < until) {
        DirectoryChanges changes = source.wait(200ms);
        if (rescan && changes.rescan) return true;
        if (!name.empty() && std::count(changes.completed.begin(), changes.completed.end(), name)) return true;
    }
    return false;
}

TEST(InotifyNotifier, ReportsARenameAndAWritersCloseButNotAnOpenFile) {
    Folder folder;
    auto source = onshi::core::make_change_notifier(folder.path.string());
    std::ofstream(folder.path / ".part") << "x";
    fs::rename(folder.path / ".part", folder.path / "renamed.xml");
    EXPECT_TRUE(reported(*source, "renamed.xml"));

    std::ofstream open_file(folder.path / "written.xml");
    open_file << "still writing" << std::flush;
    DirectoryChanges meanwhile = source->wait(300ms);
    EXPECT_EQ(std::count(meanwhile.completed.begin(), meanwhile.completed.end(), "written.xml"), 0)
        << "an open file is not complete";
    open_file.close();
    EXPECT_TRUE(reported(*source, "written.xml"));
}

TEST(InotifyNotifier, AFolderThatIsReplacedIsWatchedAgain) {
    Folder folder;
    auto source = onshi::core::make_change_notifier(folder.path.string());
    fs::remove_all(folder.path);
    EXPECT_TRUE(reported(*source, "", true)) << "the loss asks for a listing";
    fs::create_directories(folder.path);
    source->wait(10ms);  // re-arms on the new folder
    std::ofstream(folder.path / ".part") << "x";
    fs::rename(folder.path / ".part", folder.path / "after.xml");
    EXPECT_TRUE(reported(*source, "after.xml"));
}

TEST(InotifyNotifier, WakeEndsAWaitFromAnotherThread) {
    Folder folder;
    auto source = onshi::core::make_change_notifier(folder.path.string());
    std::thread waker([&] {
        std::this_thread::sleep_for(50ms);
        source->wake();
    });
    const auto start = std::chrono::steady_clock::now();
    source->wait(60s);
    waker.join();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 30s) << "woken, not timed out";
}

TEST(InotifyNotifier, AMissingFolderIsRefusedNamingIt) {
    try {
        onshi::core::make_change_notifier("/nonexistent/onshi-face");
        FAIL() << "no error";
    } catch (const onshi::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_CONFIG);
        EXPECT_NE(e.message("en").find("/nonexistent/onshi-face"), std::string::npos);
    }
}

}  // namespace
