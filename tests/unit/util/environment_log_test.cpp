// ONSHI_DEBUG_LOG_DIR: every line any logger writes (at debug level, whatever the logger's own
// level) lands in DIR/onshi-<pid>.log, owner-only. The environment is read once per process, so
// this test sets it before anything logs (ctest runs each test in its own process).
#include "util/environment_log.h"
#include "util/log.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace onshi {
namespace {

namespace fs = std::filesystem;

TEST(EnvironmentLog, WritesEveryLevelOfEveryLoggerToAnOwnerOnlyFile) {
    const fs::path dir = fs::temp_directory_path() / ("onshi-envlog-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    ASSERT_EQ(::setenv("ONSHI_DEBUG_LOG_DIR", dir.c_str(), 1), 0);

    ASSERT_TRUE(environment_log_active());
    Logger quiet;  // logs nowhere of its own
    EXPECT_TRUE(quiet.enabled(LogLevel::debug)) << "debug lines are built when the environment wants them";
    quiet.log(LogLevel::debug, "job", "job 7 started");
    Logger info((dir / "own.log").string(), LogLevel::info);
    info.log(LogLevel::debug, "card", "apdu 00 A4 04 0C, 15 bytes -> 9000, 0 bytes");
    environment_log(LogLevel::debug, "api", "ONSHI_E_PIN_INCORRECT: wrong PIN");

    const fs::path file = dir / ("onshi-" + std::to_string(::getpid()) + ".log");
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_NE(text.str().find(" debug job: job 7 started\n"), std::string::npos) << text.str();
    EXPECT_NE(text.str().find(" debug card: apdu 00 A4 04 0C"), std::string::npos) << text.str();
    EXPECT_NE(text.str().find(" debug api: ONSHI_E_PIN_INCORRECT: wrong PIN\n"), std::string::npos);
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    // The logger's own file keeps its own level: the debug line went to the environment's log only.
    std::ifstream own(dir / "own.log");
    std::stringstream own_text;
    own_text << own.rdbuf();
    EXPECT_EQ(own_text.str().find("apdu"), std::string::npos) << own_text.str();
    fs::remove_all(dir);
}

TEST(EnvironmentLog, LineFormat) {
    std::string line = format_log_line(LogLevel::warn, "gateway", "warm-up failed");
    // 2026-11-24T22:28:22.123Z warn gateway: warm-up failed
    ASSERT_GE(line.size(), 25u);
    EXPECT_EQ(line[4], '-');
    EXPECT_EQ(line[10], 'T');
    EXPECT_EQ(line[19], '.');
    EXPECT_EQ(line[23], 'Z');
    EXPECT_EQ(line.substr(24), " warn gateway: warm-up failed\n");
}

}  // namespace
}  // namespace onshi
