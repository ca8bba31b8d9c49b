#include "registration/credential_store.h"
#include "registration/enrollment.h"

#include "test_pki.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using onshi::Error;
using onshi::registration::FileCredentialStore;
using onshi::registration::TerminalRecord;

namespace {

class CredentialStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("onshi-cred-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // A complete enrollment in the store.
    void enroll(FileCredentialStore &store) {
        auto made = onshi::registration::generate_key_and_csr();
        std::string cert = onshi::test::sign_csr(made.csr_pem, "T-3410712362-0001");
        ASSERT_FALSE(cert.empty());
        store.save({"T-3410712362-0001", "3410712362", "テスト医院", "受付1", "2027-11-24T00:00:00Z"}, cert, made.key_pem);
    }
    static onshi_status status_of_load(const FileCredentialStore &store) {
        try {
            store.load();
            return ONSHI_OK;
        } catch (const Error &e) {
            return e.status();
        }
    }
    static void write(const fs::path &p, const std::string &text) { std::ofstream(p, std::ios::trunc) << text; }

    fs::path dir_;
};

TEST_F(CredentialStoreTest, EmptyOrMissingDirectoryIsNotEnrolled) {
    FileCredentialStore store(dir_.string());
    EXPECT_FALSE(store.record().has_value());
    EXPECT_EQ(status_of_load(store), ONSHI_E_NOT_ENROLLED);
    fs::create_directories(dir_);
    EXPECT_FALSE(store.record().has_value());
}

TEST_F(CredentialStoreTest, SaveThenLoadWithOwnerOnlyPermissions) {
    FileCredentialStore store((dir_ / "sub").string());
    enroll(store);
    auto rec = store.record();
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->terminal_id, "T-3410712362-0001");
    EXPECT_EQ(rec->facility_name, "テスト医院");
    auto creds = store.load();
    EXPECT_NE(creds.key_pem.view().find("PRIVATE KEY"), std::string::npos);
    EXPECT_NE(creds.certificate_pem.find("BEGIN CERTIFICATE"), std::string::npos);
    struct stat st {};
    ASSERT_EQ(::stat((dir_ / "sub").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    ASSERT_EQ(::stat((dir_ / "sub" / "terminal.key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    for (const auto &entry : fs::directory_iterator(dir_ / "sub"))
        EXPECT_EQ(entry.path().extension(), entry.path().extension() == ".tmp" ? ".never" : entry.path().extension())
            << "no temporary file is left behind: " << entry.path();
}

TEST_F(CredentialStoreTest, PartialStoreIsACredentialStoreErrorNamingWhatIsMissing) {
    FileCredentialStore store(dir_.string());
    enroll(store);
    fs::remove(dir_ / "terminal.json");
    try {
        store.record();
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_CREDENTIAL_STORE);
        EXPECT_NE(e.detail().en.find("terminal.json"), std::string::npos) << e.detail().en;
    }
    // ... and enrolling again over it is refused (never a silent re-enrollment).
    onshi::registration::SetupCredentials setup = onshi::registration::SetupCredentials::parse(
        R"({"facility_code":"3410712362","enrollment_id":"ENR-1","setup_password":"pw"})");
    bool submitted = false;
    EXPECT_THROW(onshi::registration::enroll_terminal(store, setup, [&](const std::string &) {
        submitted = true;
        return onshi::registration::IssuedCertificate{};
    }), Error);
    EXPECT_FALSE(submitted);
}

TEST_F(CredentialStoreTest, CorruptFilesAreReportedNotCrashed) {
    FileCredentialStore store(dir_.string());
    enroll(store);
    write(dir_ / "terminal.json", "{not json");
    EXPECT_EQ(status_of_load(store), ONSHI_E_CREDENTIAL_STORE);
    write(dir_ / "terminal.json", R"({"terminal_id":"../../etc","facility_code":"3410712362"})");
    EXPECT_EQ(status_of_load(store), ONSHI_E_CREDENTIAL_STORE);
    write(dir_ / "terminal.json", R"({"terminal_id":"T-1","facility_code":"3410712362"})");
    EXPECT_EQ(status_of_load(store), ONSHI_OK);
    write(dir_ / "terminal.crt", "garbage");
    EXPECT_EQ(status_of_load(store), ONSHI_E_CREDENTIAL_STORE);
}

TEST_F(CredentialStoreTest, KeyOfAnotherCertificateIsRefused) {
    FileCredentialStore store(dir_.string());
    enroll(store);
    auto other = onshi::registration::generate_key_and_csr();
    std::string other_cert = onshi::test::sign_csr(other.csr_pem, "T-2");
    write(dir_ / "terminal.crt", other_cert);
    EXPECT_EQ(status_of_load(store), ONSHI_E_CREDENTIAL_STORE);
}

TEST_F(CredentialStoreTest, KeyReadableByOthersIsRefused) {
    FileCredentialStore store(dir_.string());
    enroll(store);
    fs::permissions(dir_ / "terminal.key", fs::perms::group_read, fs::perm_options::add);
    EXPECT_EQ(status_of_load(store), ONSHI_E_CREDENTIAL_STORE);
}

TEST_F(CredentialStoreTest, AnInterruptedWriteLeavesTheOldKeyWhole) {
    FileCredentialStore store(dir_.string());
    enroll(store);
    const std::string before(store.load().key_pem.view());
    // A crash between writing the temporary file and the rename: the leftover is ignored.
    write(dir_ / "terminal.key.tmp", "-----BEGIN PRIVATE KEY-----\nhalf");
    EXPECT_EQ(std::string(store.load().key_pem.view()), before);
    enroll(store);  // a later save replaces the leftover
    EXPECT_FALSE(fs::exists(dir_ / "terminal.key.tmp"));
}

}  // namespace
