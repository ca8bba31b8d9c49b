// check_eligibility end to end through the ABI, with real PC/SC: the PIN dialog, wrong / last-try /
// blocked PINs, cards that are not My Number Cards, the visual path with 照合番号B, reader events,
// closing with jobs in flight, and a scan of the sandbox's APDU journal for forbidden commands.
// The terminal is enrolled at the sandbox gateway first (DIR/setup.json), so a check whose card
// phase succeeds ends with the gateway's answer; APDU counts come from the sandbox journal.
#include <onshi/onshi.h>

#include "apdu_journal.h"
#include "event_log.h"
#include "personas.h"
#include "plugin_setup.h"
#include "reader_wait.h"
#include "sandbox_runner.h"
#include "sandbox_suite.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <rapidjson/document.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

namespace {

const std::string kDir = ONSHI_CHECK_IT_DIR;
const std::string kReader0 = "Virtual PCD 00 00";
const std::string kReader1 = "Virtual PCD 00 01";
// Tests name their reader: with a card just swapped, "the reader with a card" could be the other one.
const std::string kOnReader0 = R"({"reader":"Virtual PCD 00 00"})";

using namespace onshi::it;

const SandboxRunner kSandbox(ONSHI_SANDBOX_BIN, kDir);

int sandbox(const std::string &args) { return kSandbox.run(args); }

// DER size of a persona's auth certificate, from the PEM the sandbox wrote.
std::size_t auth_certificate_size(const std::string &persona) {
    std::unique_ptr<FILE, int (*)(FILE *)> f(std::fopen((kDir + "/personas/" + persona + "/auth.cert.pem").c_str(), "r"), std::fclose);
    if (!f) return 0;
    X509 *cert = PEM_read_X509(f.get(), nullptr, nullptr, nullptr);
    if (!cert) return 0;
    int n = i2d_X509(cert, nullptr);
    X509_free(cert);
    return n > 0 ? static_cast<std::size_t>(n) : 0;
}

// Drains the event queue (poll style) into a list for one job.
struct Outcome {
    std::vector<onshi_event> events;
    std::vector<std::string> texts;
    const onshi_event &final_event() const { return events.back(); }
};

class CheckFlow : public SandboxSuite {
protected:
    static void SetUpTestSuite() {
        if (!is_root()) return;
        // A fresh gateway (its registry would keep this run's terminal and fill the facility's slots
        // over reruns) and so a fresh terminal.
        bring_up(kSandbox, "--readers 2 --card 0=valid-honnin --card 1=not-mynumber");
        personas_ = load_personas(ONSHI_SANDBOX_BIN);
    }
    static void TearDownTestSuite() {
        if (!is_root()) return;
        // The whole suite's journal: never a forbidden command (docs/design.md §Rules 1).
        std::string journal = read_all(kDir + "/apdu.jsonl");
        EXPECT_FALSE(journal.empty());
        for (const char *forbidden : {"00a4040c0ad3921000310001010408",  // Kenhojo AP (個人番号 as text)
                                      "00a4020c020005",                  // Kenkaku EF 0005 (its image)
                                      "00a4020c020013", "00a4020c020014",  // 照合番号A keys
                                      "00a4020c020001"}) {               // Kenhojo 0001 / sign cert
            std::string lower;
            for (char c : journal) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            EXPECT_EQ(lower.find(std::string("\"c\":\"") + forbidden), std::string::npos) << forbidden;
        }
        SandboxSuite::TearDownTestSuite();
    }
    void SetUpTest() override {
        // The sandbox's plugin config (gateway + credential_dir), in English, waiting for cards.
        const std::string config = plugin_config(kDir, R"({"locale":"en","card_wait_ms":5000})");
        ASSERT_FALSE(config.empty()) << "DIR/plugin.json has no gateway";
        ASSERT_EQ(onshi_open(config.c_str(), &ctx_), ONSHI_OK) << onshi_last_error(nullptr);
        if (!enrolled_) {
            ASSERT_EQ(enroll_from_setup(ctx_, kDir), ONSHI_OK) << "enrollment at the sandbox gateway";
            enrolled_ = true;
        }
        // Readers arrive through the monitor.
        for (int i = 0; i < 200 && readers().find(kReader1) == std::string::npos; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    void TearDown() override {
        if (ctx_) onshi_close(ctx_);
    }

    // Once the listing shows the new card, the monitor's probe is done (reader_wait.h): the
    // journal counts below hold only the check's own APDUs.
    void put_card(const std::string &persona) {
        ASSERT_TRUE(swap_card(kSandbox, ctx_, 0, kReader0, persona)) << persona;
    }
    std::string readers() {
        char *json = nullptr;
        if (onshi_list_readers(ctx_, &json) != ONSHI_OK) return "";
        std::string out = json;
        onshi_free(json);
        return out;
    }
    onshi_job_id start(const std::string &request, const char *secret) {
        onshi_job_id job = 0;
        EXPECT_EQ(onshi_check_eligibility(ctx_, request.c_str(), secret, &job), ONSHI_OK) << onshi_last_error(ctx_);
        return job;
    }
    // Events of `job` until (and including) the first of `stop_types` or its final event.
    Outcome events_of(onshi_job_id job, std::initializer_list<int32_t> stop_types = {}) {
        Outcome out;
        for (int i = 0; i < 300; ++i) {
            onshi_event e{};
            e.struct_size = sizeof e;
            if (onshi_poll_event(ctx_, 100, &e) != ONSHI_OK || e.job != job) continue;
            out.events.push_back(e);
            out.texts.emplace_back(e.text);
            bool stop = e.type == ONSHI_EVENT_DONE || e.type == ONSHI_EVENT_FAILED || e.type == ONSHI_EVENT_CANCELLED;
            for (int32_t t : stop_types) stop = stop || e.type == t;
            if (stop) return out;
        }
        ADD_FAILURE() << "job " << job << " produced no final event";
        return out;
    }

    // Polls until an event of `type` for `reader` arrives (5 s at most).
    bool reader_event_arrives(int32_t type, const std::string &reader) {
        return EventLog(ctx_).wait_for(0, [&](const Event &e) { return e.type == type && e.text == reader; }, 5000) >= 0;
    }

    // APDUs the sandbox journaled for slot 0 so far.
    // Commands sent to slot 0. A GET RESPONSE (00 C0) is not counted: it is how a T=0 reader hands
    // over the rest of an answer (61xx), not a command of the check (check_flow.t0-contact).
    static std::size_t slot0_apdus() {
        std::size_t n = 0;
        for (const JournalLine &l : read_journal(kDir))
            if (l.slot == 0 && l.c.rfind("00c0", 0) != 0 && l.c.rfind("00C0", 0) != 0) ++n;
        return n;
    }

    static inline bool enrolled_ = false;
    static inline std::map<std::string, Persona> personas_;
    onshi_context *ctx_ = nullptr;
};

TEST_F(CheckFlow, ReadersAreListedWithTheirCards) {
    std::string json = readers();
    // Each card is identified (no secret) before it is listed: the medium comes with it.
    EXPECT_NE(json.find(R"({"name":"Virtual PCD 00 00","card_present":true,"medium":"card"})"), std::string::npos) << json;
    EXPECT_NE(json.find(R"({"name":"Virtual PCD 00 01","card_present":true,"medium":"other"})"), std::string::npos) << json;
}

TEST_F(CheckFlow, PinGivenUpFrontRunsTheWholeCardPhase) {
    put_card("valid-honnin");
    std::size_t before = slot0_apdus();
    onshi_job_id job = start(R"({"reader":"Virtual PCD 00 00"})", personas_["valid-honnin"].pin.c_str());
    Outcome out = events_of(job);
    ASSERT_FALSE(out.events.empty());
    std::vector<int32_t> steps;
    // (WAITING_FOR_CARD may come first when the monitor has not yet seen the card just inserted.)
    for (const auto &e : out.events)
        if (e.type == ONSHI_EVENT_PROGRESS && e.value != ONSHI_PROGRESS_WAITING_FOR_CARD) steps.push_back(e.value);
    EXPECT_EQ(steps, (std::vector<int32_t>{ONSHI_PROGRESS_READING_CARD, ONSHI_PROGRESS_VERIFYING_PIN, ONSHI_PROGRESS_SIGNING,
                                           ONSHI_PROGRESS_CONTACTING_GATEWAY}));
    EXPECT_EQ(out.final_event().status, ONSHI_OK) << out.texts.back();
    // docs/card-protocol.md §APDU budget minimum for certificate + PIN + signature, sharing one
    // SELECT AP: 7 + ceil(N/256), plus the token check (2).
    std::size_t n = auth_certificate_size("valid-honnin");
    ASSERT_GT(n, 256u);
    std::size_t minimum = 7 + (n + 255) / 256 + 2;
    EXPECT_EQ(slot0_apdus() - before, minimum) << "(certificate " << n << " bytes)";
    std::printf("[ figures ] PIN check card phase: %zu APDUs for a %zu-byte certificate (reference minimum + token check)\n",
                minimum, n);
    std::string journal = read_all(kDir + "/apdu.jsonl");
    EXPECT_NE(journal.find("\"c\":\"00200080*\""), std::string::npos) << "VERIFY data must be masked";
}

TEST_F(CheckFlow, PinDialogAsksWithTriesLeftAndRefusesATypoWithoutSpendingATry) {
    put_card("valid-honnin");
    std::size_t before = slot0_apdus();
    onshi_job_id job = start(kOnReader0, nullptr);
    Outcome asked = events_of(job, {ONSHI_EVENT_PIN_NEEDED});
    ASSERT_EQ(asked.final_event().type, ONSHI_EVENT_PIN_NEEDED);
    EXPECT_EQ(asked.final_event().value, 3);
    EXPECT_EQ(asked.final_event().detail, ONSHI_SECRET_PIN);
    int32_t state = 0;
    EXPECT_EQ(onshi_job_state(ctx_, job, &state, nullptr), ONSHI_OK);
    EXPECT_EQ(state, ONSHI_JOB_WAITING_FOR_PIN);
    EXPECT_EQ(onshi_provide_pin(ctx_, job, "12a4", 0), ONSHI_E_PIN_FORMAT);
    EXPECT_EQ(onshi_job_state(ctx_, job, &state, nullptr), ONSHI_OK);
    EXPECT_EQ(state, ONSHI_JOB_WAITING_FOR_PIN) << "a typo must leave the job waiting";
    EXPECT_EQ(onshi_provide_pin(ctx_, job, personas_["valid-honnin"].pin.c_str(), 0), ONSHI_OK);
    Outcome done = events_of(job);
    EXPECT_EQ(done.final_event().status, ONSHI_OK) << done.texts.back();
    // The dialog's tries query is the safety query: no extra APDU for asking the patient.
    std::size_t minimum = 9 + (auth_certificate_size("valid-honnin") + 255) / 256;
    EXPECT_EQ(slot0_apdus() - before, minimum);
}

TEST_F(CheckFlow, WrongPinReportsTheTriesLeft) {
    put_card("valid-honnin");
    onshi_job_id job = start(kOnReader0, "9999");
    Outcome out = events_of(job);
    EXPECT_EQ(out.final_event().status, ONSHI_E_PIN_INCORRECT) << out.texts.back();
    EXPECT_EQ(out.final_event().value, 2);
}

TEST_F(CheckFlow, LastTryIsRefusedUnlessTheHostAllowsIt) {
    put_card("last-try");
    const std::string &pin = personas_["last-try"].pin;
    Outcome refused = events_of(start(kOnReader0, pin.c_str()));
    EXPECT_EQ(refused.final_event().status, ONSHI_E_LAST_TRY_REFUSED) << refused.texts.back();
    EXPECT_EQ(refused.final_event().value, 1);

    onshi_job_id job = start(kOnReader0, nullptr);
    Outcome asked = events_of(job, {ONSHI_EVENT_PIN_NEEDED});
    ASSERT_EQ(asked.final_event().type, ONSHI_EVENT_PIN_NEEDED);
    EXPECT_EQ(asked.final_event().value, 1);
    ASSERT_EQ(onshi_provide_pin(ctx_, job, pin.c_str(), ONSHI_PIN_ALLOW_LAST_ATTEMPT), ONSHI_OK);
    Outcome allowed = events_of(job);
    EXPECT_EQ(allowed.final_event().status, ONSHI_OK) << "the card phase succeeds: " << allowed.texts.back();
}

TEST_F(CheckFlow, BlockedPinSendsNoVerify) {
    put_card("blocked-pin");
    Outcome out = events_of(start(kOnReader0, "1234"));
    EXPECT_EQ(out.final_event().status, ONSHI_E_PIN_BLOCKED) << out.texts.back();
}

TEST_F(CheckFlow, CardsThatAreNotMyNumberCards) {
    Outcome other = events_of(start(R"({"reader":"Virtual PCD 00 01"})", "1234"));
    EXPECT_EQ(other.final_event().status, ONSHI_E_NOT_MYNUMBER_CARD) << other.texts.back();
    put_card("juki-card");
    Outcome juki = events_of(start(R"({"reader":"Virtual PCD 00 00"})", "1234"));
    EXPECT_EQ(juki.final_event().status, ONSHI_E_JUKI_CARD) << juki.texts.back();
}

TEST_F(CheckFlow, VisualCheckReadsThePhotoWithCollationB) {
    put_card("valid-honnin");
    onshi_job_id job = start(R"({"reader":"Virtual PCD 00 00","method":"visual","photo":true})", nullptr);
    Outcome asked = events_of(job, {ONSHI_EVENT_PIN_NEEDED});
    ASSERT_EQ(asked.final_event().type, ONSHI_EVENT_PIN_NEEDED);
    EXPECT_EQ(asked.final_event().detail, ONSHI_SECRET_COLLATION_B);
    EXPECT_EQ(asked.final_event().value, 10);
    ASSERT_EQ(onshi_provide_pin(ctx_, job, personas_["valid-honnin"].collation_b.c_str(), 0), ONSHI_OK);
    Outcome done = events_of(job);
    bool photo_step = false;
    for (const auto &e : done.events) photo_step |= e.type == ONSHI_EVENT_PROGRESS && e.value == ONSHI_PROGRESS_READING_PHOTO;
    EXPECT_TRUE(photo_step);
    EXPECT_EQ(done.final_event().status, ONSHI_OK) << done.texts.back();
}

TEST_F(CheckFlow, CardEventsFollowRemovalAndInsertion) {
    EventLog(ctx_).drain();
    ASSERT_EQ(sandbox("remove --slot 0"), 0);
    EXPECT_TRUE(reader_event_arrives(ONSHI_EVENT_CARD_REMOVED, kReader0));
    ASSERT_EQ(sandbox("insert --slot 0 --persona valid-honnin"), 0);
    EXPECT_TRUE(reader_event_arrives(ONSHI_EVENT_CARD_INSERTED, kReader0));
    // The event says what the card is (ONSHI_MEDIUM_*), and so does the listing.
    EventLog log(ctx_);
    log.drain();
    ASSERT_TRUE(swap_card(kSandbox, ctx_, 0, kReader0, "juki-card"));
    long at = log.wait_for(0, [&](const Event &e) { return e.type == ONSHI_EVENT_CARD_INSERTED && e.text == kReader0; }, 5000);
    ASSERT_GE(at, 0);
    EXPECT_EQ(log.at(at).detail, ONSHI_MEDIUM_JUKI);
    EXPECT_EQ(listed_medium(ctx_, kReader0), "juki");
    put_card("valid-honnin");
    EXPECT_EQ(listed_medium(ctx_, kReader0), "card");
}

TEST_F(CheckFlow, CloseWithJobsWaitingForPinsOnTwoReadersCancelsThemPromptly) {
    put_card("valid-honnin");
    ASSERT_EQ(sandbox("remove --slot 1"), 0);
    ASSERT_EQ(sandbox("insert --slot 1 --persona valid-kazoku"), 0);
    onshi_job_id a = start(R"({"reader":"Virtual PCD 00 00"})", nullptr);
    onshi_job_id b = start(R"({"reader":"Virtual PCD 00 01"})", nullptr);
    // Both wait for their PIN at the same time: two readers in parallel.
    EventLog events(ctx_);
    auto asks = [&](onshi_job_id job) {
        return events.wait_for(0, [&](const Event &e) { return e.type == ONSHI_EVENT_PIN_NEEDED && e.job == job; }, 10000) >= 0;
    };
    int asked = asks(a) + asks(b);
    ASSERT_EQ(asked, 2);
    auto t0 = std::chrono::steady_clock::now();
    ASSERT_EQ(onshi_close(ctx_), ONSHI_OK);
    ctx_ = nullptr;
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
    ASSERT_EQ(sandbox("remove --slot 1"), 0);
    ASSERT_EQ(sandbox("insert --slot 1 --persona not-mynumber"), 0);
}

}  // namespace

int main(int argc, char **argv) { return onshi::it::run_sandbox_suite(argc, argv); }
