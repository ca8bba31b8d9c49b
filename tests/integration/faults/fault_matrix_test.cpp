// The fault matrix (issue 7, part 1) through the C ABI against the sandbox. Every row injects one
// fault into a PIN check the patient typed the right PIN for (or into an enrollment, renewal or
// end of use) and asserts the same four properties:
//   1. the job ends once, with one precise status and a message that says why;
//   2. no PIN try is spent beyond the one typed: at most one VERIFY with data in the sandbox's
//      APDU journal, answered 9000, and the card still reports all its tries afterwards;
//   3. nothing is lost: a result that arrived is delivered; the confirmation is never sent twice;
//      an enrollment, renewal or end of use either completes or leaves the local store and the
//      gateway's registry as they were;
//   4. the next check works on the same context once the fault is cleared.
// Rows covered elsewhere: the card pulled at every APDU and pcscd down (faults_test.cpp), damaged
// and wiped stores (lifecycle_test.cpp), plain http (gateway_flow_test.cpp).
//
// The credential-store rows need a store that is read-only or full although the tests run as
// root (chmod does not stop root): main() moves the process into a private mount namespace
// before any thread exists, and the rows mount a small tmpfs there (remounted read-only, or
// filled to the last byte). Nothing outside this process sees those mounts.
#include <onshi/onshi.h>

#include "apdu_journal.h"
#include "event_log.h"
#include "job_result.h"
#include "personas.h"
#include "plugin_setup.h"
#include "sandbox_runner.h"
#include "sandbox_suite.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

using namespace onshi::it;
using Clock = std::chrono::steady_clock;

const std::string kDir = ONSHI_FAULT_MATRIX_IT_DIR;
const std::string kReader0 = "Virtual PCD 00 00";
const std::string kRequest = R"({"reader":"Virtual PCD 00 00"})";
const SandboxRunner kSandbox(ONSHI_SANDBOX_BIN, kDir);
// Gateway timeouts of every context here: short, so that the timeout rows cost little CI time.
constexpr int kGatewayTimeoutMs = 1500;

bool g_private_mounts = false;

// How one job ended, with what the card saw meanwhile.
struct Outcome {
    Event final_event;
    int finals = 0;
    std::string result_json;
    std::vector<JournalLine> apdus;  // slot 0, from the submit to the final event
    std::size_t confirmations = 0;   // POST /v1/confirmations the gateway logged meanwhile
};

// A context of the sandbox's terminal (or of another credential_dir), English messages, the
// gateway as in plugin.json unless `ca_file` says otherwise.
onshi_context *open_context(const std::string &credential_dir = "", const std::string &ca_file = "",
                            int timeout_ms = kGatewayTimeoutMs) {
    const std::string gateway = R"({"url":")" + kSandbox.gateway_url() + R"(","ca_file":")" +
                                (ca_file.empty() ? kSandbox.gateway_ca() : ca_file) + R"(","timeout_ms":)" +
                                std::to_string(timeout_ms) + R"(,"connect_timeout_ms":)" +
                                std::to_string(timeout_ms) + "}";
    std::string overrides = R"({"locale":"en","card_wait_ms":5000,"gateway":)" + gateway;
    if (!credential_dir.empty()) overrides += R"(,"credential_dir":")" + credential_dir + "\"";
    overrides += "}";
    const std::string config = plugin_config(kDir, overrides);
    onshi_context *ctx = nullptr;
    EXPECT_EQ(onshi_open(config.c_str(), &ctx), ONSHI_OK) << onshi_last_error(nullptr);
    return ctx;
}

// Waits for `job` to end (a minute at most: more is a hang) and gathers its outcome.
Outcome finish(onshi_context *ctx, EventLog &events, onshi_job_id job, std::size_t journal_from, std::size_t confirmations_from) {
    Outcome out;
    std::optional<Event> fin = events.final_of(job);
    if (!fin) {
        ADD_FAILURE() << "job " << job << " produced no final event (a hang)";
        return out;
    }
    out.final_event = *fin;
    out.finals = events.finals_of(job);
    out.result_json = result_json(ctx, job);
    onshi_job_release(ctx, job);
    out.apdus = slot_lines(read_journal(kDir), journal_from, SIZE_MAX, 0);
    out.confirmations = kSandbox.gateway_requests("/v1/confirmations") - confirmations_from;
    return out;
}

// A PIN check with the right PIN typed up front.
Outcome pin_check(onshi_context *ctx, EventLog &events, const std::string &pin, const std::string &request = kRequest) {
    const std::size_t journal_from = read_journal(kDir).size();
    const std::size_t confirmations_from = kSandbox.gateway_requests("/v1/confirmations");
    onshi_job_id job = 0;
    EXPECT_EQ(onshi_check_eligibility(ctx, request.c_str(), pin.c_str(), &job), ONSHI_OK) << onshi_last_error(ctx);
    return finish(ctx, events, job, journal_from, confirmations_from);
}

// Properties 1-3 for a check that failed with `expected`.
void expect_failed_cleanly(const Outcome &o, onshi_status expected, const std::string &message_has) {
    EXPECT_EQ(o.final_event.type, ONSHI_EVENT_FAILED) << o.final_event.text;
    EXPECT_EQ(o.final_event.status, expected) << onshi_status_name(o.final_event.status) << ": " << o.final_event.text;
    // The event says what staff read; the result adds the next action and, for IT, why.
    EXPECT_EQ(o.final_event.text, onshi_status_message(expected, "en")) << "the event carries the clerk's sentence";
    EXPECT_EQ(string_member(o.result_json, "message"), o.final_event.text) << o.result_json;
    EXPECT_FALSE(string_member(o.result_json, "action").empty()) << "no next action: " << o.result_json;
    EXPECT_NE(string_member(o.result_json, "detail").find(message_has), std::string::npos)
        << "the detail should say why (\"" << message_has << "\"): " << o.result_json;
    EXPECT_EQ(o.finals, 1) << "exactly one final event";
    EXPECT_FALSE(o.result_json.empty()) << "a failed job's result holds its error";
    EXPECT_LE(verifies_with_data(o.apdus), 1) << "at most the one VERIFY the patient typed";
    for (const JournalLine &l : o.apdus)
        if (l.verify_with_data()) {
            EXPECT_EQ(l.r, "9000") << "the typed PIN is the right one: no try spent";
        }
    const int tries = pin_tries_reported(o.apdus);
    EXPECT_TRUE(tries == -1 || tries == 3) << "tries the card reported: " << tries;
    EXPECT_LE(o.confirmations, 1u) << "a confirmation is never sent twice";
    std::printf("[ matrix ] %-28s -> %s: %s\n", onshi_status_name(expected), onshi_status_name(o.final_event.status),
                o.final_event.text.c_str());
}

// Property 4 (and 2 once more): the next check ends DONE with the persona's verdict, and the card
// still held all three tries when it began.
void expect_next_check_works(onshi_context *ctx, EventLog &events, const std::string &pin) {
    Outcome next = pin_check(ctx, events, pin);
    EXPECT_EQ(next.final_event.type, ONSHI_EVENT_DONE) << onshi_status_name(next.final_event.status) << ": " << next.final_event.text;
    EXPECT_EQ(verdict_of(next.result_json), "eligible") << next.result_json.substr(0, 300);
    EXPECT_EQ(pin_tries_queried(next.apdus), 3) << "the card's tries when the next check began";
    EXPECT_EQ(next.confirmations, 1u);
}

class FaultMatrix : public SandboxSuite {
protected:
    static void SetUpTestSuite() {
        if (!is_root()) return;
        const bool up = bring_up(kSandbox, "--readers 1 --card 0=valid-honnin --terminals-allowed 3", "terminal gateway apdu.jsonl stores");
        personas_ = load_personas(ONSHI_SANDBOX_BIN);
        if (!up) return;
        onshi_context *ctx = open_context();
        enrolled_ = ctx && enroll_from_setup(ctx, kDir) == ONSHI_OK;
        onshi_close(ctx);
    }
    void SetUpTest() override {
        ASSERT_TRUE(enrolled_) << "enrollment at the sandbox gateway; see " << kDir << "/gateway/gateway.log";
        ASSERT_FALSE(personas_["valid-honnin"].pin.empty());
        ASSERT_EQ(kSandbox.gateway_fault("none"), 0);
        ASSERT_EQ(kSandbox.put_card(0, "valid-honnin"), 0);
    }
    void TearDown() override {
        if (is_root()) kSandbox.gateway_fault("none");
    }
    static const std::string &pin() { return personas_["valid-honnin"].pin; }

    static inline bool enrolled_ = false;
    static inline std::map<std::string, Persona> personas_;
};

// ---- The gateway: one table, one fresh context per row (new connections meet the fault) -----

struct GatewayFaultRow {
    const char *fault;           // what goes wrong
    const char *mode;            // `gateway-fault --mode`, or "none" when the row is a config
    int ms;                      // its --ms (-1: none)
    bool other_ca;               // the context trusts another CA
    onshi_status expected;
    const char *message_has;     // part of the job's English detail (for IT) that says why
};

const GatewayFaultRow kGatewayRows[] = {
    {"answers after the timeout", "slow", 3 * kGatewayTimeoutMs, false, ONSHI_E_GATEWAY_TIMEOUT, "imed out"},
    {"reads the request, never answers", "timeout", -1, false, ONSHI_E_GATEWAY_TIMEOUT, "imed out"},
    {"refuses connections (down)", "refuse", -1, false, ONSHI_E_NETWORK, "onnect"},
    {"answers HTTP 500", "http500", -1, false, ONSHI_E_GATEWAY_ERROR, "HTTP 500"},
    {"answers malformed JSON", "malformed", -1, false, ONSHI_E_GATEWAY_PROTOCOL, "JSON"},
    {"answers a 2 MiB body", "oversized", -1, false, ONSHI_E_GATEWAY_PROTOCOL, "size"},
    {"drops the connection after the request", "close", -1, false, ONSHI_E_NETWORK, "/v1/"},
    {"certificate for another host", "wrong-host-cert", -1, false, ONSHI_E_TLS, "certificate"},
    {"expired server certificate", "expired-cert", -1, false, ONSHI_E_TLS, "certificate"},
    {"certificate of another CA", "none", -1, true, ONSHI_E_TLS, "certificate"},
    {"TLS 1.1 only", "tls1.1", -1, false, ONSHI_E_TLS, "protocol version"},
    {"clock 10 minutes off", "skew", 600000, false, ONSHI_E_REJECTED, "300 s"},
};

TEST_F(FaultMatrix, GatewayFaults) {
    for (const GatewayFaultRow &row : kGatewayRows) {
        SCOPED_TRACE(std::string("gateway ") + row.fault);
        ASSERT_EQ(kSandbox.gateway_fault(row.mode, row.ms), 0) << row.mode;
        onshi_context *ctx = open_context("", row.other_ca ? kDir + "/gateway/other-ca.pem" : "");
        ASSERT_NE(ctx, nullptr);
        EventLog events(ctx);
        const auto t0 = Clock::now();
        Outcome o = pin_check(ctx, events, pin());
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
        expect_failed_cleanly(o, row.expected, row.message_has);
        std::printf("[ matrix ] gateway %s: ended after %lld ms\n", row.fault, static_cast<long long>(ms));
        ASSERT_EQ(kSandbox.gateway_fault("none"), 0);
        if (row.other_ca) {  // the fault is the configuration: the fixed one works
            onshi_close(ctx);
            ctx = open_context();
            ASSERT_NE(ctx, nullptr);
            EventLog fixed(ctx);
            expect_next_check_works(ctx, fixed, pin());
        } else {
            expect_next_check_works(ctx, events, pin());
        }
        onshi_close(ctx);
    }
}

// A hung gateway (it reads the warm-up's GET /v1/health and the confirmation, and answers
// neither) costs the clerk timeout_ms once, not twice: the warm-up started with the check shares
// the gateway budget with the confirmation. Measured from the end of the card phase (the job's
// SIGNING step, as this test sees it) to the final event, on a fresh context, so that the
// warm-up really sends a health check into the hung gateway. The bound leaves a margin of 2 s for
// thread hand-offs and a loaded machine; it is no timing goal: waiting for the warm-up and then
// giving the confirmation its own timeout (the fault this row holds off) took 2 x timeout_ms minus
// the card phase, about 7.7 s here.
TEST_F(FaultMatrix, HungGatewayCostsOneTimeout) {
    constexpr int kTimeoutMs = 4000;
    constexpr int kMarginMs = 2000;
    ASSERT_EQ(kSandbox.gateway_fault("timeout"), 0);
    onshi_context *ctx = open_context("", "", kTimeoutMs);
    ASSERT_NE(ctx, nullptr);
    EventLog events(ctx);
    const std::size_t journal_from = read_journal(kDir).size();
    const std::size_t confirmations_from = kSandbox.gateway_requests("/v1/confirmations");
    const std::size_t health_from = kSandbox.gateway_requests("/v1/health");
    const auto submitted = Clock::now();
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_check_eligibility(ctx, kRequest.c_str(), pin().c_str(), &job), ONSHI_OK) << onshi_last_error(ctx);
    long signing = events.wait_for(0, [&](const Event &e) {
        return e.job == job && ((e.type == ONSHI_EVENT_PROGRESS && e.value == ONSHI_PROGRESS_SIGNING) || e.final());
    });
    ASSERT_GE(signing, 0);
    ASSERT_EQ(events.at(signing).type, ONSHI_EVENT_PROGRESS) << events.at(signing).text;
    const auto card_done = Clock::now();
    Outcome o = finish(ctx, events, job, journal_from, confirmations_from);
    const auto ended = Clock::now();
    auto ms = [](Clock::duration d) { return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()); };
    const long long after_card = ms(ended - card_done), total = ms(ended - submitted);
    expect_failed_cleanly(o, ONSHI_E_GATEWAY_TIMEOUT, "imed out");
    EXPECT_GE(kSandbox.gateway_requests("/v1/health"), health_from + 1) << "the warm-up met the hung gateway";
    std::printf("[ matrix ] hung gateway, timeout_ms %d: ended %lld ms after the card phase (%lld ms after the submit)\n",
                kTimeoutMs, after_card, total);
    RecordProperty("hung_gateway_timeout_ms", kTimeoutMs);
    RecordProperty("hung_gateway_ms_after_card_phase", std::to_string(after_card));
    RecordProperty("hung_gateway_ms_after_submit", std::to_string(total));
    EXPECT_LT(after_card, kTimeoutMs + kMarginMs) << "the warm-up's wait came on top of the confirmation's timeout";
    ASSERT_EQ(kSandbox.gateway_fault("none"), 0);
    expect_next_check_works(ctx, events, pin());
    onshi_close(ctx);
}

TEST_F(FaultMatrix, SlowGatewayWithinTheTimeoutDeliversTheResult) {
    ASSERT_EQ(kSandbox.gateway_fault("slow", kGatewayTimeoutMs / 3), 0);
    onshi_context *ctx = open_context();
    ASSERT_NE(ctx, nullptr);
    EventLog events(ctx);
    Outcome o = pin_check(ctx, events, pin());
    EXPECT_EQ(o.final_event.type, ONSHI_EVENT_DONE) << o.final_event.text;
    EXPECT_EQ(verdict_of(o.result_json), "eligible") << "the result that arrived is delivered";
    EXPECT_EQ(o.finals, 1);
    EXPECT_EQ(o.confirmations, 1u);
    EXPECT_EQ(verifies_with_data(o.apdus), 1);
    onshi_close(ctx);
}

// ---- The reader and PC/SC -------------------------------------------------------------------

// pcscd dies while the job waits for the PIN (the job holds the card): the reader is gone for a
// moment. The PIN typed afterwards must never reach a card through a stale handle.
TEST_F(FaultMatrix, ReaderGoneWhileTheJobWaitsForThePin) {
    onshi_context *ctx = open_context();
    ASSERT_NE(ctx, nullptr);
    EventLog events(ctx);
    const std::size_t journal_from = read_journal(kDir).size();
    const std::size_t confirmations_from = kSandbox.gateway_requests("/v1/confirmations");
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_check_eligibility(ctx, kRequest.c_str(), nullptr, &job), ONSHI_OK);
    long asked = events.wait_for(0, [&](const Event &e) { return e.job == job && (e.type == ONSHI_EVENT_PIN_NEEDED || e.final()); }, 20000);
    ASSERT_GE(asked, 0);
    ASSERT_EQ(events.at(asked).type, ONSHI_EVENT_PIN_NEEDED) << events.at(asked).text;
    EXPECT_EQ(events.at(asked).value, 3);
    int restart_rc = -1;
    std::thread outage([&] { restart_rc = kSandbox.run("restart-pcscd --down-ms 1500"); });
    long gone = events.wait_for(static_cast<std::size_t>(asked),
                                [&](const Event &e) { return e.type == ONSHI_EVENT_READER_REMOVED && e.text == kReader0; }, 20000);
    EXPECT_GE(gone, 0) << "the monitor did not see the reader go";
    // The patient types the PIN now: the monitor ended the job's wait before it told of the
    // reader's going (ReaderMonitor::watch_card), so the PIN is refused and never reaches a card.
    EXPECT_EQ(onshi_provide_pin(ctx, job, pin().c_str(), 0), ONSHI_E_WRONG_STATE);
    Outcome o = finish(ctx, events, job, journal_from, confirmations_from);
    outage.join();
    ASSERT_EQ(restart_rc, 0);
    EXPECT_EQ(o.final_event.type, ONSHI_EVENT_FAILED);
    EXPECT_TRUE(o.final_event.status == ONSHI_E_CARD_REMOVED || o.final_event.status == ONSHI_E_PCSC_UNAVAILABLE ||
                o.final_event.status == ONSHI_E_NO_READER)
        << onshi_status_name(o.final_event.status) << ": " << o.final_event.text;
    EXPECT_FALSE(o.final_event.text.empty());
    EXPECT_EQ(o.finals, 1);
    EXPECT_EQ(verifies_with_data(o.apdus), 0) << "the PIN never reached the card";
    EXPECT_EQ(o.confirmations, 0u);
    std::printf("[ matrix ] reader gone while waiting for the PIN -> %s: %s\n", onshi_status_name(o.final_event.status),
                o.final_event.text.c_str());
    long back = events.wait_for(gone < 0 ? 0 : static_cast<std::size_t>(gone),
                                [&](const Event &e) { return e.type == ONSHI_EVENT_CARD_INSERTED && e.text == kReader0; }, 20000);
    ASSERT_GE(back, 0) << "the card is seen again";
    expect_next_check_works(ctx, events, pin());
    onshi_close(ctx);
}

// The patient takes the card off while the PIN dialog (or the 照合番号B dialog of a visual check
// with the photo) is open: the reader monitor sees it at once and the job ends CARD_REMOVED then,
// not after someone typed a PIN for a card that is gone; the host closes its dialog on that final
// event. A PIN typed once the reader's CARD_REMOVED came is refused (WRONG_STATE) and never
// reaches a card.
TEST_F(FaultMatrix, CardPulledWhileTheJobWaitsForThePin) {
    onshi_context *ctx = open_context();
    ASSERT_NE(ctx, nullptr);
    EventLog events(ctx);
    struct Kind {
        const char *request;
        std::string secret;
    };
    for (const Kind &k : {Kind{R"({"reader":"Virtual PCD 00 00"})", pin()},
                          Kind{R"({"reader":"Virtual PCD 00 00","method":"visual","photo":true})",
                               personas_["valid-honnin"].collation_b}}) {
        SCOPED_TRACE(k.request);
        const std::size_t journal_from = read_journal(kDir).size();
        const std::size_t confirmations_from = kSandbox.gateway_requests("/v1/confirmations");
        onshi_job_id job = 0;
        ASSERT_EQ(onshi_check_eligibility(ctx, k.request, nullptr, &job), ONSHI_OK) << onshi_last_error(ctx);
        long asked = events.wait_for(0, [&](const Event &e) { return e.job == job && (e.type == ONSHI_EVENT_PIN_NEEDED || e.final()); });
        ASSERT_GE(asked, 0);
        ASSERT_EQ(events.at(asked).type, ONSHI_EVENT_PIN_NEEDED) << events.at(asked).text;
        const auto pulled = Clock::now();
        ASSERT_EQ(kSandbox.remove(0), 0);
        long removed = events.wait_for(static_cast<std::size_t>(asked),
                                       [&](const Event &e) { return e.type == ONSHI_EVENT_CARD_REMOVED && e.text == kReader0; });
        ASSERT_GE(removed, 0) << "the monitor did not see the card go";
        EXPECT_EQ(onshi_provide_pin(ctx, job, k.secret.c_str(), 0), ONSHI_E_WRONG_STATE) << "a PIN for a card that left";
        // This context's pin_timeout_ms is the default two minutes: an end within 20 s is the
        // monitor's doing.
        long ended = events.wait_for(static_cast<std::size_t>(asked), [&](const Event &e) { return e.job == job && e.final(); }, 20000);
        ASSERT_GE(ended, 0) << "the job still waits for a PIN for a card that is gone";
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - pulled).count();
        Outcome o = finish(ctx, events, job, journal_from, confirmations_from);
        // Properties 1-3 (expect_failed_cleanly counts PIN tries; a 照合番号B has ten).
        EXPECT_EQ(o.final_event.type, ONSHI_EVENT_FAILED);
        EXPECT_EQ(o.final_event.status, ONSHI_E_CARD_REMOVED) << onshi_status_name(o.final_event.status) << ": " << o.final_event.text;
        EXPECT_EQ(o.final_event.text, onshi_status_message(ONSHI_E_CARD_REMOVED, "en"));
        EXPECT_NE(string_member(o.result_json, "detail").find("left the reader"), std::string::npos) << o.result_json;
        EXPECT_EQ(o.final_event.value, -1);
        EXPECT_EQ(o.finals, 1);
        EXPECT_FALSE(o.result_json.empty());
        EXPECT_EQ(verifies_with_data(o.apdus), 0) << "the secret never reached a card";
        EXPECT_EQ(o.confirmations, 0u);
        std::printf("[ matrix ] card pulled during the dialog -> %s: %s (%lld ms after `remove` began)\n",
                    onshi_status_name(o.final_event.status), o.final_event.text.c_str(), static_cast<long long>(ms));
        ASSERT_EQ(kSandbox.insert(0, "valid-honnin"), 0);
        expect_next_check_works(ctx, events, pin());
    }
    onshi_close(ctx);
}

// No card when the check starts (taken off before it, for a PIN check and for a visual check
// with the photo): the job waits card_wait_ms for one, then ends NO_CARD without an APDU; with the
// card back, the next check works.
TEST_F(FaultMatrix, NoCardWhenTheCheckStarts) {
    const std::string config = plugin_config(kDir, R"({"locale":"en","card_wait_ms":1000})");
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(config.c_str(), &ctx), ONSHI_OK) << onshi_last_error(nullptr);
    EventLog events(ctx);
    struct Kind {
        const char *request;
        std::string secret;
    };
    for (const Kind &k : {Kind{R"({"reader":"Virtual PCD 00 00"})", pin()},
                          Kind{R"({"reader":"Virtual PCD 00 00","method":"visual","photo":true})",
                               personas_["valid-honnin"].collation_b}}) {
        SCOPED_TRACE(k.request);
        ASSERT_EQ(kSandbox.remove(0), 0);
        Outcome o = pin_check(ctx, events, k.secret, k.request);
        expect_failed_cleanly(o, ONSHI_E_NO_CARD, "card");
        EXPECT_TRUE(o.apdus.empty()) << "APDUs without a card";
        ASSERT_EQ(kSandbox.insert(0, "valid-honnin"), 0);
        expect_next_check_works(ctx, events, pin());
    }
    onshi_close(ctx);
}

TEST_F(FaultMatrix, AReaderThatDoesNotExist) {
    onshi_context *ctx = open_context();
    ASSERT_NE(ctx, nullptr);
    EventLog events(ctx);
    Outcome o = pin_check(ctx, events, pin(), R"({"reader":"Virtual PCD 00 07"})");
    expect_failed_cleanly(o, ONSHI_E_NO_READER, "Virtual PCD 00 07");
    EXPECT_TRUE(o.apdus.empty());
    expect_next_check_works(ctx, events, pin());
    onshi_close(ctx);
}

// ---- The credential store -------------------------------------------------------------------

// A tmpfs of its own for the store rows (see the file comment).
class StoreMount {
public:
    explicit StoreMount(std::string path) : path_(std::move(path)) {
        fs::create_directories(path_);
        ok_ = ::mount("onshi-store", path_.c_str(), "tmpfs", 0, "size=1m,mode=0700") == 0;
    }
    ~StoreMount() {
        std::error_code ec;
        fs::remove(path_ + "/filler", ec);
        ::umount2(path_.c_str(), MNT_DETACH);
    }
    bool ok() const { return ok_; }
    bool read_only(bool ro) {
        return ::mount(nullptr, path_.c_str(), nullptr, MS_REMOUNT | (ro ? MS_RDONLY : 0), "size=1m,mode=0700") == 0;
    }
    // Writes until the file system is full (ENOSPC).
    bool fill() {
        std::ofstream f(path_ + "/filler", std::ios::binary);
        const std::string block(4096, 'x');
        for (int i = 0; i < 1024 && f.write(block.data(), static_cast<std::streamsize>(block.size())); ++i) f.flush();
        return !f;  // stopped by a full disk
    }
    void unfill() { fs::remove(path_ + "/filler"); }

private:
    std::string path_;
    bool ok_ = false;
};

struct StoreSnapshot {
    std::string key, cert, json;
    bool operator==(const StoreSnapshot &) const = default;
};

StoreSnapshot snapshot(const std::string &dir) {
    return {read_all(dir + "/terminal.key"), read_all(dir + "/terminal.crt"), read_all(dir + "/terminal.json")};
}

// Runs one terminal job on a context of `credential_dir` and waits for it.
JobEnd terminal_job(const std::string &credential_dir, const std::function<onshi_status(onshi_context *, onshi_job_id *)> &start) {
    JobEnd e;
    onshi_context *ctx = open_context(credential_dir);
    if (!ctx) return e;
    onshi_job_id job = 0;
    e.status = start(ctx, &job);
    if (e.status == ONSHI_OK) e = wait_job(ctx, job);
    else e.json = onshi_last_error(ctx);
    onshi_close(ctx);
    return e;
}

JobEnd enroll(const std::string &dir) {
    const std::string setup = kSandbox.setup_json();
    return terminal_job(dir, [&](onshi_context *c, onshi_job_id *j) { return onshi_terminal_enroll(c, setup.c_str(), j); });
}
JobEnd status(const std::string &dir) {
    return terminal_job(dir, [](onshi_context *c, onshi_job_id *j) { return onshi_terminal_status(c, j); });
}
JobEnd renew(const std::string &dir) {
    return terminal_job(dir, [](onshi_context *c, onshi_job_id *j) { return onshi_terminal_renew(c, j); });
}
JobEnd unenroll(const std::string &dir) {
    return terminal_job(dir, [](onshi_context *c, onshi_job_id *j) { return onshi_terminal_unenroll(c, j); });
}

long terminals_used() {
    JobEnd s = status(kDir + "/terminal");
    rapidjson::Document d;
    d.Parse(s.json.c_str());
    if (!d.IsObject() || !d.HasMember("facility") || !d["facility"].HasMember("terminals_used")) return -1;
    return static_cast<long>(d["facility"]["terminals_used"].GetInt64());
}

std::string serial_of(const JobEnd &status_result) { return string_member(status_result.json, "certificate_serial"); }

// Read-only, then full: enrollment, renewal and end of use all refuse before the gateway changes
// anything (the registry's terminal count, the certificate in force), the store stays byte for
// byte, checks keep working (they only read), and each works once the store is writable again.
TEST_F(FaultMatrix, CredentialStoreReadOnlyOrFull) {
    if (!g_private_mounts) GTEST_SKIP() << "no private mount namespace (unshare failed)";
    StoreMount mount(kDir + "/stores");
    ASSERT_TRUE(mount.ok()) << "cannot mount a tmpfs on " << kDir << "/stores";
    const std::string store = kDir + "/stores/terminal";
    const long used0 = terminals_used();
    ASSERT_GT(used0, 0);

    // Enrollment into a read-only store: refused, nothing taken at the gateway.
    ASSERT_TRUE(mount.read_only(true));
    const std::size_t enrollments0 = kSandbox.gateway_requests("/v1/terminals");
    JobEnd refused = enroll(store);
    EXPECT_EQ(refused.status, ONSHI_E_CREDENTIAL_STORE) << refused.json;
    EXPECT_NE(refused.json.find("nothing was sent"), std::string::npos) << refused.json;
    EXPECT_EQ(kSandbox.gateway_requests("/v1/terminals"), enrollments0) << "the gateway was asked";
    EXPECT_EQ(terminals_used(), used0) << "a slot was taken";
    std::printf("[ matrix ] enrollment into a read-only store -> %s: %s\n", onshi_status_name(refused.status), refused.json.c_str());

    // Writable again: the enrollment completes.
    ASSERT_TRUE(mount.read_only(false));
    JobEnd enrolled = enroll(store);
    ASSERT_EQ(enrolled.status, ONSHI_OK) << enrolled.json;
    EXPECT_EQ(terminals_used(), used0 + 1);
    const std::string serial0 = serial_of(status(store));
    ASSERT_FALSE(serial0.empty());

    for (const char *fault : {"read-only", "full"}) {
        SCOPED_TRACE(std::string("store ") + fault);
        const StoreSnapshot before = snapshot(store);
        if (std::string(fault) == "read-only") ASSERT_TRUE(mount.read_only(true));
        else ASSERT_TRUE(mount.fill()) << "the tmpfs did not fill up";
        const std::size_t renewals0 = kSandbox.gateway_requests("/v1/terminals/self/renewal");

        JobEnd r = renew(store);
        EXPECT_EQ(r.status, ONSHI_E_CREDENTIAL_STORE) << r.json;
        EXPECT_EQ(kSandbox.gateway_requests("/v1/terminals/self/renewal"), renewals0) << "the gateway was asked to renew";
        JobEnd u = unenroll(store);
        EXPECT_EQ(u.status, ONSHI_E_CREDENTIAL_STORE) << u.json;
        EXPECT_TRUE(snapshot(store) == before) << "the store changed";
        JobEnd s = status(store);
        EXPECT_EQ(s.status, ONSHI_OK) << "still enrolled, the same certificate: " << s.json;
        EXPECT_EQ(serial_of(s), serial0);
        std::printf("[ matrix ] renewal / end of use with a %s store -> %s / %s: %s\n", fault, onshi_status_name(r.status),
                    onshi_status_name(u.status), r.json.c_str());

        // A check only reads the store: it works with the fault in place.
        onshi_context *ctx = open_context(store);
        ASSERT_NE(ctx, nullptr);
        EventLog events(ctx);
        expect_next_check_works(ctx, events, pin());
        onshi_close(ctx);

        if (std::string(fault) == "read-only") ASSERT_TRUE(mount.read_only(false));
        else mount.unfill();
    }
    // Cleared: the renewal completes, and so does the end of use (freeing the slot).
    JobEnd renewed = renew(store);
    EXPECT_EQ(renewed.status, ONSHI_OK) << renewed.json;
    EXPECT_NE(serial_of(status(store)), serial0);
    JobEnd ended = unenroll(store);
    EXPECT_EQ(ended.status, ONSHI_OK) << ended.json;
    EXPECT_EQ(terminals_used(), used0);
}

// A corrupt store (a truncated key) fails the check with the store's status naming the file;
// repaired, the next check works. (More kinds of damage: lifecycle_test.cpp.)
TEST_F(FaultMatrix, CorruptCredentialStore) {
    const std::string good = kDir + "/terminal", copy = kDir + "/corrupt-store";
    fs::remove_all(copy);
    fs::create_directories(copy);
    fs::permissions(copy, fs::perms::owner_all, fs::perm_options::replace);
    for (const char *f : {"terminal.key", "terminal.crt", "terminal.json"}) fs::copy_file(good + "/" + f, copy + "/" + f);
    const std::string key = read_all(good + "/terminal.key");
    write_all(copy + "/terminal.key", key.substr(0, key.size() / 3));

    onshi_context *ctx = open_context(copy);
    ASSERT_NE(ctx, nullptr);
    EventLog events(ctx);
    Outcome o = pin_check(ctx, events, pin());
    expect_failed_cleanly(o, ONSHI_E_CREDENTIAL_STORE, "terminal key");
    EXPECT_EQ(verifies_with_data(o.apdus), 0) << "no PIN try for a check that cannot reach the gateway";
    EXPECT_EQ(o.confirmations, 0u);
    write_all(copy + "/terminal.key", key);
    expect_next_check_works(ctx, events, pin());
    onshi_close(ctx);
}

}  // namespace

int main(int argc, char **argv) {
    // A private mount namespace for the store rows, entered while this process has one thread
    // (every thread created later shares it). Mount events stay private to it.
    if (geteuid() == 0 && ::unshare(CLONE_NEWNS) == 0 && ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0)
        g_private_mounts = true;
    return onshi::it::run_sandbox_suite(argc, argv);
}
