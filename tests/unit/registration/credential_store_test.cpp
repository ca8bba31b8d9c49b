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

// ---- replace (renewal), wipe (利用終了) and the passphrase protector ----

namespace {

std::string file_text(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

onshi::SecureBuffer pass(const char *text) { return onshi::SecureBuffer::from_string(text); }

}  // namespace

TEST_F(CredentialStoreTest, ReplaceSwapsKeyCertificateAndRecordTogether) {
    FileCredentialStore store(dir_.string());
    enroll(store);
    const std::string old_cert = file_text(dir_ / "terminal.crt");
    auto made = onshi::registration::generate_key_and_csr();
    std::string cert = onshi::test::sign_csr(made.csr_pem, "T-3410712362-0001");
    store.replace({"T-3410712362-0001", "3410712362", "テスト医院", "受付1", "2028-11-24T00:00:00Z"}, cert, made.key_pem);
    auto creds = store.load();
    EXPECT_EQ(creds.certificate_pem, cert);
    EXPECT_NE(creds.certificate_pem, old_cert);
    EXPECT_EQ(creds.record.certificate_expires_at, "2028-11-24T00:00:00Z");
    EXPECT_FALSE(fs::exists(dir_ / "terminal.commit"));
    EXPECT_FALSE(fs::exists(dir_ / "terminal.key.new"));
}

TEST_F(CredentialStoreTest, AReplaceInterruptedBeforeItsCommitLeavesTheOldSet) {
    FileCredentialStore store(dir_.string());
    enroll(store);
    const std::string old_cert = file_text(dir_ / "terminal.crt");
    // A crash after the .new files were written, before terminal.commit.
    auto made = onshi::registration::generate_key_and_csr();
    write(dir_ / "terminal.key.new", std::string(made.key_pem.view()));
    write(dir_ / "terminal.crt.new", onshi::test::sign_csr(made.csr_pem, "T-3410712362-0001"));
    EXPECT_EQ(status_of_load(store), ONSHI_OK);
    EXPECT_EQ(store.load().certificate_pem, old_cert);
}

TEST_F(CredentialStoreTest, AReplaceInterruptedAfterItsCommitIsFinished) {
    FileCredentialStore store(dir_.string());
    enroll(store);
    auto made = onshi::registration::generate_key_and_csr();
    const std::string cert = onshi::test::sign_csr(made.csr_pem, "T-3410712362-0001");
    // A crash after terminal.commit and the key's rename, before the certificate's.
    write(dir_ / "terminal.key", std::string(made.key_pem.view()));
    fs::permissions(dir_ / "terminal.key", fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    write(dir_ / "terminal.crt.new", cert);
    write(dir_ / "terminal.json.new", file_text(dir_ / "terminal.json"));
    write(dir_ / "terminal.commit", "replace\n");
    EXPECT_EQ(status_of_load(store), ONSHI_OK);
    EXPECT_EQ(store.load().certificate_pem, cert);
    EXPECT_FALSE(fs::exists(dir_ / "terminal.commit"));
}

TEST_F(CredentialStoreTest, WipeRemovesTheEnrollment) {
    FileCredentialStore store(dir_.string());
    enroll(store);
    store.wipe();
    EXPECT_FALSE(store.record().has_value());
    EXPECT_EQ(status_of_load(store), ONSHI_E_NOT_ENROLLED);
    EXPECT_TRUE(fs::exists(dir_));
    store.wipe();  // nothing left: still fine
}

TEST_F(CredentialStoreTest, PassphraseEncryptsTheKeyAtRestAndLoadsItBack) {
    FileCredentialStore store(dir_.string(), onshi::registration::make_passphrase_key_protector(pass("correct horse")));
    enroll(store);
    const std::string on_disk = file_text(dir_ / "terminal.key");
    EXPECT_NE(on_disk.find("-----BEGIN ENCRYPTED PRIVATE KEY-----"), std::string::npos);
    EXPECT_EQ(on_disk.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
    auto creds = store.load();
    EXPECT_NE(creds.key_pem.view().find("-----BEGIN PRIVATE KEY-----"), std::string_view::npos);
    // The same directory through a second store object (a new context).
    FileCredentialStore again(dir_.string(), onshi::registration::make_passphrase_key_protector(pass("correct horse")));
    EXPECT_EQ(status_of_load(again), ONSHI_OK);
}

TEST_F(CredentialStoreTest, WrongOrMissingPassphraseIsACredentialStoreErrorThatSaysSo) {
    FileCredentialStore store(dir_.string(), onshi::registration::make_passphrase_key_protector(pass("correct horse")));
    enroll(store);
    FileCredentialStore wrong(dir_.string(), onshi::registration::make_passphrase_key_protector(pass("battery staple")));
    try {
        wrong.load();
        FAIL() << "a wrong passphrase loaded the key";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_CREDENTIAL_STORE);
        EXPECT_NE(e.detail().en.find("wrong credential_passphrase"), std::string::npos) << e.detail().en;
    }
    FileCredentialStore none(dir_.string());
    try {
        none.load();
        FAIL() << "an encrypted key loaded without a passphrase";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_CREDENTIAL_STORE);
        EXPECT_NE(e.detail().en.find("no credential_passphrase"), std::string::npos) << e.detail().en;
    }
    EXPECT_TRUE(wrong.record().has_value()) << "the record stays readable: nothing is re-enrolled";
}

TEST_F(CredentialStoreTest, DamagedEncryptedKeyIsReportedNotCrashed) {
    FileCredentialStore store(dir_.string(), onshi::registration::make_passphrase_key_protector(pass("correct horse")));
    enroll(store);
    std::string key = file_text(dir_ / "terminal.key");
    write(dir_ / "terminal.key", key.substr(0, key.size() / 2));
    fs::permissions(dir_ / "terminal.key", fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    EXPECT_EQ(status_of_load(store), ONSHI_E_CREDENTIAL_STORE);
    write(dir_ / "terminal.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\ngarbage\n-----END ENCRYPTED PRIVATE KEY-----\n");
    EXPECT_EQ(status_of_load(store), ONSHI_E_CREDENTIAL_STORE);
}

TEST_F(CredentialStoreTest, APlainKeyStaysReadableWhenAPassphraseIsConfiguredAndReplaceEncryptsIt) {
    {
        FileCredentialStore plain(dir_.string());
        enroll(plain);
    }
    FileCredentialStore store(dir_.string(), onshi::registration::make_passphrase_key_protector(pass("correct horse")));
    EXPECT_EQ(status_of_load(store), ONSHI_OK);
    auto made = onshi::registration::generate_key_and_csr();
    store.replace(*store.record(), onshi::test::sign_csr(made.csr_pem, "T-3410712362-0001"), made.key_pem);
    EXPECT_NE(file_text(dir_ / "terminal.key").find("ENCRYPTED"), std::string::npos);
    EXPECT_EQ(status_of_load(store), ONSHI_OK);
}

TEST_F(CredentialStoreTest, AnEmptyPassphraseIsAConfigError) {
    try {
        onshi::registration::make_passphrase_key_protector(onshi::SecureBuffer());
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_CONFIG);
    }
}
