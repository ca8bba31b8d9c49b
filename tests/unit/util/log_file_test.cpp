// LogFile: created owner-only, appended to, and harmless when it cannot be opened.
#include "util/log.h"
#include "util/log_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace onshi {
namespace {

namespace fs = std::filesystem;

class LogFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("onshi-logfile-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    static std::string read(const fs::path &p) {
        std::ifstream in(p);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
    static unsigned mode_of(const fs::path &p) {
        struct stat st {};
        return ::stat(p.c_str(), &st) == 0 ? st.st_mode & 0777 : 07777;
    }
    fs::path dir_;
};

TEST_F(LogFileTest, NewFileIsOwnerOnlyWhateverTheUmask) {
    const mode_t old = ::umask(0);  // a host with a permissive umask must not widen it
    {
        LogFile log((dir_ / "a.log").string());
        ASSERT_TRUE(log.is_open());
        log.write("one\n");
    }
    ::umask(old);
    EXPECT_EQ(mode_of(dir_ / "a.log"), 0600u);
}

TEST_F(LogFileTest, AppendsToAnExistingFileAndKeepsItsMode) {
    {
        std::ofstream(dir_ / "b.log") << "before\n";
    }
    fs::permissions(dir_ / "b.log", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    {
        LogFile log((dir_ / "b.log").string());
        log.write("after\n");
    }
    EXPECT_EQ(read(dir_ / "b.log"), "before\nafter\n");
    EXPECT_EQ(mode_of(dir_ / "b.log"), 0640u) << "an administrator's choice for an existing file stays";
}

TEST_F(LogFileTest, UnopenablePathGivesAClosedFileThatIgnoresWrites) {
    LogFile log((dir_ / "missing-dir" / "c.log").string());
    EXPECT_FALSE(log.is_open());
    log.write("nowhere\n");
    LogFile none;
    EXPECT_FALSE(none.is_open());
    none.write("nowhere\n");
}

TEST_F(LogFileTest, LoggerFileIsOwnerOnlyAndKeepsItsLevel) {
    Logger logger((dir_ / "d.log").string(), LogLevel::info);
    logger.log(LogLevel::info, "context", "opened");
    logger.log(LogLevel::debug, "job", "not at info level");
    EXPECT_EQ(mode_of(dir_ / "d.log"), 0600u);
    const std::string text = read(dir_ / "d.log");
    EXPECT_NE(text.find(" info context: opened\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("not at info level"), std::string::npos) << text;
}

TEST_F(LogFileTest, LoggerWithAnUnopenableFileLogsNowhere) {
    Logger logger((dir_ / "missing-dir" / "e.log").string(), LogLevel::debug);
    logger.log(LogLevel::error, "context", "dropped");  // no crash, nothing created
    EXPECT_FALSE(fs::exists(dir_ / "missing-dir"));
}

}  // namespace
}  // namespace onshi
