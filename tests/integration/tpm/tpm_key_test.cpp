// key_store "tpm" through the C ABI against the sandbox, with a software TPM (swtpm) this suite
// starts itself on free ports (server and control channel) and reaches through the swtpm TCTI (TPM2OPENSSL_TCTI, no tpm2-abrmd).
// The whole life of a terminal runs with its key in the TPM: enrollment, a PIN check, renewal and
// end of use. Witnesses that the key never exists outside the TPM: no file in the credential dir
// holds a private key (only the TPM's TSS2 blob), and OpenSSL, loading that blob through the tpm2
// provider on its own, gets no private number out of it. A TPM that is not there is
// ONSHI_E_CREDENTIAL_STORE saying so, and no key file appears.
#include <onshi/onshi.h>

#include "job_result.h"
#include "sandbox_runner.h"
#include "sandbox_suite.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/provider.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace fs = std::filesystem;

namespace {

const std::string kDir = ONSHI_TPM_IT_DIR;
const std::string kReader = R"("reader":"Virtual PCD 00 00")";

using namespace onshi::it;

const SandboxRunner kSandbox(ONSHI_SANDBOX_BIN, kDir);

std::string read_all(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// A TCP port nobody listens on right now.
int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = -1;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0) ::close(fd);
    return port;
}

bool accepts(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
    if (fd >= 0) ::close(fd);
    return ok;
}

struct Ended : JobEnd {
    std::string error;
    std::string str(const char *key) const { return string_member(json, key); }
};

class TpmKey : public SandboxSuite {
protected:
    static void SetUpTestSuite() {
        if (!is_root()) return;
        kSandbox.down();
        std::system(("rm -rf " + kDir).c_str());
        bring_up(kSandbox, "--readers 1 --card 0=valid-honnin --terminals-allowed 3", "");
        url_ = kSandbox.gateway_url();
        ca_ = kSandbox.gateway_ca();
        start_swtpm();
    }
    static void TearDownTestSuite() {
        if (swtpm_ > 0) {
            ::kill(swtpm_, SIGTERM);
            ::waitpid(swtpm_, nullptr, 0);
            swtpm_ = -1;
        }
        SandboxSuite::TearDownTestSuite();
    }
    void SetUpTest() override {
        ASSERT_FALSE(url_.empty()) << "DIR/plugin.json has no gateway";
        ASSERT_FALSE(std::string(ONSHI_SWTPM_BIN).empty())
            << "swtpm is not installed (Debian: swtpm swtpm-tools libtss2-tcti-swtpm0 tpm2-openssl; scripts/test.sh installs them)";
        ASSERT_GT(swtpm_, 0) << "swtpm did not start: " << read_all(kDir + "/swtpm.log");
        ::setenv("TPM2OPENSSL_TCTI", tcti_.c_str(), 1);
    }

    // swtpm socket --tpm2 with its state in DIR/swtpm; "not-need-init,startup-clear": ready at once.
    static void start_swtpm() {
        if (std::string(ONSHI_SWTPM_BIN).empty()) return;
        // The swtpm TCTI expects the control channel on the next port.
        int port = free_port();
        for (int i = 0; i < 20 && port > 0 && (port >= 65535 || accepts(port + 1)); ++i) port = free_port();
        fs::create_directories(kDir + "/swtpm");
        const std::string server = "type=tcp,port=" + std::to_string(port) + ",bindaddr=127.0.0.1";
        const std::string ctrl = "type=tcp,port=" + std::to_string(port + 1) + ",bindaddr=127.0.0.1";
        const std::string state = "dir=" + kDir + "/swtpm";
        const std::string log = kDir + "/swtpm.log";
        pid_t pid = ::fork();
        if (pid == 0) {
            std::freopen(log.c_str(), "w", stdout);
            std::freopen(log.c_str(), "a", stderr);
            ::execl(ONSHI_SWTPM_BIN, "swtpm", "socket", "--tpm2", "--server", server.c_str(), "--ctrl", ctrl.c_str(),
                    "--tpmstate", state.c_str(), "--flags", "not-need-init,startup-clear", static_cast<char *>(nullptr));
            ::_exit(127);
        }
        for (int i = 0; i < 100 && pid > 0; ++i) {
            if (accepts(port)) {
                swtpm_ = pid;
                tcti_ = "swtpm:host=127.0.0.1,port=" + std::to_string(port);
                return;
            }
            if (::waitpid(pid, nullptr, WNOHANG) == pid) return;  // exited: the log says why
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (pid > 0) ::kill(pid, SIGTERM);
    }

    static std::string terminal_dir(const std::string &name) { return kDir + "/terminals/" + name; }

    static onshi_context *open_terminal(const std::string &name, const char *key_store = "tpm") {
        std::string cfg = R"({"locale":"en","card_wait_ms":5000,"credential_dir":")" + terminal_dir(name) +
                          R"(","key_store":")" + key_store + R"(","log":{"file":")" + kDir +
                          R"(/plugin.log","level":"info"},"gateway":{"url":")" + url_ + R"(","ca_file":")" + ca_ +
                          R"(","timeout_ms":5000}})";
        onshi_context *ctx = nullptr;
        EXPECT_EQ(onshi_open(cfg.c_str(), &ctx), ONSHI_OK) << onshi_last_error(nullptr);
        return ctx;
    }

    template <typename Start>
    static Ended run(const std::string &name, Start start) {
        onshi_context *ctx = open_terminal(name);
        if (!ctx) return {};
        onshi_job_id job = 0;
        Ended e;
        onshi_status s = start(ctx, &job);
        if (s != ONSHI_OK) {
            e.status = s;
            e.error = onshi_last_error(ctx) ? onshi_last_error(ctx) : "";
        } else {
            static_cast<JobEnd &>(e) = wait_job(ctx, job);
            if (e.status != ONSHI_OK) e.error = e.json;
        }
        onshi_close(ctx);
        return e;
    }
    static Ended enroll(const std::string &name) {
        const std::string setup = kSandbox.setup_json();
        return run(name, [&](onshi_context *c, onshi_job_id *j) { return onshi_terminal_enroll(c, setup.c_str(), j); });
    }
    static Ended status(const std::string &name) {
        return run(name, [](onshi_context *c, onshi_job_id *j) { return onshi_terminal_status(c, j); });
    }
    static Ended renew(const std::string &name) {
        return run(name, [](onshi_context *c, onshi_job_id *j) { return onshi_terminal_renew(c, j); });
    }
    static Ended unenroll(const std::string &name) {
        return run(name, [](onshi_context *c, onshi_job_id *j) { return onshi_terminal_unenroll(c, j); });
    }
    static Ended pin_check(const std::string &name) {
        return run(name, [](onshi_context *c, onshi_job_id *j) {
            return onshi_check_eligibility(c, ("{" + kReader + "}").c_str(), "1234", j);
        });
    }

    // Every file of the credential dir: none may hold a private key other than the TPM's blob.
    static void expect_no_private_key_file(const std::string &name) {
        int blobs = 0;
        for (const auto &entry : fs::recursive_directory_iterator(terminal_dir(name))) {
            if (!entry.is_regular_file()) continue;
            std::string text = read_all(entry.path().string());
            for (std::size_t at = text.find("PRIVATE KEY"); at != std::string::npos; at = text.find("PRIVATE KEY", at + 1)) {
                const bool blob = at >= 5 && text.compare(at - 5, 5, "TSS2 ") == 0;
                EXPECT_TRUE(blob) << entry.path() << " holds a private key outside the TPM";
                blobs += blob ? 1 : 0;
            }
        }
        EXPECT_GT(blobs, 0) << "terminal.key should hold the TPM's TSS2 blob";
    }

    static inline std::string url_, ca_, tcti_;
    static inline pid_t swtpm_ = -1;
};

TEST_F(TpmKey, EnrollmentCheckRenewalAndEndOfUseWithTheKeyInTheTpm) {
    Ended enrolled = enroll("t");
    ASSERT_EQ(enrolled.status, ONSHI_OK) << enrolled.error;
    const std::string blob = read_all(terminal_dir("t") + "/terminal.key");
    EXPECT_EQ(blob.rfind("-----BEGIN TSS2 PRIVATE KEY-----", 0), 0u) << blob.substr(0, 40);
    expect_no_private_key_file("t");

    Ended check = pin_check("t");
    ASSERT_EQ(check.status, ONSHI_OK) << check.error;
    EXPECT_NE(check.json.find(R"("verdict":"eligible")"), std::string::npos) << check.json;

    Ended renewed = renew("t");
    ASSERT_EQ(renewed.status, ONSHI_OK) << renewed.error;
    EXPECT_EQ(renewed.str("terminal_id"), enrolled.str("terminal_id")) << renewed.json;
    EXPECT_NE(read_all(terminal_dir("t") + "/terminal.key"), blob) << "renewal makes a new key in the TPM";
    expect_no_private_key_file("t");
    Ended after = pin_check("t");
    ASSERT_EQ(after.status, ONSHI_OK) << after.error;
    EXPECT_EQ(status("t").status, ONSHI_OK);

    Ended ended = unenroll("t");
    ASSERT_EQ(ended.status, ONSHI_OK) << ended.error;
    EXPECT_FALSE(fs::exists(terminal_dir("t") + "/terminal.key"));
    Ended gone = status("t");
    ASSERT_EQ(gone.status, ONSHI_OK) << gone.error;
    EXPECT_EQ(gone.json, R"({"enrolled":false})");
}

// OpenSSL on its own (no onshi code): the blob loads through the tpm2 provider and signs, yet no
// private number and no PKCS#8 key can be had from it.
TEST_F(TpmKey, TheKeyCannotBeExported) {
    Ended enrolled = enroll("x");
    ASSERT_EQ(enrolled.status, ONSHI_OK) << enrolled.error;
    const std::string blob = read_all(terminal_dir("x") + "/terminal.key");

    OSSL_LIB_CTX *lib = OSSL_LIB_CTX_new();
    OSSL_PROVIDER *tpm2 = OSSL_PROVIDER_load(lib, "tpm2");
    OSSL_PROVIDER *def = OSSL_PROVIDER_load(lib, "default");
    ASSERT_NE(tpm2, nullptr) << "OpenSSL's tpm2 provider (Debian: tpm2-openssl) did not load";
    BIO *in = BIO_new_mem_buf(blob.data(), static_cast<int>(blob.size()));
    EVP_PKEY *key = PEM_read_bio_PrivateKey_ex(in, nullptr, nullptr, nullptr, lib, "?provider=tpm2");
    BIO_free(in);
    ASSERT_NE(key, nullptr) << "the blob should load in the TPM that made it";

    BIGNUM *priv = nullptr;
    EXPECT_NE(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &priv), 1) << "the private number came out";
    BN_free(priv);
    OSSL_PARAM *params = nullptr;
    if (EVP_PKEY_todata(key, EVP_PKEY_KEYPAIR, &params) == 1) {
        EXPECT_EQ(OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_PRIV_KEY), nullptr) << "the private number came out";
        OSSL_PARAM_free(params);
    }
    // Whatever the encoder writes, it is the blob again, never a PKCS#8 (or SEC1) private key.
    BIO *out = BIO_new(BIO_s_mem());
    if (PEM_write_bio_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr) == 1) {
        char *data = nullptr;
        long n = BIO_get_mem_data(out, &data);
        const std::string pem(data, static_cast<std::size_t>(n > 0 ? n : 0));
        EXPECT_EQ(pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
        EXPECT_EQ(pem.find("-----BEGIN EC PRIVATE KEY-----"), std::string::npos);
    }
    BIO_free(out);
    ERR_clear_error();
    EVP_PKEY_free(key);  // flushes the key from the TPM (swtpm has few object slots)
    OSSL_PROVIDER_unload(def);
    OSSL_PROVIDER_unload(tpm2);
    OSSL_LIB_CTX_free(lib);
    EXPECT_EQ(unenroll("x").status, ONSHI_OK);
}

// No TPM behind the TCTI: enrollment fails before the gateway is asked, and a terminal enrolled
// with the TPM cannot reach the gateway; both say ONSHI_E_CREDENTIAL_STORE and name the TPM; no key file.
TEST_F(TpmKey, AMissingTpmIsACredentialStoreErrorNeverAKeyFile) {
    Ended enrolled = enroll("m");
    ASSERT_EQ(enrolled.status, ONSHI_OK) << enrolled.error;
    const std::string dead = "swtpm:host=127.0.0.1,port=" + std::to_string(free_port());
    ::setenv("TPM2OPENSSL_TCTI", dead.c_str(), 1);

    Ended none = enroll("none");
    EXPECT_EQ(none.status, ONSHI_E_CREDENTIAL_STORE) << none.error;
    EXPECT_NE(none.error.find("TPM"), std::string::npos) << none.error;
    EXPECT_FALSE(fs::exists(terminal_dir("none") + "/terminal.key")) << "no silent fallback to a key file";

    Ended check = status("m");  // loads the key as a check does, without a card
    EXPECT_EQ(check.status, ONSHI_E_CREDENTIAL_STORE) << check.error;
    EXPECT_NE(check.error.find("TPM"), std::string::npos) << check.error;
    expect_no_private_key_file("m");

    ::setenv("TPM2OPENSSL_TCTI", tcti_.c_str(), 1);
    EXPECT_EQ(unenroll("m").status, ONSHI_OK) << "the TPM back: the terminal works again";
}

}  // namespace

int main(int argc, char **argv) { return onshi::it::run_sandbox_suite(argc, argv); }
