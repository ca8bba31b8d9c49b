// Faults through the ABI with real PC/SC: the card pulled at every APDU of a PIN check and of a
// visual check with the photo (the sandbox's `remove --after-apdus K`), pcscd crashing and coming
// back (`restart-pcscd`), and two checks on two readers at once. The sandbox's APDU journal is the
// witness of what the plugin sent to the card. Until the gateway lands, a check whose card phase
// succeeds ends with ONSHI_E_NOT_SUPPORTED at the gateway step, saying how many APDUs it used.
#include <onshi/onshi.h>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

const std::string kDir = ONSHI_FAULTS_IT_DIR;
const std::string kReader0 = "Virtual PCD 00 00";
const std::string kReader1 = "Virtual PCD 00 01";

int sandbox(const std::string &args) {
    std::string cmd = std::string(ONSHI_SANDBOX_BIN) + " " + args + " --dir " + kDir + " >/dev/null 2>&1";
    return std::system(cmd.c_str());
}

struct Persona {
    std::string pin;
    std::string collation_b;
};

std::map<std::string, Persona> load_personas() {
    std::string out;
    std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen((std::string(ONSHI_SANDBOX_BIN) + " personas --json").c_str(), "r"), pclose);
    char buf[4096];
    while (pipe && fgets(buf, sizeof buf, pipe.get())) out += buf;
    rapidjson::Document doc;
    doc.Parse(out.c_str());
    std::map<std::string, Persona> personas;
    if (!doc.IsObject()) return personas;
    for (const auto &p : doc["personas"].GetArray())
        if (p["pin"].IsString() && p["collation_number_b"].IsString())
            personas[p["id"].GetString()] = {p["pin"].GetString(), p["collation_number_b"].GetString()};
    return personas;
}

// One line of DIR/apdu.jsonl.
struct JournalLine {
    int slot = -1;
    std::string c, r;
    bool verify_with_data() const { return c.rfind("0020", 0) == 0 && !c.empty() && c.back() == '*'; }
};

// A journaled command without the data of a signature (80 2A: header and Lc), else all of it.
std::string command_shape(const std::string &c) { return c.rfind("802A", 0) == 0 ? c.substr(0, 10) : c; }

std::vector<JournalLine> read_journal() {
    std::vector<JournalLine> lines;
    std::ifstream in(kDir + "/apdu.jsonl");
    for (std::string l; std::getline(in, l);) {
        rapidjson::Document d;
        d.Parse(l.c_str());
        if (!d.IsObject() || !d.HasMember("slot") || !d.HasMember("c") || !d.HasMember("r")) continue;
        lines.push_back({d["slot"].GetInt(), d["c"].GetString(), d["r"].GetString()});
    }
    return lines;
}

// The journal of one slot from line `from` (an index into the whole journal) to `to`.
std::vector<JournalLine> slot_lines(const std::vector<JournalLine> &all, std::size_t from, std::size_t to, int slot) {
    std::vector<JournalLine> out;
    for (std::size_t i = from; i < std::min(to, all.size()); ++i)
        if (all[i].slot == slot) out.push_back(all[i]);
    return out;
}

// An event with its text copied (the ABI's text lives until the next poll).
struct Ev {
    int32_t type = 0;
    onshi_job_id job = 0;
    onshi_status status = ONSHI_OK;
    int32_t value = -1;
    std::string text;
    bool final() const { return type == ONSHI_EVENT_DONE || type == ONSHI_EVENT_FAILED || type == ONSHI_EVENT_CANCELLED; }
};

bool has_non_ascii(const std::string &s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

int apdus_in(const std::string &text) {
    std::smatch m;
    static const std::regex en(R"(\((\d+) APDUs\))"), ja(R"(APDU (\d+) 回)");
    if (std::regex_search(text, m, en) || std::regex_search(text, m, ja)) return std::stoi(m[1]);
    return -1;
}

using Clock = std::chrono::steady_clock;

class Faults : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (geteuid() != 0) return;
        sandbox("down");
        std::remove((kDir + "/apdu.jsonl").c_str());
        up_ = sandbox("up --readers 2 --card 0=valid-honnin --card 1=valid-kazoku") == 0;
        setenv("PCSCLITE_CSOCK_NAME", (kDir + "/run/pcscd.comm").c_str(), 1);
        personas_ = load_personas();
    }
    static void TearDownTestSuite() {
        if (geteuid() == 0) sandbox("down");
    }
    void SetUp() override {
        if (geteuid() != 0) GTEST_SKIP() << "needs root for the sandbox's namespaces";
        ASSERT_TRUE(up_) << "onshi-sandbox up failed; see " << kDir << "/sandbox.log";
        ASSERT_FALSE(personas_.empty());
        open_context("en");
    }
    void TearDown() override { close_context(); }

    void open_context(const char *locale) {
        close_context();
        std::string config = std::string(R"({"locale":")") + locale + R"(","card_wait_ms":5000})";
        ASSERT_EQ(onshi_open(config.c_str(), &ctx_), ONSHI_OK) << onshi_last_error(nullptr);
        log_.clear();
    }
    void close_context() {
        if (ctx_) onshi_close(ctx_);
        ctx_ = nullptr;
    }

    // Polls one event into the log; false when none came within timeout_ms.
    bool poll(uint32_t timeout_ms) {
        onshi_event e{};
        e.struct_size = sizeof e;
        if (onshi_poll_event(ctx_, timeout_ms, &e) != ONSHI_OK) return false;
        log_.push_back({e.type, e.job, e.status, e.value, e.text ? e.text : ""});
        return true;
    }
    // Waits (up to about max_ms, polling) for an event from log index `from` on that satisfies
    // `pred`; returns its index or -1.
    long wait_for(std::size_t from, const std::function<bool(const Ev &)> &pred, int max_ms = 20000) {
        const auto deadline = Clock::now() + std::chrono::milliseconds(max_ms);
        for (std::size_t i = from;;) {
            for (; i < log_.size(); ++i)
                if (pred(log_[i])) return static_cast<long>(i);
            if (Clock::now() > deadline) return -1;
            poll(100);
        }
    }
    long wait_reader_event(std::size_t from, int32_t type, const std::string &reader, int max_ms = 20000) {
        return wait_for(from, [&](const Ev &e) { return e.type == type && e.job == 0 && e.text == reader; }, max_ms);
    }
    onshi_job_id start(const std::string &request, const char *secret) {
        onshi_job_id job = 0;
        EXPECT_EQ(onshi_check_eligibility(ctx_, request.c_str(), secret, &job), ONSHI_OK) << onshi_last_error(ctx_);
        return job;
    }
    // The final event of `job` (type NONE when there was none within a minute: a hang).
    Ev final_of(onshi_job_id job) {
        long i = wait_for(0, [&](const Ev &e) { return e.job == job && e.final(); }, 60000);
        if (i < 0) {
            ADD_FAILURE() << "job " << job << " produced no final event (a hang)";
            return {};
        }
        return log_[static_cast<std::size_t>(i)];
    }
    // Final events of `job` seen so far, after draining what is queued.
    int finals_of(onshi_job_id job) {
        while (poll(0)) {
        }
        return static_cast<int>(std::count_if(log_.begin(), log_.end(), [&](const Ev &e) { return e.job == job && e.final(); }));
    }

    static void put_card(int slot, const std::string &persona) {
        sandbox("remove --slot " + std::to_string(slot));
        ASSERT_EQ(sandbox("insert --slot " + std::to_string(slot) + " --persona " + persona), 0) << persona;
    }

    // A check that must reach the gateway step; returns the APDU count from its message.
    int expect_card_phase_ok(const std::string &request, const char *secret) {
        onshi_job_id job = start(request, secret);
        Ev fin = final_of(job);
        EXPECT_EQ(fin.status, ONSHI_E_NOT_SUPPORTED) << fin.text;
        EXPECT_NE(fin.text.find("APDU"), std::string::npos) << fin.text;
        return apdus_in(fin.text);
    }

    // The removal sweep: for K = 1..N (N from an undisturbed run), a fresh card is pulled at the
    // K-th APDU of the check. Every run must end once with CARD_REMOVED, send at most one VERIFY
    // with data and nothing after the pull, and the next check on a re-inserted card must work.
    void removal_sweep(const std::string &persona, const std::string &request, const std::string &secret) {
        put_card(0, persona);
        std::size_t j0 = read_journal().size();
        int n = expect_card_phase_ok(request, secret.c_str());
        std::vector<JournalLine> reference = slot_lines(read_journal(), j0, SIZE_MAX, 0);
        ASSERT_GT(n, 0);
        ASSERT_EQ(reference.size(), static_cast<std::size_t>(n)) << "the journal and the check disagree on the APDU count";
        std::printf("[ figures ] %s: %d APDUs undisturbed; pulling the card at each of them\n", request.c_str(), n);

        for (int k = 1; k <= n; ++k) {
            SCOPED_TRACE("card pulled at APDU " + std::to_string(k) + " of " + std::to_string(n) + " (" +
                         reference[static_cast<std::size_t>(k - 1)].c + ")");
            const char *locale = k % 2 ? "ja" : "en";  // the job's own message, in both languages over the sweep
            open_context(locale);
            put_card(0, persona);
            std::size_t start_line = read_journal().size();
            ASSERT_EQ(sandbox("remove --slot 0 --after-apdus " + std::to_string(k)), 0);
            onshi_job_id job = start(request, secret.c_str());
            Ev fin = final_of(job);
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
            ASSERT_EQ(sandbox("insert --slot 0 --persona " + persona), 0);
            std::size_t reinserted = read_journal().size();
            EXPECT_EQ(slot_lines(read_journal(), all.size(), reinserted, 0).size(), 0u) << "APDUs after the pull";
            int m = expect_card_phase_ok(request, secret.c_str());
            EXPECT_EQ(m, n);
            std::vector<JournalLine> next = slot_lines(read_journal(), reinserted, SIZE_MAX, 0);
            EXPECT_EQ(std::count_if(next.begin(), next.end(), [](const JournalLine &l) { return l.verify_with_data(); }), 1);
            EXPECT_EQ(finals_of(job), 1) << "exactly one final event for the interrupted job";
        }
    }

    static inline bool up_ = false;
    static inline std::map<std::string, Persona> personas_;
    onshi_context *ctx_ = nullptr;
    std::vector<Ev> log_;
};

TEST_F(Faults, CardPulledAtEachApduOfAPinCheck) {
    removal_sweep("valid-honnin", R"({"reader":"Virtual PCD 00 00"})", personas_["valid-honnin"].pin);
}

TEST_F(Faults, CardPulledAtEachApduOfAVisualCheckWithPhoto) {
    removal_sweep("valid-honnin", R"({"reader":"Virtual PCD 00 00","method":"visual","photo":true})",
                  personas_["valid-honnin"].collation_b);
}

TEST_F(Faults, PcscdRestartIsSeenAsReadersLeavingAndComingBack) {
    put_card(0, "valid-honnin");
    while (poll(0)) {
    }
    std::size_t from = log_.size();
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
    // The same context, no reopening.
    expect_card_phase_ok(R"({"reader":"Virtual PCD 00 00"})", personas_["valid-honnin"].pin.c_str());
}

TEST_F(Faults, CheckWhilePcscdIsDownEndsWithAClearStatus) {
    put_card(0, "valid-honnin");
    while (poll(0)) {
    }
    std::size_t from = log_.size();
    int restart_rc = -1;
    std::thread outage([&] { restart_rc = sandbox("restart-pcscd --down-ms 3000"); });
    long removed = wait_reader_event(from, ONSHI_EVENT_READER_REMOVED, kReader0);
    EXPECT_GE(removed, 0) << "the monitor did not see pcscd go";
    auto t0 = Clock::now();
    Ev fin = final_of(start(R"({"reader":"Virtual PCD 00 00"})", personas_["valid-honnin"].pin.c_str()));
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    EXPECT_TRUE(fin.status == ONSHI_E_PCSC_UNAVAILABLE || fin.status == ONSHI_E_NO_READER)
        << onshi_status_message(fin.status, "en") << ": " << fin.text;
    EXPECT_FALSE(fin.text.empty());
    std::printf("[ figures ] check with pcscd down: %s after %lld ms: %s\n", onshi_status_message(fin.status, "en"),
                static_cast<long long>(ms), fin.text.c_str());
    outage.join();
    ASSERT_EQ(restart_rc, 0);
    long added = wait_reader_event(removed < 0 ? from : static_cast<std::size_t>(removed), ONSHI_EVENT_READER_ADDED, kReader0);
    ASSERT_GE(added, 0);
    ASSERT_GE(wait_reader_event(static_cast<std::size_t>(added), ONSHI_EVENT_CARD_INSERTED, kReader0), 0);
    expect_card_phase_ok(R"({"reader":"Virtual PCD 00 00"})", personas_["valid-honnin"].pin.c_str());
}

TEST_F(Faults, TwoReadersAtTheSameTime) {
    put_card(0, "valid-honnin");
    put_card(1, "valid-kazoku");
    auto t0 = Clock::now();
    expect_card_phase_ok(R"({"reader":"Virtual PCD 00 00"})", personas_["valid-honnin"].pin.c_str());
    auto one = Clock::now() - t0;

    put_card(0, "valid-honnin");
    std::size_t j0 = read_journal().size();
    t0 = Clock::now();
    onshi_job_id a = start(R"({"reader":"Virtual PCD 00 00"})", personas_["valid-honnin"].pin.c_str());
    onshi_job_id b = start(R"({"reader":"Virtual PCD 00 01"})", personas_["valid-kazoku"].pin.c_str());
    Ev fa = final_of(a);
    Ev fb = final_of(b);
    auto both = Clock::now() - t0;
    EXPECT_EQ(fa.status, ONSHI_E_NOT_SUPPORTED) << fa.text;
    EXPECT_EQ(fb.status, ONSHI_E_NOT_SUPPORTED) << fb.text;
    EXPECT_GT(apdus_in(fa.text), 0) << fa.text;
    EXPECT_GT(apdus_in(fb.text), 0) << fb.text;
    std::vector<JournalLine> all = read_journal();
    EXPECT_EQ(slot_lines(all, j0, SIZE_MAX, 0).size(), static_cast<std::size_t>(apdus_in(fa.text)));
    EXPECT_EQ(slot_lines(all, j0, SIZE_MAX, 1).size(), static_cast<std::size_t>(apdus_in(fb.text)));
    auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    std::printf("[ figures ] one PIN check %.1f ms; two PIN checks on two readers together %.1f ms (wall)\n", ms(one), ms(both));
}

}  // namespace

int main(int argc, char **argv) {
    ::testing::InitGoogleTest(&argc, argv);
    int rc = RUN_ALL_TESTS();
    if (geteuid() != 0) return 77;
    return rc;
}
