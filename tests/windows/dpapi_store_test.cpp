// The credential store on Windows: terminal.key sealed with DPAPI for this Windows user (under
// Wine: Wine's CryptProtectData), read back, refused when damaged, and never on disk in clear.
#include "registration/credential_store.h"
#include "registration/dpapi_key_protector.h"
#include "registration/enrollment.h"

#include "../unit/registration/test_pki.h"

#include <gtest/gtest.h>

#include <windows.h>
#include <dpapi.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace fs = std::filesystem;
using onshi::Error;
using onshi::SecureBuffer;
using onshi::registration::FileCredentialStore;
using onshi::registration::make_dpapi_key_protector;

namespace {

std::string slurp(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class DpapiStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("onshi-dpapi-" + std::to_string(GetCurrentProcessId()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        auto made = onshi::registration::generate_key_and_csr();
        key_pem_ = std::string(made.key_pem.view());
        cert_ = onshi::test::sign_csr(made.csr_pem, "T-3410712362-0001");
        ASSERT_FALSE(cert_.empty());
    }
    void TearDown() override { fs::remove_all(dir_); }

    void enroll(FileCredentialStore &store) {
        store.save({"T-3410712362-0001", "3410712362", "テスト医院", "受付1", "2027-11-24T00:00:00Z"}, cert_,
                   SecureBuffer::from_string(key_pem_));
    }
    static onshi_status status_of_load(const FileCredentialStore &store) {
        try {
            store.load();
            return ONSHI_OK;
        } catch (const Error &e) {
            return e.status();
        }
    }

    fs::path dir_;
    std::string key_pem_;
    std::string cert_;
};

TEST_F(DpapiStoreTest, KeyIsSealedOnDiskAndLoadsBack) {
    FileCredentialStore store(dir_.string(), make_dpapi_key_protector());
    enroll(store);
    const std::string on_disk = slurp(dir_ / "terminal.key");
    EXPECT_EQ(on_disk.rfind("-----BEGIN ONSHI DPAPI PRIVATE KEY-----\n", 0), 0u) << on_disk.substr(0, 60);
    EXPECT_EQ(on_disk.find("PRIVATE KEY-----\nMI"), std::string::npos) << "no PEM key in clear";
    // No line of the clear key (its base64 body) appears in the file.
    const std::string body_line = key_pem_.substr(key_pem_.find('\n') + 1, 64);
    EXPECT_EQ(on_disk.find(body_line), std::string::npos);

    auto loaded = store.load();
    EXPECT_EQ(std::string(loaded.key_pem.view()), key_pem_);
    EXPECT_EQ(loaded.certificate_pem, cert_);
}

TEST_F(DpapiStoreTest, SealingTwiceGivesDifferentBlobsThatOpenToTheSameKey) {
    auto protector = make_dpapi_key_protector();
    const SecureBuffer key = SecureBuffer::from_string(key_pem_);
    const SecureBuffer a = protector->seal(key);
    const SecureBuffer b = protector->seal(key);
    EXPECT_NE(a.view(), b.view()) << "DPAPI salts every blob";
    EXPECT_EQ(protector->open(a, "a").view(), key_pem_);
    EXPECT_EQ(protector->open(b, "b").view(), key_pem_);
}

TEST_F(DpapiStoreTest, DamagedBlobIsACredentialStoreError) {
    FileCredentialStore store(dir_.string(), make_dpapi_key_protector());
    enroll(store);
    std::string sealed = slurp(dir_ / "terminal.key");
    // Flip one base64 character in the middle of the blob (still valid base64).
    const std::size_t at = sealed.size() / 2;
    sealed[at] = sealed[at] == 'A' ? 'B' : 'A';
    std::ofstream(dir_ / "terminal.key", std::ios::binary | std::ios::trunc) << sealed;
    EXPECT_EQ(status_of_load(store), ONSHI_E_CREDENTIAL_STORE);
}

TEST_F(DpapiStoreTest, BlobNeedsOnshisEntropy) {
    // Another program of the same user that calls CryptUnprotectData without onshi's entropy
    // gets nothing out of terminal.key.
    FileCredentialStore store(dir_.string(), make_dpapi_key_protector());
    enroll(store);
    const std::string sealed = slurp(dir_ / "terminal.key");
    const std::string begin = "-----BEGIN ONSHI DPAPI PRIVATE KEY-----\n";
    std::string b64;
    for (char c : sealed.substr(begin.size(), sealed.find("-----END") - begin.size()))
        if (c != '\n') b64 += c;
    DWORD size = 0;
    ASSERT_TRUE(CryptStringToBinaryA(b64.c_str(), 0, CRYPT_STRING_BASE64, nullptr, &size, nullptr, nullptr));
    std::vector<BYTE> blob(size);
    ASSERT_TRUE(CryptStringToBinaryA(b64.c_str(), 0, CRYPT_STRING_BASE64, blob.data(), &size, nullptr, nullptr));
    DATA_BLOB in{size, blob.data()};
    DATA_BLOB out{};
    EXPECT_FALSE(CryptUnprotectData(&in, nullptr, nullptr, nullptr, nullptr, CRYPTPROTECT_UI_FORBIDDEN, &out));
    if (out.pbData) {
        SecureZeroMemory(out.pbData, out.cbData);
        LocalFree(out.pbData);
    }
}

TEST_F(DpapiStoreTest, PlainKeyFromBeforeIsReadAndSealedOnTheNextSave) {
    FileCredentialStore plain(dir_.string());  // owner-only permissions, no sealing
    enroll(plain);
    ASSERT_EQ(slurp(dir_ / "terminal.key").rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
    FileCredentialStore sealed(dir_.string(), make_dpapi_key_protector());
    EXPECT_EQ(std::string(sealed.load().key_pem.view()), key_pem_);
    enroll(sealed);
    EXPECT_EQ(slurp(dir_ / "terminal.key").rfind("-----BEGIN ONSHI DPAPI PRIVATE KEY-----", 0), 0u);
}

}  // namespace
