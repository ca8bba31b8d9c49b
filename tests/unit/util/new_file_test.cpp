// write_new_file: a new file of onshi's own, whole, with its mode whatever the umask, never an
// existing file nor one behind a symbolic link, nothing left behind when it fails.
#include "util/new_file.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

class NewFile : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("onshi-new-file-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    static std::string content(const fs::path &p) {
        std::ifstream in(p, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    static unsigned mode_of(const fs::path &p) {
        struct stat st {};
        EXPECT_EQ(::lstat(p.c_str(), &st), 0);
        return st.st_mode & 07777;
    }

    fs::path dir_;
};

TEST_F(NewFile, WritesEveryByteWithItsModeWhateverTheUmask) {
    const std::string bytes(300'000, 'x');  // more than one write() may take
    const mode_t old = ::umask(077);
    const int error = onshi::write_new_file((dir_ / "a").string(), bytes, 0640, true);
    ::umask(old);
    ASSERT_EQ(error, 0);
    EXPECT_EQ(content(dir_ / "a"), bytes);
    EXPECT_EQ(mode_of(dir_ / "a"), 0640u);

    ASSERT_EQ(onshi::write_new_file((dir_ / "b").string(), "", 0600, false), 0);
    EXPECT_EQ(fs::file_size(dir_ / "b"), 0u);
    EXPECT_EQ(mode_of(dir_ / "b"), 0600u);
}

TEST_F(NewFile, NeverTouchesAnExistingFile) {
    std::ofstream(dir_ / "taken") << "the host's";
    EXPECT_EQ(onshi::write_new_file((dir_ / "taken").string(), "ours", 0640, true), EEXIST);
    EXPECT_EQ(content(dir_ / "taken"), "the host's");  // neither replaced nor removed
}

TEST_F(NewFile, NeverWritesThroughASymbolicLink) {
    std::ofstream(dir_ / "target") << "the host's";
    fs::create_symlink(dir_ / "target", dir_ / "link");
    EXPECT_NE(onshi::write_new_file((dir_ / "link").string(), "ours", 0640, true), 0);
    EXPECT_EQ(content(dir_ / "target"), "the host's");
    EXPECT_TRUE(fs::is_symlink(dir_ / "link"));
}

TEST_F(NewFile, AFolderThatIsNotThereIsAnErrorAndLeavesNothing) {
    EXPECT_EQ(onshi::write_new_file((dir_ / "missing" / "a").string(), "x", 0640, true), ENOENT);
    EXPECT_FALSE(fs::exists(dir_ / "missing"));
}

}  // namespace
