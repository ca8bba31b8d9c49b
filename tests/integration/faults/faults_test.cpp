// Faults through the ABI with real PC/SC: the card pulled at every APDU of a PIN check and of a
// visual check with the photo (the sandbox's `remove --after-apdus K`), pcscd crashing and coming
// back (`restart-pcscd`), and two checks on two readers at once. The sandbox's APDU journal is the
// witness of what the plugin sent to the card, and the only source of APDU counts (the lines of a
// slot between a mark taken before a check and one taken after its final event).
// A check needs an enrolled terminal before it touches the card, so the suite opens every context
// from the sandbox's DIR/plugin.json (gateway url, ca_file, credential_dir; our own locale and
// card_wait_ms merged in) and enrolls once with DIR/setup.json; a check whose card phase succeeds
// then goes on to the sandbox's reference gateway and ends DONE with the persona's verdict.
#include <onshi/onshi.h>

#include "apdu_journal.h"
#include "reader_wait.h"
#include "event_log.h"
#include "job_result.h"
#include "personas.h"
#include "plugin_setup.h"
#include "sandbox_runner.h"
#include "sandbox_suite.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

using namespace onshi::it;

const std::string kDir = ONSHI_FAULTS_IT_DIR;
const std::string kReader0 = "Virtual PCD 00 00";
const std::string kReader1 = "Virtual PCD 00 01";
const SandboxRunner kSandbox(ONSHI_SANDBOX_BIN, kDir);

int sandbox(const std::string &args) { return kSandbox.run(args); }
std::vector<JournalLine> read_journal() { return onshi::it::read_journal(kDir); }

bool has_non_ascii(const std::string &s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

using Clock = std::chrono::steady_clock;

class Faults : public SandboxSuite {
protected:
    static void SetUpTestSuite() {
        if (!is_root()) return;
        // A fresh facility with no terminals (the gateway's registry lives in DIR/gateway), so that
        // the one enrollment below never meets the terminal limit, however often the suite runs.
        bring_up(kSandbox, "--readers 2 --card 0=valid-honnin --card 1=valid-kazoku");
        personas_ = load_personas(ONSHI_SANDBOX_BIN);
    }
    void SetUpTest() override {
        ASSERT_FALSE(personas_.empty());
        ASSERT_NO_FATAL_FAILURE(open_context("en"));
        if (!enrolled_) {
            // Once per suite: the terminal's credentials land in DIR/terminal (credential_dir) and
            // serve every context opened afterwards.
            ASSERT_EQ(enroll_from_setup(ctx_, kDir), ONSHI_OK)
                << "enrollment at the sandbox gateway; see " << kDir << "/gateway/gateway.log";
            enrolled_ = true;
            events_ = EventLog(ctx_);
        }
    }
    void TearDown() override { close_context(); }

    // DIR/plugin.json (gateway url, ca_file, credential_dir) with our locale and card wait.
    static std::string config_for(const char *locale) {
        return plugin_config(kDir, std::string(R"({"card_wait_ms":5000,"locale":")") + locale + "\"}");
    }
    void open_context(const char *locale) {
        close_context();
        std::string config = config_for(locale);
        ASSERT_FALSE(config.empty()) << kDir << "/plugin.json has no gateway / credential_dir";
        ASSERT_EQ(onshi_open(config.c_str(), &ctx_), ONSHI_OK) << onshi_last_error(nullptr);
        events_ = EventLog(ctx_);
    }
    void close_context() {
        if (ctx_) onshi_close(ctx_);
        ctx_ = nullptr;
    }

    long wait_reader_event(std::size_t from, int32_t type, const std::string &reader, int max_ms = 20000) {
        return events_.wait_for(from, [&](const Event &e) { return e.type == type && e.job == 0 && e.text == reader; }, max_ms);
    }
    onshi_job_id start(const std::string &request, const char *secret) {
        onshi_job_id job = 0;
        EXPECT_EQ(onshi_check_eligibility(ctx_, request.c_str(), secret, &job), ONSHI_OK) << onshi_last_error(ctx_);
        return job;
    }
    // The final event of `job` (type NONE when there was none within a minute: a hang).
    Event final_of(onshi_job_id job) {
        std::optional<Event> fin = events_.final_of(job);
        if (!fin) ADD_FAILURE() << "job " << job << " produced no final event (a hang)";
        return fin.value_or(Event{});
    }

    // Once the listing shows the new card, the monitor's probe is done (reader_wait.h): the
    // journal counts below hold only the checks' own APDUs.
    void put_card(int slot, const std::string &persona) {
        ASSERT_TRUE(swap_card(kSandbox, ctx_, slot, slot == 0 ? kReader0 : kReader1, persona)) << persona;
    }

    // POST /v1/confirmations the sandbox gateway has logged so far (DIR/gateway/requests.jsonl).
    static std::size_t gateway_confirmations() { return kSandbox.gateway_requests("/v1/confirmations"); }

    // A check whose card phase must succeed: it goes on to the gateway and ends DONE with the
    // persona's verdict (every persona this suite uses is "eligible"). Returns the APDUs the
    // sandbox journaled for `slot` from the submit to the final event.
    int expect_check_done(const std::string &request, const char *secret, int slot = 0,
                          const char *verdict = "eligible") {
        std::size_t before = read_journal().size();
        onshi_job_id job = start(request, secret);
        expect_done(job, verdict);
        std::size_t after = read_journal().size();
        return static_cast<int>(slot_lines(read_journal(), before, after, slot).size());
    }
    // Waits for `job` to end DONE with `verdict`, then releases it.
    void expect_done(onshi_job_id job, const char *verdict = "eligible") {
        Event fin = final_of(job);
        EXPECT_EQ(fin.type, ONSHI_EVENT_DONE) << onshi_status_message(fin.status, "en") << ": " << fin.text;
        EXPECT_EQ(fin.status, ONSHI_OK) << fin.text;
        std::string json = result_json(ctx_, job);
        EXPECT_EQ(verdict_of(json), verdict) << json.substr(0, 400);
        onshi_job_release(ctx_, job);
    }

    // The removal sweep: for K = 1..N (N from an undisturbed run, counted in the journal), a fresh
    // card is pulled at the K-th APDU of the check. Every run must end once with CARD_REMOVED,
    // send at most one VERIFY with data and nothing after the pull, never reach the gateway, and
    // the next check on a re-inserted card must end DONE with the same N APDUs.
    void removal_sweep(const std::string &persona, const std::string &request, const std::string &secret) {
        put_card(0, persona);
        std::size_t j0 = read_journal().size();
        int n = expect_check_done(request, secret.c_str());
        std::vector<JournalLine> reference = slot_lines(read_journal(), j0, SIZE_MAX, 0);
        ASSERT_GT(n, 0);
        ASSERT_EQ(reference.size(), static_cast<std::size_t>(n)) << "APDUs on slot 0 after the check had ended";
        std::printf("[ figures ] %s: %d APDUs undisturbed; pulling the card at each of them\n", request.c_str(), n);

        for (int k = 1; k <= n; ++k) {
            SCOPED_TRACE("card pulled at APDU " + std::to_string(k) + " of " + std::to_string(n) + " (" +
                         reference[static_cast<std::size_t>(k - 1)].c + ")");
            const char *locale = k % 2 ? "ja" : "en";  // the job's own message, in both languages over the sweep
            open_context(locale);
            put_card(0, persona);
            std::size_t start_line = read_journal().size();
            ASSERT_EQ(sandbox("remove --slot 0 --after-apdus " + std::to_string(k)), 0);
            std::size_t confirmations = gateway_confirmations();
            onshi_job_id job = start(request, secret.c_str());
            Event fin = final_of(job);
            EXPECT_EQ(gateway_confirmations(), confirmations) << "a check without its card phase reached the gateway";
            ASSERT_EQ(fin.type, ONSHI_EVENT_FAILED) << fin.text;
            // NO_CARD would mean the card was gone before SCardConnect; with --after-apdus the
            // card stays until an APDU arrives and none comes before the connect, so only a
            // removal that raced ahead of the connect (not expected here) could give it.
            EXPECT_TRUE(fin.status == ONSHI_E_CARD_REMOVED || fin.status == ONSHI_E_NO_CARD)
                << onshi_status_message(fin.status, "en") << ": " << fin.text;
            EXPECT_EQ(fin.status, ONSHI_E_CARD_REMOVED) << fin.text;
            EXPECT_FALSE(fin.text.empty());
            if (std::string(locale) == "ja") EXPECT_TRUE(has_non_ascii(fin.text)) << fin.text;
            else EXPECT_FALSE(has_non_ascii(fin.text)) << fin.text;
            EXPECT_TRUE(has_non_ascii(onshi_status_message(fin.status, "ja")));
            EXPECT_STRNE(onshi_status_message(fin.status, "en"), "");

            std::vector<JournalLine> all = read_journal();
            std::vector<JournalLine> sent = slot_lines(all, start_line, SIZE_MAX, 0);
            ASSERT_EQ(sent.size(), static_cast<std::size_t>(k)) << "APDUs the card saw";
            for (int i = 0; i < k; ++i)  // the same APDUs as undisturbed (a signature's digest differs: fresh nonce)
                EXPECT_EQ(command_shape(sent[static_cast<std::size_t>(i)].c), command_shape(reference[static_cast<std::size_t>(i)].c))
                    << "APDU " << i + 1;
            EXPECT_EQ(sent.back().r, "") << "the K-th APDU must be the unanswered one";
            long verifies = std::count_if(sent.begin(), sent.end(), [](const JournalLine &l) { return l.verify_with_data(); });
            EXPECT_LE(verifies, 1);

            // Put a card back: the failed job must not come back to it, the next check works.
            // (Once the monitor has seen the card go and come back, its probe is done.)
            ASSERT_TRUE(wait_card_listed(ctx_, kReader0, false));
            std::size_t reinserted = read_journal().size();
            EXPECT_EQ(slot_lines(read_journal(), all.size(), reinserted, 0).size(), 0u) << "APDUs after the pull";
            ASSERT_EQ(sandbox("insert --slot 0 --persona " + persona), 0);
            ASSERT_TRUE(wait_card_listed(ctx_, kReader0, true));
            int m = expect_check_done(request, secret.c_str());
            EXPECT_EQ(m, n);
            std::vector<JournalLine> next = slot_lines(read_journal(), reinserted, SIZE_MAX, 0);
            EXPECT_EQ(std::count_if(next.begin(), next.end(), [](const JournalLine &l) { return l.verify_with_data(); }), 1);
            EXPECT_EQ(events_.finals_of(job), 1) << "exactly one final event for the interrupted job";
            onshi_job_release(ctx_, job);
        }
    }

    static inline bool enrolled_ = false;
    static inline std::map<std::string, Persona> personas_;
    onshi_context *ctx_ = nullptr;
    EventLog events_;
};

TEST_F(Faults, CardPulledAtEachApduOfAPinCheck) {
    removal_sweep("valid-honnin", R"({"reader":"Virtual PCD 00 00"})", personas_["valid-honnin"].pin);
}

// The Android phone (docs/smartphones.md): its own sequence (VERIFY before the certificate), taken
// away at each of its APDUs.
TEST_F(Faults, PhoneTakenAwayAtEachApduOfAPinCheck) {
    removal_sweep("phone-android", R"({"reader":"Virtual PCD 00 00"})", personas_["phone-android"].pin);
}

TEST_F(Faults, CardPulledAtEachApduOfAVisualCheckWithPhoto) {
    removal_sweep("valid-honnin", R"({"reader":"Virtual PCD 00 00","method":"visual","photo":true})",
                  personas_["valid-honnin"].collation_b);
}

TEST_F(Faults, PcscdRestartIsSeenAsReadersLeavingAndComingBack) {
    put_card(0, "valid-honnin");
    events_.drain();
    std::size_t from = events_.size();
    ASSERT_EQ(sandbox("restart-pcscd"), 0);
    auto back = Clock::now();  // pcscd lists the readers and the cards again
    bool first = true;
    for (const std::string &reader : {kReader0, kReader1}) {
        long removed = wait_reader_event(from, ONSHI_EVENT_READER_REMOVED, reader);
        ASSERT_GE(removed, 0) << reader << ": no READER_REMOVED";
        long added = wait_reader_event(static_cast<std::size_t>(removed), ONSHI_EVENT_READER_ADDED, reader);
        ASSERT_GE(added, 0) << reader << ": no READER_ADDED after the removal";
        if (std::exchange(first, false))
            std::printf("[ figures ] READER_ADDED %lld ms after pcscd was back\n",
                        static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - back).count()));
        EXPECT_GE(wait_reader_event(static_cast<std::size_t>(added), ONSHI_EVENT_CARD_INSERTED, reader), 0)
            << reader << ": the card is back too";
    }
    // The same context, no reopening: the next check goes all the way to the gateway's answer.
    EXPECT_GT(expect_check_done(R"({"reader":"Virtual PCD 00 00"})", personas_["valid-honnin"].pin.c_str()), 0);
}

// The terminal is enrolled (SetUp), so the check passes the enrollment gate, starts its gateway
// warm-up and then asks the reader monitor, which has marked the service unavailable before it
// reported the readers gone: the status is ONSHI_E_PCSC_UNAVAILABLE (not NO_READER, which means
// "PC/SC answers but lists no reader", and not NOT_ENROLLED), no APDU is sent and the gateway
// gets no confirmation. The warm-up is cancelled with the check, so it still ends quickly.
TEST_F(Faults, CheckWhilePcscdIsDownEndsWithAClearStatus) {
    put_card(0, "valid-honnin");
    events_.drain();
    std::size_t from = events_.size();
    std::size_t j0 = read_journal().size();
    std::size_t confirmations = gateway_confirmations();
    int restart_rc = -1;
    std::thread outage([&] { restart_rc = sandbox("restart-pcscd --down-ms 3000"); });
    long removed = wait_reader_event(from, ONSHI_EVENT_READER_REMOVED, kReader0);
    EXPECT_GE(removed, 0) << "the monitor did not see pcscd go";
    auto t0 = Clock::now();
    onshi_job_id job = start(R"({"reader":"Virtual PCD 00 00"})", personas_["valid-honnin"].pin.c_str());
    Event fin = final_of(job);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    EXPECT_EQ(fin.type, ONSHI_EVENT_FAILED);
    EXPECT_EQ(fin.status, ONSHI_E_PCSC_UNAVAILABLE) << onshi_status_message(fin.status, "en") << ": " << fin.text;
    EXPECT_FALSE(fin.text.empty());
    EXPECT_EQ(slot_lines(read_journal(), j0, SIZE_MAX, 0).size(), 0u) << "APDUs while pcscd was down";
    EXPECT_EQ(gateway_confirmations(), confirmations);
    EXPECT_EQ(events_.finals_of(job), 1);
    onshi_job_release(ctx_, job);
    std::printf("[ figures ] check with pcscd down: %s after %lld ms: %s\n", onshi_status_message(fin.status, "en"),
                static_cast<long long>(ms), fin.text.c_str());
    outage.join();
    ASSERT_EQ(restart_rc, 0);
    long added = wait_reader_event(removed < 0 ? from : static_cast<std::size_t>(removed), ONSHI_EVENT_READER_ADDED, kReader0);
    ASSERT_GE(added, 0);
    ASSERT_GE(wait_reader_event(static_cast<std::size_t>(added), ONSHI_EVENT_CARD_INSERTED, kReader0), 0);
    EXPECT_GT(expect_check_done(R"({"reader":"Virtual PCD 00 00"})", personas_["valid-honnin"].pin.c_str()), 0);
}

TEST_F(Faults, TwoReadersAtTheSameTime) {
    put_card(0, "valid-honnin");
    put_card(1, "valid-kazoku");
    auto t0 = Clock::now();
    int one_apdus = expect_check_done(R"({"reader":"Virtual PCD 00 00"})", personas_["valid-honnin"].pin.c_str());
    auto one = Clock::now() - t0;
    EXPECT_GT(one_apdus, 0);

    put_card(0, "valid-honnin");
    std::size_t j0 = read_journal().size();
    std::size_t confirmations = gateway_confirmations();
    t0 = Clock::now();
    onshi_job_id a = start(R"({"reader":"Virtual PCD 00 00"})", personas_["valid-honnin"].pin.c_str());
    onshi_job_id b = start(R"({"reader":"Virtual PCD 00 01"})", personas_["valid-kazoku"].pin.c_str());
    expect_done(a);  // 本人 and 家族 of the same insurance: both eligible
    expect_done(b);
    auto both = Clock::now() - t0;
    std::vector<JournalLine> all = read_journal();
    std::size_t on0 = slot_lines(all, j0, SIZE_MAX, 0).size(), on1 = slot_lines(all, j0, SIZE_MAX, 1).size();
    EXPECT_EQ(on0, static_cast<std::size_t>(one_apdus)) << "the same card phase as alone";
    EXPECT_GT(on1, 0u);
    EXPECT_EQ(gateway_confirmations() - confirmations, 2u) << "one confirmation per check";
    auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    std::printf("[ figures ] one PIN check %.1f ms; two PIN checks on two readers together %.1f ms (wall); APDUs %zu + %zu\n",
                ms(one), ms(both), on0, on1);
}

}  // namespace

int main(int argc, char **argv) { return onshi::it::run_sandbox_suite(argc, argv); }
