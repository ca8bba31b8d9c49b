// The whole check through the ABI against the sandbox: enrollment with DIR/setup.json, PIN and
// visual checks for every persona (verdicts and official values read with onshi_result_field), the
// gateway's refusals, TLS failures, fault switches, and one TLS handshake reused across many checks
// (counted from the plugin's log).
#include <onshi/onshi.h>

#include "event_log.h"
#include "job_result.h"
#include "plugin_setup.h"
#include "sandbox_runner.h"
#include "sandbox_suite.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

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

using namespace onshi::it;

const SandboxRunner kSandbox(ONSHI_SANDBOX_BIN, kDir);

int sandbox(const std::string &args) { return kSandbox.run(args); }

rapidjson::Document parse(const std::string &text) {
    rapidjson::Document d;
    d.Parse(text.c_str());
    return d;
}

const std::string kAbsent = "(absent)";

struct Ended : JobEnd {
    // The index-th value of an official element (or any string member) through
    // onshi_result_field, kAbsent when the result has none.
    std::string value(const char *element, uint32_t index = 0) const {
        const char *v = nullptr;
        if (!result || onshi_result_field(result.get(), element, index, &v) != ONSHI_OK || !v) return kAbsent;
        return v;
    }
};

class GatewayFlow : public SandboxSuite {
protected:
    static void SetUpTestSuite() {
        if (!is_root()) return;
        // A fresh gateway registry too, or reruns fill the facility's terminal slots.
        bring_up(kSandbox, "--readers 1 --card 0=valid-honnin", "terminal gateway");
        url_ = kSandbox.gateway_url();
        ca_ = kSandbox.gateway_ca();
    }
    void SetUpTest() override {
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

    onshi_context *open_with(const std::string &ca, const std::string &url, const std::string &extra = "",
                             int timeout_ms = 3000) {
        // connect_timeout_ms (default 3000) must not exceed timeout_ms.
        std::string timeouts = R"("timeout_ms":)" + std::to_string(timeout_ms) +
                               (timeout_ms < 3000 ? R"(,"connect_timeout_ms":)" + std::to_string(timeout_ms) : "");
        std::string cfg = R"({"locale":"en","card_wait_ms":5000,"credential_dir":")" + kDir + R"(/terminal",)" +
                          R"("log":{"file":")" + kDir + R"(/plugin.log","level":"info"},)" + extra +
                          R"("gateway":{"url":")" + url + R"(","ca_file":")" + ca + R"(",)" + timeouts + "}}";
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
        EXPECT_EQ(onshi_terminal_enroll(ctx_, kSandbox.setup_json().c_str(), &job), ONSHI_OK) << onshi_last_error(ctx_);
        return job;
    }
    Ended wait(onshi_job_id job, onshi_context *ctx = nullptr) { return {wait_job(ctx ? ctx : ctx_, job)}; }
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
    // Starts a check without a PIN and waits until the job asks for one.
    onshi_job_id start_asking_for_pin(const std::string &persona) {
        put_card(persona);
        onshi_job_id job = 0;
        EXPECT_EQ(onshi_check_eligibility(ctx_, ("{" + kReader + "}").c_str(), nullptr, &job), ONSHI_OK);
        EventLog events(ctx_);
        long i = events.wait_for(0, [&](const Event &e) { return e.job == job && (e.type == ONSHI_EVENT_PIN_NEEDED || e.final()); }, 30000);
        if (i >= 0 && events.at(i).type == ONSHI_EVENT_PIN_NEEDED) return job;
        ADD_FAILURE() << persona << ": the check did not ask for the PIN";
        return job;
    }
    // A figure of the result's "timing" (milliseconds), -1 when absent.
    static double timing_ms(const std::string &json, const char *name) {
        auto d = parse(json);
        if (!d.IsObject() || !d.HasMember("timing") || !d["timing"].HasMember(name) || !d["timing"][name].IsNumber()) return -1;
        return d["timing"][name].GetDouble();
    }
    // Requests to an endpoint that the gateway logged so far, and TLS connections the plugin opened.
    static std::size_t gateway_requests(const std::string &endpoint) { return kSandbox.gateway_requests(endpoint); }
    static std::size_t tls_connections_opened() { return count_of(read_all(kDir + "/plugin.log"), "TLS connection opened"); }
    // Aborts the gateway's side of every established connection (the kernel sends an RST), as a
    // server restart or an idle timeout would close them. -1 when this kernel cannot (ss -K needs
    // CONFIG_INET_DIAG_DESTROY), else how many there were.
    static int close_connections_at_the_gateway() {
        std::string filter = "state established src 127.0.0.1 sport = :" + url_.substr(url_.rfind(':') + 1);
        auto listed = [&] { return static_cast<int>(count_of(output_of("ss -Htn " + filter + " 2>/dev/null"), "\n")); };
        int before = listed();
        std::system(("ss -K -Htn " + filter + " >/dev/null 2>&1").c_str());
        return before > 0 && listed() == before ? -1 : before;
    }
    // The label of a coded element in the result's "labels" ("" when there is none).
    static std::string label_ja(const std::string &json, const char *element) {
        auto d = parse(json);
        if (!d.IsObject() || !d.HasMember("labels") || !d["labels"].HasMember(element)) return "";
        const auto &l = d["labels"][element];
        return l.IsObject() && l.HasMember("ja") && l["ja"].IsString() ? l["ja"].GetString() : "";
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

    static inline bool enrolled_ = false;
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

TEST_F(GatewayFlow, DependentFamilyMemberIsEligibleWithTheirBranchNumber) {
    Ended e = check("valid-kazoku", "2345");
    ASSERT_EQ(e.status, ONSHI_OK) << e.json;
    EXPECT_EQ(e.value("verdict"), "eligible") << e.json;
    EXPECT_EQ(e.value("method"), "pin");
    EXPECT_EQ(e.value("PersonalFamilyClassification"), "2") << e.json;
    EXPECT_EQ(e.value("InsuredBranchNumber"), "01") << e.json;
    EXPECT_EQ(e.value("InsurerNumber"), "06130488") << e.json;
}

TEST_F(GatewayFlow, ElderlyRecipientHasTheRatioAndAPaddedInsurerNumber) {
    Ended e = check("elderly-70", "3456");
    ASSERT_EQ(e.status, ONSHI_OK) << e.json;
    EXPECT_EQ(e.value("verdict"), "eligible") << e.json;
    EXPECT_EQ(e.value("InsurerNumber"), "  138057") << "国保: six digits, space-padded to eight, kept as sent";
    EXPECT_EQ(e.value("ElderlyRecipientContributionRatio"), "020") << e.json;
    EXPECT_EQ(label_ja(e.json, "ElderlyRecipientContributionRatio"), "2割") << e.json;
}

TEST_F(GatewayFlow, LateStageElderlyHasA39InsurerAndNoCardSymbol) {
    Ended e = check("koki-39", "4567");
    ASSERT_EQ(e.status, ONSHI_OK) << e.json;
    EXPECT_EQ(e.value("verdict"), "eligible") << e.json;
    EXPECT_EQ(e.value("InsurerNumber").rfind("39", 0), 0u) << e.value("InsurerNumber");
    EXPECT_EQ(e.value("InsuredPartialContributionRatio"), "010") << e.json;
    EXPECT_EQ(e.value("InsuredCardSymbol"), kAbsent) << e.json;
}

TEST_F(GatewayFlow, NewQualificationNeedsAttention) {
    Ended e = check("new-qualification", "7890");
    ASSERT_EQ(e.status, ONSHI_OK) << e.json;
    EXPECT_EQ(e.value("QualificationValidity"), "3") << e.json;
    EXPECT_EQ(e.value("verdict"), "needs_attention") << e.json;
}

TEST_F(GatewayFlow, BlockedPinRefusesAPinCheckButAVisualCheckWorks) {
    Ended pin = check("blocked-pin", "1111");
    EXPECT_EQ(pin.status, ONSHI_E_PIN_BLOCKED) << pin.json;
    Ended visual = check("blocked-pin", nullptr, R"(,"method":"visual")");
    ASSERT_EQ(visual.status, ONSHI_OK) << visual.json;
    EXPECT_EQ(visual.value("verdict"), "eligible") << visual.json;
    EXPECT_EQ(visual.value("method"), "visual");
    EXPECT_EQ(visual.value("InsurerNumber"), "31130016") << visual.json;
}

TEST_F(GatewayFlow, LastTryOnlyWithThePatientsPermission) {
    Ended refused = check("last-try", "2222");
    EXPECT_EQ(refused.status, ONSHI_E_LAST_TRY_REFUSED) << refused.json;
    onshi_job_id job = start_asking_for_pin("last-try");
    ASSERT_EQ(onshi_provide_pin(ctx_, job, "2222", ONSHI_PIN_ALLOW_LAST_ATTEMPT), ONSHI_OK) << onshi_last_error(ctx_);
    Ended allowed = wait(job);
    ASSERT_EQ(allowed.status, ONSHI_OK) << allowed.json;
    EXPECT_EQ(allowed.value("verdict"), "eligible") << allowed.json;
    EXPECT_EQ(allowed.value("InsurerNumber"), "01130012") << allowed.json;
}

TEST_F(GatewayFlow, JukiAndOtherIcCardsAreRefused) {
    Ended juki = check("juki-card", "3333");
    EXPECT_EQ(juki.status, ONSHI_E_JUKI_CARD) << juki.json;
    Ended other = check("not-mynumber", "1234");
    EXPECT_EQ(other.status, ONSHI_E_NOT_MYNUMBER_CARD) << other.json;
}

TEST_F(GatewayFlow, RevokedAndExpiredCertificatesAreRefused) {
    Ended revoked = check("revoked-cert", "9012");
    EXPECT_EQ(revoked.status, ONSHI_E_CERT_REVOKED) << revoked.json;
    Ended expired = check("cert-expired", "0123");
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

TEST_F(GatewayFlow, SlowGatewayWithinTheTimeoutCompletes) {
    constexpr int kSlowMs = 1000;  // below the suite's gateway.timeout_ms (3000)
    ASSERT_EQ(sandbox("gateway-fault --mode slow --ms " + std::to_string(kSlowMs)), 0);
    Ended e = check("valid-honnin", "1234");
    sandbox("gateway-fault --mode none");
    ASSERT_EQ(e.status, ONSHI_OK) << e.json;
    EXPECT_EQ(e.value("verdict"), "eligible") << e.json;
    double network = timing_ms(e.json, "network_ms");
    std::printf("[ figures ] slow %d ms: network_ms %.1f, warm_up_wait_ms %.1f, total_ms %.1f\n", kSlowMs, network,
                timing_ms(e.json, "warm_up_wait_ms"), timing_ms(e.json, "total_ms"));
    // The answer cannot come before the gateway sends it: a lower bound, not a speed goal.
    EXPECT_GE(network, kSlowMs) << e.json;
}

TEST_F(GatewayFlow, SlowGatewayBeyondTheTimeoutTimesOutAndTheContextRecovers) {
    onshi_context *quick = open_with(ca_, url_, "", 500);
    ASSERT_NE(quick, nullptr) << onshi_last_error(nullptr);
    ASSERT_EQ(sandbox("gateway-fault --mode slow --ms 2000"), 0);
    Ended slow = check("valid-honnin", "1234", "", quick);
    EXPECT_EQ(slow.status, ONSHI_E_GATEWAY_TIMEOUT) << slow.json;
    ASSERT_EQ(sandbox("gateway-fault --mode none"), 0);
    Ended next = check("valid-honnin", "1234", "", quick);
    EXPECT_EQ(next.status, ONSHI_OK) << "the same context works once the gateway answers in time: " << next.json;
    EXPECT_EQ(next.value("verdict"), "eligible") << next.json;
    onshi_close(quick);
}

TEST_F(GatewayFlow, ConsecutiveChecksOnAWarmConnectionMakeOneRoundTrip) {
    constexpr int kDelayMs = 50;  // on every answer, as with `up --net-delay-ms 50`
    ASSERT_EQ(sandbox("gateway-fault --mode slow --ms " + std::to_string(kDelayMs)), 0);
    std::size_t health0 = gateway_requests("/v1/health");
    Ended first = check("valid-honnin", "1234");
    Ended second = check("valid-honnin", "1234");
    sandbox("gateway-fault --mode none");
    ASSERT_EQ(first.status, ONSHI_OK) << first.json;
    ASSERT_EQ(second.status, ONSHI_OK) << second.json;
    std::printf("[ figures ] %d ms per answer: warm_up_wait_ms %.2f (new connection), %.2f (warm); network_ms %.1f, %.1f\n",
                kDelayMs, timing_ms(first.json, "warm_up_wait_ms"), timing_ms(second.json, "warm_up_wait_ms"),
                timing_ms(first.json, "network_ms"), timing_ms(second.json, "network_ms"));
    // Structural, not a speed goal: on a warm connection nothing is sent before the confirmation,
    // so the check never waits for another answer of the gateway.
    EXPECT_LT(timing_ms(second.json, "warm_up_wait_ms"), kDelayMs / 2.0) << second.json;
    EXPECT_EQ(gateway_requests("/v1/health") - health0, 1u) << "only the first check's warm-up asks the gateway";
}

// The gateway closes the pooled connection between two checks (within the warm window, so the
// second warm-up sends nothing): libcurl finds it closed before sending, and the confirmation goes
// out once, on a new connection.
TEST_F(GatewayFlow, AWarmConnectionTheGatewayClosedIsReplacedWithoutAnError) {
    Ended first = check("valid-honnin", "1234");
    ASSERT_EQ(first.status, ONSHI_OK) << first.json;
    int closed = close_connections_at_the_gateway();
    if (closed < 0) GTEST_SKIP() << "ss -K cannot close sockets on this kernel";
    ASSERT_GE(closed, 1) << "the first check's connection is kept open";
    std::size_t health0 = gateway_requests("/v1/health"), confirmations0 = gateway_requests("/v1/confirmations");
    std::size_t tls0 = tls_connections_opened();
    Ended second = check("valid-honnin", "1234");
    ASSERT_EQ(second.status, ONSHI_OK) << second.json;
    EXPECT_EQ(second.value("verdict"), "eligible");
    EXPECT_EQ(gateway_requests("/v1/health"), health0) << "the warm-up counted on the pooled connection";
    EXPECT_EQ(gateway_requests("/v1/confirmations") - confirmations0, 1u);
    EXPECT_EQ(tls_connections_opened() - tls0, 1u) << "the confirmation went out on one new connection";
}

TEST_F(GatewayFlow, AConfirmationLostAfterItWasSentIsNotResentAndTheNextCheckWorks) {
    Ended first = check("valid-honnin", "1234");
    ASSERT_EQ(first.status, ONSHI_OK) << first.json;
    // The gateway reads the whole confirmation, then closes: it may have acted on it, so the
    // plugin must not send it again.
    ASSERT_EQ(sandbox("gateway-fault --mode close"), 0);
    std::size_t confirmations0 = gateway_requests("/v1/confirmations");
    Ended lost = check("valid-honnin", "1234");
    EXPECT_EQ(lost.status, ONSHI_E_NETWORK) << lost.json;
    EXPECT_EQ(gateway_requests("/v1/confirmations") - confirmations0, 1u) << "sent once, never twice";
    ASSERT_EQ(sandbox("gateway-fault --mode none"), 0);
    Ended next = check("valid-honnin", "1234");
    EXPECT_EQ(next.status, ONSHI_OK) << next.json;
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

int main(int argc, char **argv) { return onshi::it::run_sandbox_suite(argc, argv); }
