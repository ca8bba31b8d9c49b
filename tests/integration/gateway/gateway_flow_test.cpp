// The whole check through the ABI against the sandbox: enrollment with DIR/setup.json, PIN and
// visual checks for the personas, the gateway's refusals, TLS failures, fault switches, and one
// TLS handshake reused across many checks (counted from the plugin's log).
#include <onshi/onshi.h>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

namespace {

const std::string kDir = ONSHI_GATEWAY_IT_DIR;
const std::string kReader = R"("reader":"Virtual PCD 00 00")";

int sandbox(const std::string &args) {
    std::string cmd = std::string(ONSHI_SANDBOX_BIN) + " " + args + " --dir " + kDir + " >/dev/null 2>&1";
    return std::system(cmd.c_str());
}

std::string read_all(const std::string &path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

rapidjson::Document parse(const std::string &text) {
    rapidjson::Document d;
    d.Parse(text.c_str());
    return d;
}

struct Ended {
    onshi_status status = ONSHI_E_INTERNAL;
    std::string json;
};

class GatewayFlow : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (geteuid() != 0) return;
        sandbox("down");
        // A fresh gateway registry too, or reruns fill the facility's terminal slots.
        std::system(("rm -rf " + kDir + "/terminal " + kDir + "/gateway").c_str());
        up_ = sandbox("up --readers 1 --card 0=valid-honnin") == 0;
        setenv("PCSCLITE_CSOCK_NAME", (kDir + "/run/pcscd.comm").c_str(), 1);
        auto plugin = parse(read_all(kDir + "/plugin.json"));
        if (plugin.IsObject() && plugin.HasMember("gateway")) {
            url_ = plugin["gateway"]["url"].GetString();
            ca_ = plugin["gateway"]["ca_file"].GetString();
        }
    }
    static void TearDownTestSuite() {
        if (geteuid() == 0) sandbox("down");
    }
    void SetUp() override {
        if (geteuid() != 0) GTEST_SKIP() << "needs root for the sandbox's namespaces";
        ASSERT_TRUE(up_) << "onshi-sandbox up failed; see " << kDir << "/sandbox.log";
        ASSERT_FALSE(url_.empty()) << "DIR/plugin.json has no gateway";
        sandbox("gateway-fault --mode none");
        ctx_ = open_with(ca_, url_);
        ASSERT_NE(ctx_, nullptr) << onshi_last_error(nullptr);
        for (int i = 0; i < 200 && !reader_has_card(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (!enrolled_) {
            Ended e = wait(enroll());
            ASSERT_EQ(e.status, ONSHI_OK) << e.json;
            enrolled_ = true;
        }
    }
    void TearDown() override {
        if (ctx_) onshi_close(ctx_);
    }

    onshi_context *open_with(const std::string &ca, const std::string &url, const std::string &extra = "") {
        std::string cfg = R"({"locale":"en","card_wait_ms":5000,"credential_dir":")" + kDir + R"(/terminal",)" +
                          R"("log":{"file":")" + kDir + R"(/plugin.log","level":"info"},)" + extra +
                          R"("gateway":{"url":")" + url + R"(","ca_file":")" + ca + R"(","timeout_ms":3000}})";
        onshi_context *ctx = nullptr;
        last_open_ = onshi_open(cfg.c_str(), &ctx);
        return ctx;
    }
    bool reader_has_card() {
        char *json = nullptr;
        if (onshi_list_readers(ctx_, &json) != ONSHI_OK) return false;
        bool yes = std::string(json).find("\"card_present\":true") != std::string::npos;
        onshi_free(json);
        return yes;
    }
    onshi_job_id enroll() {
        onshi_job_id job = 0;
        EXPECT_EQ(onshi_terminal_enroll(ctx_, read_all(kDir + "/setup.json").c_str(), &job), ONSHI_OK) << onshi_last_error(ctx_);
        return job;
    }
    Ended wait(onshi_job_id job, onshi_context *ctx = nullptr) {
        ctx = ctx ? ctx : ctx_;
        Ended e;
        if (onshi_job_wait(ctx, job, 30000, &e.status) != ONSHI_OK) return e;
        onshi_result *r = nullptr;
        if (onshi_job_result(ctx, job, &r) == ONSHI_OK) {
            const char *json = nullptr;
            if (onshi_result_json(r, &json) == ONSHI_OK) e.json = json;
            onshi_result_free(r);
        }
        onshi_job_release(ctx, job);
        return e;
    }
    static void put_card(const std::string &persona) {
        sandbox("remove --slot 0");
        ASSERT_EQ(sandbox("insert --slot 0 --persona " + persona), 0) << persona;
    }
    Ended check(const std::string &persona, const char *pin, const std::string &extra = "", onshi_context *ctx = nullptr) {
        put_card(persona);
        onshi_job_id job = 0;
        std::string req = "{" + kReader + extra + "}";
        EXPECT_EQ(onshi_check_eligibility(ctx ? ctx : ctx_, req.c_str(), pin, &job), ONSHI_OK);
        return wait(job, ctx);
    }
    static std::string field(const std::string &json, const char *name) {
        auto d = parse(json);
        std::function<std::string(const rapidjson::Value &)> find = [&](const rapidjson::Value &v) -> std::string {
            if (v.IsObject())
                for (const auto &m : v.GetObject()) {
                    if (std::string(m.name.GetString()) == name && m.value.IsString()) return m.value.GetString();
                    std::string s = find(m.value);
                    if (!s.empty()) return s;
                }
            if (v.IsArray())
                for (const auto &e : v.GetArray()) {
                    std::string s = find(e);
                    if (!s.empty()) return s;
                }
            return "";
        };
        return d.IsObject() ? find(d) : "";
    }

    static inline bool up_ = false, enrolled_ = false;
    static inline std::string url_, ca_;
    onshi_context *ctx_ = nullptr;
    onshi_status last_open_ = ONSHI_OK;
};

TEST_F(GatewayFlow, EnrollingAgainIsRefusedAndStatusAnswers) {
    Ended again = wait(enroll());
    EXPECT_EQ(again.status, ONSHI_E_ALREADY_ENROLLED) << again.json;
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_terminal_status(ctx_, &job), ONSHI_OK);
    Ended st = wait(job);
    EXPECT_EQ(st.status, ONSHI_OK) << st.json;
    EXPECT_NE(st.json.find("\"enrolled\":true"), std::string::npos) << st.json;
    EXPECT_NE(st.json.find("T-3410712362-"), std::string::npos) << st.json;
}

TEST_F(GatewayFlow, PinCheckOfAValidPersonIsEligible) {
    Ended e = check("valid-honnin", "1234");
    ASSERT_EQ(e.status, ONSHI_OK) << e.json;
    EXPECT_EQ(field(e.json, "verdict"), "eligible") << e.json;
    EXPECT_EQ(field(e.json, "method"), "pin");
    EXPECT_EQ(field(e.json, "QualificationValidity"), "1");
}

TEST_F(GatewayFlow, VisualCheckIsMarkedVisual) {
    Ended e = check("valid-kazoku", nullptr, R"(,"method":"visual")");
    ASSERT_EQ(e.status, ONSHI_OK) << e.json;
    EXPECT_EQ(field(e.json, "method"), "visual") << e.json;
}

TEST_F(GatewayFlow, LostQualificationIsNotEligibleWithAReason) {
    Ended e = check("lost-qualification", "6789");
    ASSERT_EQ(e.status, ONSHI_OK) << e.json;
    EXPECT_EQ(field(e.json, "verdict"), "not_eligible") << e.json;
    EXPECT_FALSE(field(e.json, "ReasonOfLoss").empty()) << e.json;
}

TEST_F(GatewayFlow, NoRecordIsValidity4) {
    Ended e = check("no-record", "8901");
    ASSERT_EQ(e.status, ONSHI_OK) << e.json;
    EXPECT_EQ(field(e.json, "QualificationValidity"), "4") << e.json;
    EXPECT_EQ(field(e.json, "verdict"), "not_eligible");
}

TEST_F(GatewayFlow, RevokedAndExpiredCertificatesAreRefused) {
    Ended revoked = check("revoked-cert", "9012");
    EXPECT_EQ(revoked.status, ONSHI_E_CERT_REVOKED) << revoked.json;
    Ended expired = check("expired-cert", "0123");
    EXPECT_EQ(expired.status, ONSHI_E_CERT_EXPIRED) << expired.json;
}

TEST_F(GatewayFlow, LimitCertificateOnlyWithConsent) {
    Ended with = check("limit-cert", "5678", R"(,"consents":{"limit_application_certificate":true})");
    ASSERT_EQ(with.status, ONSHI_OK) << with.json;
    EXPECT_NE(with.json.find("LimitApplicationCertificateRelatedInfo"), std::string::npos) << with.json;
    EXPECT_EQ(field(with.json, "LimitApplicationCertificateRelatedConsFlg"), "1");
    Ended without = check("limit-cert", "5678");
    ASSERT_EQ(without.status, ONSHI_OK) << without.json;
    EXPECT_EQ(without.json.find("LimitApplicationCertificateRelatedInfo"), std::string::npos) << without.json;
}

TEST_F(GatewayFlow, WrongServerCaIsATlsError) {
    onshi_context *other = open_with(kDir + "/gateway/other-ca.pem", url_);
    ASSERT_NE(other, nullptr) << onshi_last_error(nullptr);
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_terminal_status(other, &job), ONSHI_OK);
    Ended e = wait(job, other);
    EXPECT_EQ(e.status, ONSHI_E_TLS) << e.json;
    onshi_close(other);
}

TEST_F(GatewayFlow, PlainHttpIsRefusedAtOpen) {
    std::string http = url_;
    http.replace(0, 5, "http");
    EXPECT_EQ(open_with(ca_, http), nullptr);
    EXPECT_EQ(last_open_, ONSHI_E_CONFIG);
    EXPECT_NE(std::string(onshi_last_error(nullptr)).find("config.gateway.url"), std::string::npos) << onshi_last_error(nullptr);
}

TEST_F(GatewayFlow, FaultSwitchesGiveTheMappedStatuses) {
    struct Case {
        const char *mode;
        onshi_status expected;
    };
    for (Case c : {Case{"http500", ONSHI_E_GATEWAY_ERROR}, Case{"malformed", ONSHI_E_GATEWAY_PROTOCOL},
                   Case{"timeout", ONSHI_E_GATEWAY_TIMEOUT}, Case{"close", ONSHI_E_NETWORK}}) {
        ASSERT_EQ(sandbox(std::string("gateway-fault --mode ") + c.mode), 0) << c.mode;
        onshi_job_id job = 0;
        ASSERT_EQ(onshi_terminal_status(ctx_, &job), ONSHI_OK);
        Ended e = wait(job);
        EXPECT_EQ(e.status, c.expected) << c.mode << ": " << e.json;
    }
    sandbox("gateway-fault --mode none");
}

TEST_F(GatewayFlow, OneTlsHandshakeServesTwentyChecks) {
    onshi_close(ctx_);
    std::remove((kDir + "/plugin.log").c_str());
    ctx_ = open_with(ca_, url_);
    ASSERT_NE(ctx_, nullptr);
    for (int i = 0; i < 200 && !reader_has_card(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    put_card("valid-honnin");
    int ok = 0;
    for (int i = 0; i < 20; ++i) {
        onshi_job_id job = 0;
        ASSERT_EQ(onshi_check_eligibility(ctx_, ("{" + kReader + "}").c_str(), "1234", &job), ONSHI_OK);
        ok += wait(job).status == ONSHI_OK;
    }
    EXPECT_EQ(ok, 20);
    std::string log = read_all(kDir + "/plugin.log");
    int opened = 0;
    for (std::size_t p = 0; (p = log.find("TLS connection opened", p)) != std::string::npos; ++p) ++opened;
    std::printf("[ figures ] TLS connections opened for 20 checks: %d\n", opened);
    EXPECT_EQ(opened, 1) << log;
}

}  // namespace

int main(int argc, char **argv) {
    ::testing::InitGoogleTest(&argc, argv);
    int rc = RUN_ALL_TESTS();
    if (geteuid() != 0) return 77;
    return rc;
}
