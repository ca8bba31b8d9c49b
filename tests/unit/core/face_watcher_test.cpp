// The face watcher behind a scripted notification source: what it hands over (once, complete,
// with the result or an error naming the file), what it remembers across a restart, and that it
// never deletes a file. Real folders in the temp directory; no timing is asserted, the waits are
// only upper bounds.
#include "core/face_watcher.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using onshi::core::ArrivedFile;
using onshi::core::DirectoryChanges;
using onshi::core::DirectoryNotifier;
using onshi::core::FaceWatchConfig;
using onshi::core::FaceWatcher;
using onshi::core::FaceWatchMode;

std::string fixture(const std::string &name) {
    std::ifstream in(fs::path(ONSHI_TEST_XML_DIR) / name, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Changes the test announces, one per wait; a wait without one times out (or is woken).
class ScriptedNotifier final : public DirectoryNotifier {
public:
    void announce(DirectoryChanges changes) {
        {
            std::lock_guard lock(mutex_);
            queue_.push_back(std::move(changes));
        }
        changed_.notify_all();
    }
    DirectoryChanges wait(std::chrono::milliseconds timeout) override {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, timeout, [&] { return woken_ || !queue_.empty(); });
        woken_ = false;
        if (queue_.empty()) return {};
        DirectoryChanges next = std::move(queue_.front());
        queue_.pop_front();
        return next;
    }
    void wake() override {
        {
            std::lock_guard lock(mutex_);
            woken_ = true;
        }
        changed_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<DirectoryChanges> queue_;
    bool woken_ = false;
};

// What the watcher handed over, in order.
struct Received {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<ArrivedFile> files;
    int refuse_first = 0;  // hand-overs to refuse (a full job table)

    FaceWatcher::Deliver deliver() {
        return [this](const ArrivedFile &file) {
            std::lock_guard lock(mutex);
            if (refuse_first > 0) {
                --refuse_first;
                return false;
            }
            files.push_back(file);
            changed.notify_all();
            return true;
        };
    }
    // Waits until `n` files arrived (at most 20 s); returns what arrived.
    std::vector<ArrivedFile> wait_for(std::size_t n) {
        std::unique_lock lock(mutex);
        changed.wait_for(lock, 20s, [&] { return files.size() >= n; });
        return files;
    }
};

struct WatchFolder {
    fs::path root = fs::temp_directory_path() / ("onshi-face-watcher-" + std::to_string(::getpid()) + "-" +
                                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::path dir = root / "face";
    fs::path state = root / "state" / "face_watch.state";
    WatchFolder() {
        fs::remove_all(root);
        fs::create_directories(dir);
        fs::create_directories(state.parent_path());
    }
    ~WatchFolder() { fs::remove_all(root); }

    FaceWatchConfig config(std::chrono::milliseconds poll = 50ms) const {
        FaceWatchConfig c;
        c.dir = dir.string();
        c.mode = FaceWatchMode::poll;  // lists every `poll`: the scripted source only adds notifications
        c.poll_interval = poll;
        c.state_file = state.string();
        return c;
    }
    // Written under a name no watcher takes, then renamed in: complete when it appears.
    void put(const std::string &name, const std::string &bytes) const {
        const fs::path temp = dir / (".writing-" + name + ".tmp");
        std::ofstream(temp, std::ios::binary) << bytes;
        fs::rename(temp, dir / name);
    }
};

onshi::Logger quiet;

TEST(FaceWatcher, ANotifiedFileArrivesOnceWithItsResult) {
    WatchFolder folder;
    Received received;
    auto notifier = std::make_unique<ScriptedNotifier>();
    ScriptedNotifier &source = *notifier;
    FaceWatcher watcher(folder.config(10'000ms), std::move(notifier), received.deliver(), quiet);
    watcher.start();
    folder.put("OQSsiquc01res_face_1_20261205120000.xml", fixture("kourei70_shiftjis.xml"));
    source.announce({{"OQSsiquc01res_face_1_20261205120000.xml", ".writing-x.tmp"}, false});
    source.announce({{"OQSsiquc01res_face_1_20261205120000.xml"}, true});  // told twice, listed too
    folder.put("OQSsiquc01res_face_2_20261205120001.xml", fixture("hihokensho_limitcert_A03.xml"));
    source.announce({{"OQSsiquc01res_face_2_20261205120001.xml"}, false});
    const auto files = received.wait_for(2);
    watcher.stop();
    ASSERT_EQ(received.files.size(), 2u) << "each file once";
    EXPECT_EQ(files[0].name, "OQSsiquc01res_face_1_20261205120000.xml");
    ASSERT_TRUE(files[0].result) << (files[0].error ? files[0].error->message("en") : "");
    EXPECT_NE(files[0].result->json().find("\"source\":\"xml\""), std::string::npos) << files[0].result->json();
    EXPECT_NE(files[0].result->field("InsurerNumber", 0), nullptr);
    EXPECT_EQ(files[1].name, "OQSsiquc01res_face_2_20261205120001.xml");
    EXPECT_TRUE(fs::exists(folder.dir / files[0].name)) << "never deleted";
}

TEST(FaceWatcher, ARestartDoesNotDeliverAgain) {
    WatchFolder folder;
    folder.put("OQSsiquc01res_face_1_20261205120000.xml", fixture("minimal_no_optional_blocks.xml"));
    {
        Received first;
        FaceWatcher watcher(folder.config(), std::make_unique<ScriptedNotifier>(), first.deliver(), quiet);
        watcher.start();
        ASSERT_EQ(first.wait_for(1).size(), 1u) << "found by listing once stable";
    }
    Received second;
    auto notifier = std::make_unique<ScriptedNotifier>();
    ScriptedNotifier &source = *notifier;
    FaceWatcher watcher(folder.config(), std::move(notifier), second.deliver(), quiet);
    watcher.start();
    source.announce({{"OQSsiquc01res_face_1_20261205120000.xml"}, true});
    folder.put("OQSsiquc01res_face_2_20261205120001.xml", fixture("medical_aid_A1.xml"));
    const auto files = second.wait_for(1);
    std::this_thread::sleep_for(200ms);  // four more listings: the old file would have come by now
    watcher.stop();
    ASSERT_EQ(second.files.size(), 1u);
    EXPECT_EQ(files[0].name, "OQSsiquc01res_face_2_20261205120001.xml");
}

TEST(FaceWatcher, AMalformedFileIsAnErrorNamingItAndTheWatcherGoesOn) {
    WatchFolder folder;
    Received received;
    FaceWatcher watcher(folder.config(), std::make_unique<ScriptedNotifier>(), received.deliver(), quiet);
    watcher.start();
    folder.put("OQSsiquc01res_face_bad_20261205120000.xml", "<XmlMsg><MessageHeader>");
    ASSERT_EQ(received.wait_for(1).size(), 1u);
    folder.put("OQSsiquc01res_face_sjis_20261205120001.xml", std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XmlMsg>\x82\xa0</XmlMsg>"));
    ASSERT_EQ(received.wait_for(2).size(), 2u);
    folder.put("OQSsiquc01res_face_good_20261205120002.xml", fixture("kourei70_shiftjis.xml"));
    const auto files = received.wait_for(3);
    watcher.stop();
    ASSERT_EQ(files.size(), 3u);
    ASSERT_TRUE(files[0].error);
    EXPECT_EQ(files[0].error->status(), ONSHI_E_PARSE);
    EXPECT_EQ(files[0].name, "OQSsiquc01res_face_bad_20261205120000.xml");
    ASSERT_TRUE(files[1].error) << "Shift_JIS bytes in a file that says UTF-8";
    EXPECT_EQ(files[1].error->status(), ONSHI_E_PARSE);
    EXPECT_TRUE(files[2].result);
    EXPECT_TRUE(fs::exists(folder.dir / files[0].name)) << "never deleted";
}

TEST(FaceWatcher, AHugeFileIsRefusedUnread) {
    WatchFolder folder;
    Received received;
    FaceWatchConfig config = folder.config();
    config.max_file_bytes = 4096;
    FaceWatcher watcher(config, std::make_unique<ScriptedNotifier>(), received.deliver(), quiet);
    watcher.start();
    folder.put("OQSsiquc01res_face_huge_20261205120000.xml", std::string(5000, ' '));
    const auto files = received.wait_for(1);
    watcher.stop();
    ASSERT_EQ(files.size(), 1u);
    ASSERT_TRUE(files[0].error);
    EXPECT_EQ(files[0].error->status(), ONSHI_E_PARSE);
    EXPECT_NE(files[0].error->message("en").find("5000 bytes"), std::string::npos) << files[0].error->message("en");
    EXPECT_TRUE(fs::exists(folder.dir / files[0].name));
}

TEST(FaceWatcher, AFileWrittenInPlaceSlowlyIsReadWhenItsSizeStaysTheSame) {
    WatchFolder folder;
    Received received;
    FaceWatchConfig config = folder.config(400ms);
    config.mode = FaceWatchMode::poll;
    FaceWatcher watcher(config, onshi::core::make_timer_notifier(), received.deliver(), quiet);
    watcher.start();
    const std::string bytes = fixture("kourei70_shiftjis.xml");
    {
        std::ofstream out(folder.dir / "OQSsiquc01res_face_slow_20261205120000.xml", std::ios::binary);
        const std::size_t piece = bytes.size() / 8 + 1;
        for (std::size_t at = 0; at < bytes.size(); at += piece) {
            out << bytes.substr(at, piece) << std::flush;
            std::this_thread::sleep_for(20ms);
        }
    }
    const auto files = received.wait_for(1);
    watcher.stop();
    ASSERT_EQ(files.size(), 1u);
    EXPECT_TRUE(files[0].result) << "read complete: " << (files[0].error ? files[0].error->message("en") : "");
}

TEST(FaceWatcher, ANotificationOfAHalfWrittenFileWaitsUntilItIsComplete) {
    WatchFolder folder;
    Received received;
    auto notifier = std::make_unique<ScriptedNotifier>();
    ScriptedNotifier &source = *notifier;
    FaceWatcher watcher(folder.config(300ms), std::move(notifier), received.deliver(), quiet);
    watcher.start();
    const std::string bytes = fixture("medical_aid_A1.xml");
    const fs::path path = folder.dir / "OQSsiquc01res_face_half_20261205120000.xml";
    std::ofstream(path, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    source.announce({{path.filename().string()}, false});  // a writer that closed between pieces
    std::this_thread::sleep_for(100ms);  // the watcher reads the half meanwhile (an error now would fail below)
    std::ofstream(path, std::ios::binary | std::ios::app) << bytes.substr(bytes.size() / 2);
    const auto files = received.wait_for(1);
    watcher.stop();
    ASSERT_EQ(files.size(), 1u);
    EXPECT_TRUE(files[0].result) << (files[0].error ? files[0].error->message("en") : "");
}

TEST(FaceWatcher, AFileThatCouldNotBeTakenIsOfferedAgain) {
    WatchFolder folder;
    Received received;
    received.refuse_first = 2;
    FaceWatcher watcher(folder.config(), std::make_unique<ScriptedNotifier>(), received.deliver(), quiet);
    watcher.start();
    folder.put("OQSsiquc01res_face_1_20261205120000.xml", fixture("minimal_no_optional_blocks.xml"));
    const auto files = received.wait_for(1);
    watcher.stop();
    ASSERT_EQ(files.size(), 1u);
    EXPECT_TRUE(files[0].result);
}

TEST(FaceWatcher, ProcessedFilesAreMovedWhenConfiguredNeverDeleted) {
    WatchFolder folder;
    Received received;
    FaceWatchConfig config = folder.config();
    config.move_processed_to = (folder.root / "done").string();
    fs::create_directories(config.move_processed_to);
    std::ofstream(folder.root / "done" / "OQSsiquc01res_face_2_20261205120001.xml") << "someone else's";
    FaceWatcher watcher(config, std::make_unique<ScriptedNotifier>(), received.deliver(), quiet);
    watcher.start();
    folder.put("OQSsiquc01res_face_1_20261205120000.xml", fixture("minimal_no_optional_blocks.xml"));
    folder.put("OQSsiquc01res_face_2_20261205120001.xml", fixture("minimal_no_optional_blocks.xml"));
    ASSERT_EQ(received.wait_for(2).size(), 2u);
    std::this_thread::sleep_for(200ms);
    watcher.stop();
    EXPECT_TRUE(fs::exists(folder.root / "done" / "OQSsiquc01res_face_1_20261205120000.xml"));
    EXPECT_FALSE(fs::exists(folder.dir / "OQSsiquc01res_face_1_20261205120000.xml"));
    EXPECT_TRUE(fs::exists(folder.dir / "OQSsiquc01res_face_2_20261205120001.xml")) << "the name was taken there: it stays";
    std::ifstream kept(folder.root / "done" / "OQSsiquc01res_face_2_20261205120001.xml");
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(kept), {}), "someone else's") << "never overwritten";
}

TEST(FaceWatcher, TheLogNamesFilesNeverTheirContents) {
    WatchFolder folder;
    Received received;
    const fs::path log = folder.root / "onshi.log";
    {
        onshi::Logger logger(log.string(), onshi::LogLevel::debug);
        FaceWatcher watcher(folder.config(), std::make_unique<ScriptedNotifier>(), received.deliver(), logger);
        watcher.start();
        folder.put("OQSsiquc01res_face_1_20261205120000.xml", fixture("face_mynumber_utf8_shuffled.xml"));
        folder.put("OQSsiquc01res_face_2_20261205120001.xml",
                   "<XmlMsg><MessageBody><Name>漢字太郎</Name><Birthdate>19800101");
        ASSERT_EQ(received.wait_for(2).size(), 2u);
    }
    std::ifstream in(log);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    EXPECT_NE(text.find("OQSsiquc01res_face_1_20261205120000.xml"), std::string::npos) << "the name is logged";
    EXPECT_NE(text.find("OQSsiquc01res_face_2_20261205120001.xml"), std::string::npos);
    for (const char *value : {"診療", "次郎", "0098765", "漢字太郎", "19800101"})
        EXPECT_EQ(text.find(value), std::string::npos) << value << " in the log:\n" << text;
}

TEST(DeliveredFiles, SurvivesARestartAndSkipsATornLine) {
    WatchFolder folder;
    const onshi::core::FileIdentity a{"OQSsiquc01res_face_a_20261205120000.xml", 1975, 123456789};
    const onshi::core::FileIdentity b{"OQSsiquc01res_face_b_20261205120000.xml", 761, -42};
    {
        onshi::core::DeliveredFiles files(folder.state.string());
        files.add(a);
        files.add(b);
        files.save();
    }
    std::ofstream(folder.state, std::ios::app) << "99 12";  // a torn last line
    onshi::core::DeliveredFiles again(folder.state.string());
    EXPECT_TRUE(again.contains(a));
    EXPECT_TRUE(again.contains(b));
    EXPECT_FALSE(again.contains({a.name, a.size + 1, a.mtime})) << "rewritten under the same name: a new file";
    EXPECT_EQ(again.size(), 2u);
    again.forget(a);
    again.save();
    EXPECT_FALSE(onshi::core::DeliveredFiles(folder.state.string()).contains(a));
    EXPECT_FALSE(fs::exists(folder.state.string() + ".tmp")) << "the temporary file was renamed into place";
}

}  // namespace
