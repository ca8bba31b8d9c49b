#include "registration/enrollment.h"

#include "test_pki.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using onshi::Error;
using namespace onshi::registration;

namespace {

TEST(SetupCredentials, ParsesTheSandboxShapeAndNamesBadMembers) {
    auto s = SetupCredentials::parse(R"({"facility_code":"3410712362","enrollment_id":"ENR-0001","setup_password":"s3cret",
        "gateway_url":"https://127.0.0.1:8443","terminal_name":"受付1"})");
    EXPECT_EQ(s.facility_code, "3410712362");
    EXPECT_EQ(s.setup_password.view(), "s3cret");
    EXPECT_EQ(s.terminal_name, "受付1");
    for (const char *bad : {R"({"facility_code":"341071236","enrollment_id":"E","setup_password":"p"})",
                            R"({"facility_code":"3410712362","setup_password":"p"})",
                            R"({"facility_code":"3410712362","enrollment_id":"E"})",
                            R"({"facility_code":"3410712362","enrollment_id":"E","setup_password":1})",
                            R"({"facility_code":"3410712362","enrollment_id":"E","setup_password":"p","typo":1})", "[]", "{"}) {
        try {
            SetupCredentials::parse(bad);
            ADD_FAILURE() << bad;
        } catch (const Error &e) {
            EXPECT_EQ(e.status(), ONSHI_E_INVALID_ARGUMENT) << bad;
            EXPECT_EQ(e.detail().en.find("p\""), std::string::npos) << "no password in messages";
        }
    }
}

TEST(KeyAndCsr, P256AndRsaKeysWithSelfSignedCsrs) {
    for (KeyType type : {KeyType::ec_p256, KeyType::rsa2048}) {
        KeyAndCsr k = generate_key_and_csr(type);
        EXPECT_NE(k.key_pem.view().find("BEGIN PRIVATE KEY"), std::string::npos);
        EXPECT_NE(k.csr_pem.find("BEGIN CERTIFICATE REQUEST"), std::string::npos);
        EXPECT_FALSE(onshi::test::sign_csr(k.csr_pem, "T").empty()) << "the CSR verifies with its own key";
    }
}

class EnrollTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("onshi-enroll-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
    SetupCredentials setup_ = SetupCredentials::parse(
        R"({"facility_code":"3410712362","enrollment_id":"ENR-0001","setup_password":"pw","terminal_name":"受付1"})");
};

TEST_F(EnrollTest, StoresTheIssuedCertificateAndRefusesASecondEnrollment) {
    FileCredentialStore store(dir_.string());
    int calls = 0;
    auto submit = [&](const std::string &csr) {
        ++calls;
        return IssuedCertificate{"T-3410712362-0001", onshi::test::sign_csr(csr, "T-3410712362-0001"),
                                 "2027-11-24T00:00:00Z", "3410712362", "テスト医院"};
    };
    TerminalRecord rec = enroll_terminal(store, setup_, submit);
    EXPECT_EQ(rec.terminal_id, "T-3410712362-0001");
    EXPECT_EQ(rec.terminal_name, "受付1");
    EXPECT_EQ(store.load().record.facility_code, "3410712362");
    try {
        enroll_terminal(store, setup_, submit);
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_ALREADY_ENROLLED);
    }
    EXPECT_EQ(calls, 1);
}

TEST_F(EnrollTest, ACertificateForAnotherKeyOrFacilityIsNotStored) {
    FileCredentialStore store(dir_.string());
    auto other = generate_key_and_csr();
    try {
        enroll_terminal(store, setup_, [&](const std::string &) {
            return IssuedCertificate{"T-1", onshi::test::sign_csr(other.csr_pem, "T-1"), "2027", "3410712362", ""};
        });
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_GATEWAY_PROTOCOL);
    }
    try {
        enroll_terminal(store, setup_, [&](const std::string &csr) {
            return IssuedCertificate{"T-1", onshi::test::sign_csr(csr, "T-1"), "2027", "9999999999", ""};
        });
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_GATEWAY_PROTOCOL);
    }
    EXPECT_FALSE(store.record().has_value());
}

// A store that cannot take the answer (here: its directory would lie under a regular file, which
// stops root too) fails before the gateway is asked, so no slot is taken for nothing.
TEST_F(EnrollTest, AnUnwritableStoreFailsBeforeTheGatewayIsAsked) {
    fs::create_directories(dir_);
    std::ofstream(dir_ / "a-file") << "x";
    FileCredentialStore store((dir_ / "a-file" / "store").string());
    int calls = 0;
    try {
        enroll_terminal(store, setup_, [&](const std::string &csr) {
            ++calls;
            return IssuedCertificate{"T-1", onshi::test::sign_csr(csr, "T-1"), "2027", "3410712362", ""};
        });
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_CREDENTIAL_STORE);
        EXPECT_NE(e.detail().en.find("nothing was sent to the gateway"), std::string::npos) << e.detail().en;
    }
    EXPECT_EQ(calls, 0);
}

TEST_F(EnrollTest, AGatewayErrorStoresNothing) {
    FileCredentialStore store(dir_.string());
    EXPECT_THROW(enroll_terminal(store, setup_, [](const std::string &) -> IssuedCertificate {
        throw Error(ONSHI_E_SETUP_CREDENTIALS, {});
    }), Error);
    EXPECT_FALSE(store.record().has_value());
}

}  // namespace
