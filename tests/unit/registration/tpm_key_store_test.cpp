// key_store "tpm" without a TPM: what the TPM key protector refuses (a software key is never
// written, a key file is never read in its place), what the file protectors say about a TPM blob,
// and that enrollment makes its key where the store says. The TPM itself is exercised by the
// integration suite tests/integration/tpm (swtpm).
#include "registration/credential_store.h"
#include "registration/enrollment.h"
#include "registration/tpm_key.h"

#include "test_pki.h"
#include "util/error.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace fs = std::filesystem;
using onshi::Error;
using onshi::SecureBuffer;
using namespace onshi::registration;

namespace {

SecureBuffer buffer(std::string_view text) { return SecureBuffer(text.data(), text.size()); }

const SecureBuffer kBlob = buffer("-----BEGIN TSS2 PRIVATE KEY-----\nMIHw\n-----END TSS2 PRIVATE KEY-----\n");

template <typename F>
Error error_of(F f) {
    try {
        f();
    } catch (const Error &e) {
        return e;
    }
    ADD_FAILURE() << "no error";
    return Error(ONSHI_OK, {});
}

TEST(TpmKeyProtector, NeverStoresASoftwareKey) {
    KeyAndCsr software = generate_key_and_csr();
    ASSERT_FALSE(is_tpm_key_blob(software.key_pem));
    Error e = error_of([&] { make_tpm_key_protector()->seal(software.key_pem); });
    EXPECT_EQ(e.status(), ONSHI_E_CREDENTIAL_STORE);
    EXPECT_NE(e.detail().en.find("not a TPM key blob"), std::string::npos) << e.detail().en;

    // Through the store: nothing is written.
    const fs::path dir = fs::temp_directory_path() / ("onshi-tpm-unit-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    FileCredentialStore store(dir.string(), make_tpm_key_protector());
    TerminalRecord rec{"T-1", "3410712362", "", "", "2030-01-01"};
    const std::string cert = onshi::test::sign_csr(software.csr_pem, "T-1");
    EXPECT_EQ(error_of([&] { store.save(rec, cert, software.key_pem); }).status(), ONSHI_E_CREDENTIAL_STORE);
    EXPECT_FALSE(fs::exists(dir / "terminal.key"));
    EXPECT_FALSE(store.record().has_value());
    fs::remove_all(dir);
}

TEST(TpmKeyProtector, ReadsOnlyABlobAndSaysWhatToDoWithAKeyFile) {
    EXPECT_EQ(make_tpm_key_protector()->open(kBlob, "terminal.key").view(), kBlob.view());
    KeyAndCsr software = generate_key_and_csr();
    Error e = error_of([&] { make_tpm_key_protector()->open(software.key_pem, "terminal.key"); });
    EXPECT_EQ(e.status(), ONSHI_E_CREDENTIAL_STORE);
    EXPECT_NE(e.detail().en.find("key_store"), std::string::npos) << e.detail().en;
    EXPECT_NE(e.detail().ja.find("key_store"), std::string::npos) << e.detail().ja;
}

TEST(FileKeyProtectors, ATpmBlobAsksForKeyStoreTpm) {
    const std::shared_ptr<const KeyProtector> protectors[] = {make_plain_key_protector(),
                                                              make_passphrase_key_protector(buffer("passphrase"))};
    for (const auto &protector : protectors) {
        Error e = error_of([&] { protector->open(kBlob, "terminal.key"); });
        EXPECT_EQ(e.status(), ONSHI_E_CREDENTIAL_STORE) << protector->name();
        EXPECT_NE(e.detail().en.find("\"key_store\": \"tpm\""), std::string::npos) << e.detail().en;
    }
}

// A store that makes its keys elsewhere (as the TPM store does) and remembers what it saved.
class KeysElsewhere final : public CredentialStore {
public:
    std::optional<TerminalRecord> record() const override { return saved_; }
    TerminalCredentials load() const override { throw Error(ONSHI_E_NOT_ENROLLED, {}); }
    void save(const TerminalRecord &record, const std::string &, const SecureBuffer &key_pem) override {
        saved_ = record;
        saved_key = std::string(key_pem.view());
    }
    void wipe() override { saved_.reset(); }
    KeyAndCsr generate_key_and_csr() const override {
        ++made;
        KeyAndCsr k = onshi::registration::generate_key_and_csr();
        made_key = std::string(k.key_pem.view());
        return k;
    }
    void check_key_matches_certificate(const SecureBuffer &key_pem, const std::string &certificate_pem,
                                       onshi_status status) const override {
        ++matched;
        onshi::registration::check_key_matches_certificate(key_pem, certificate_pem, status);
    }
    mutable int made = 0, matched = 0;
    mutable std::string made_key;
    std::string saved_key;

private:
    std::optional<TerminalRecord> saved_;
};

TEST(Enrollment, MakesAndMatchesTheKeyWhereTheStoreKeepsKeys) {
    KeysElsewhere store;
    SetupCredentials setup = SetupCredentials::parse(
        R"({"facility_code":"3410712362","enrollment_id":"ENR-1","setup_password":"pw"})");
    enroll_terminal(store, setup, [](const std::string &csr) {
        return IssuedCertificate{"T-9", onshi::test::sign_csr(csr, "T-9"), "2030-01-01", "3410712362", ""};
    });
    EXPECT_EQ(store.made, 1);
    EXPECT_EQ(store.matched, 1);
    EXPECT_EQ(store.saved_key, store.made_key);
}

}  // namespace
