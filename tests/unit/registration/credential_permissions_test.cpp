// The credential store is owner-only (docs/security.md): directory 0700, every file 0600 whatever
// the umask. A store that is open to others is tightened when onshi writes it (save, replace);
// a private key that others could read is refused at load and reported, not quietly tightened:
// it may already have been copied, so the administrator has to know (and renew the terminal).
#include "registration/credential_store.h"
#include "registration/enrollment.h"

#include "test_pki.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace fs = std::filesystem;
using onshi::Error;
using onshi::registration::FileCredentialStore;

namespace {

unsigned mode_of(const fs::path &p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return 0xFFFF;
    return st.st_mode & 07777;
}

class CredentialPermissionsTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("onshi-perm-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        old_umask_ = ::umask(0);  // the store must not rely on the host's umask
    }
    void TearDown() override {
        ::umask(old_umask_);
        fs::remove_all(dir_);
    }

    static void enroll(FileCredentialStore &store, bool replace = false) {
        auto made = onshi::registration::generate_key_and_csr();
        std::string cert = onshi::test::sign_csr(made.csr_pem, "T-3410712362-0001");
        ASSERT_FALSE(cert.empty());
        onshi::registration::TerminalRecord record{"T-3410712362-0001", "3410712362", "テスト医院", "受付1",
                                                   "2027-11-24T00:00:00Z"};
        if (replace) store.replace(record, cert, made.key_pem);
        else store.save(record, cert, made.key_pem);
    }
    void expect_owner_only() const {
        EXPECT_EQ(mode_of(dir_), 0700u);
        std::size_t files = 0;
        for (const auto &entry : fs::directory_iterator(dir_)) {
            EXPECT_EQ(mode_of(entry.path()), 0600u) << entry.path();
            ++files;
        }
        EXPECT_EQ(files, 3u) << "terminal.key, terminal.crt, terminal.json";
    }
    static onshi_status status_of_load(const FileCredentialStore &store, std::string *message) {
        try {
            store.load();
            return ONSHI_OK;
        } catch (const Error &e) {
            *message = e.message("en");
            return e.status();
        }
    }

    fs::path dir_;
    mode_t old_umask_ = 022;
};

TEST_F(CredentialPermissionsTest, EveryFileIsOwnerOnlyAndTheDirectoryToo) {
    FileCredentialStore store(dir_.string());
    enroll(store);
    expect_owner_only();
    enroll(store, /*replace=*/true);  // renewal writes the new set beside the old one first
    expect_owner_only();
}

TEST_F(CredentialPermissionsTest, AnExistingDirectoryOpenToOthersIsTightenedWhenTheStoreWrites) {
    fs::create_directories(dir_);
    fs::permissions(dir_, fs::perms::all, fs::perm_options::replace);
    ASSERT_EQ(mode_of(dir_), 0777u);
    FileCredentialStore store(dir_.string());
    enroll(store);
    expect_owner_only();
}

TEST_F(CredentialPermissionsTest, FilesOpenToOthersAreTightenedByTheNextReplace) {
    FileCredentialStore store(dir_.string());
    enroll(store);
    // What an older onshi (or a careless copy) left: a readable certificate and record.
    fs::permissions(dir_ / "terminal.crt", fs::perms::group_read | fs::perms::others_read, fs::perm_options::add);
    fs::permissions(dir_ / "terminal.json", fs::perms::group_read | fs::perms::others_read, fs::perm_options::add);
    fs::permissions(dir_, fs::perms::group_read | fs::perms::group_exec, fs::perm_options::add);
    std::string message;
    EXPECT_EQ(status_of_load(store, &message), ONSHI_OK) << "certificate and record are not secret: " << message;
    enroll(store, /*replace=*/true);
    expect_owner_only();
}

TEST_F(CredentialPermissionsTest, AKeyOthersCouldReadIsReportedNotQuietlyTightened) {
    for (fs::perms loose : {fs::perms::group_read, fs::perms::others_read, fs::perms::group_write,
                            fs::perms::others_write}) {
        fs::remove_all(dir_);
        FileCredentialStore store(dir_.string());
        enroll(store);
        fs::permissions(dir_ / "terminal.key", loose, fs::perm_options::add);
        const unsigned before = mode_of(dir_ / "terminal.key");
        std::string message;
        EXPECT_EQ(status_of_load(store, &message), ONSHI_E_CREDENTIAL_STORE) << std::oct << before;
        EXPECT_NE(message.find("0600"), std::string::npos) << message;
        EXPECT_EQ(mode_of(dir_ / "terminal.key"), before) << "the mode is the administrator's evidence";
    }
}

}  // namespace
