// The card layer on the readers clinics buy (issue 18, sandbox/card/reader_profile.h): the same
// PIN check, visual check with the face photo and diagnosis on a plain vpcd slot and on each
// reader profile; on flaky-field a card that leaves the field right after the VERIFY ends the
// check with ONSHI_E_CARD_REMOVED and the journal shows exactly one VERIFY with data.
#include <onshi/onshi.h>

#include "apdu_journal.h"
#include "job_result.h"
#include "personas.h"
#include "plugin_setup.h"
#include "reader_wait.h"
#include "sandbox_runner.h"
#include "sandbox_suite.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>
#include <string>
#include <thread>

namespace {

using namespace onshi::it;

const std::string kDir = ONSHI_PROFILES_IT_DIR;
const SandboxRunner kSandbox(ONSHI_SANDBOX_BIN, kDir);

struct Slot {
    int slot;
    const char *profile;
    const char *reader;
};
const Slot kPlain{0, "plain", "Virtual PCD 00 00"};
const Slot kShortOnly{1, "short-only", "Virtual PCD 00 01"};
const Slot kT0{2, "t0-contact", "Virtual PCD B 00 00"};
const Slot kOddAtr{3, "odd-atr", "Virtual PCD B 00 01"};
const Slot kFlaky{4, "flaky-field", "Virtual PCD C 00 00"};

class ReaderProfiles : public SandboxSuite, public ::testing::WithParamInterface<Slot> {
protected:
    static void SetUpTestSuite() {
        if (!is_root()) return;
        std::string args = "--readers 5";
        for (const Slot &s : {kPlain, kShortOnly, kT0, kOddAtr, kFlaky})
            args += " --card " + std::to_string(s.slot) + "=valid-honnin --reader-profile " + std::to_string(s.slot) +
                    "=" + s.profile;
        bring_up(kSandbox, args);  // fresh for each test suite: the terminal must enrol again
        enrolled_ = false;
        personas_ = load_personas(ONSHI_SANDBOX_BIN);
    }
    void SetUpTest() override {
        const std::string config = plugin_config(kDir, R"({"locale":"en","card_wait_ms":5000})");
        ASSERT_FALSE(config.empty());
        ASSERT_EQ(onshi_open(config.c_str(), &ctx_), ONSHI_OK) << onshi_last_error(nullptr);
        if (!enrolled_) {
            ASSERT_EQ(enroll_from_setup(ctx_, kDir), ONSHI_OK);
            enrolled_ = true;
        }
    }
    void TearDown() override {
        if (ctx_) onshi_close(ctx_);
    }

    struct Run {
        JobEnd end;
        std::vector<JournalLine> apdus;
    };
    template <class Start>
    Run run_on(const Slot &s, Start start) {
        EXPECT_TRUE(wait_card_listed(ctx_, s.reader, true, 10000)) << s.reader;
        Run out;
        const std::size_t before = read_journal(kDir).size();
        onshi_job_id job = 0;
        EXPECT_EQ(start(job), ONSHI_OK) << onshi_last_error(ctx_);
        out.end = wait_job(ctx_, job);
        const auto all = read_journal(kDir);
        out.apdus = slot_lines(all, before, all.size(), s.slot);
        return out;
    }
    Run pin_check(const Slot &s) {
        const std::string request = std::string(R"({"method":"pin","reader":")") + s.reader + R"("})";
        return run_on(s, [&](onshi_job_id &job) {
            return onshi_check_eligibility(ctx_, request.c_str(), personas_["valid-honnin"].pin.c_str(), &job);
        });
    }
    Run visual_with_photo(const Slot &s) {
        const std::string request = std::string(R"({"method":"visual","photo":true,"reader":")") + s.reader + R"("})";
        return run_on(s, [&](onshi_job_id &job) {
            return onshi_check_eligibility(ctx_, request.c_str(), personas_["valid-honnin"].collation_b.c_str(), &job);
        });
    }
    Run diagnose(const Slot &s) {
        const std::string request = std::string(R"({"reader":")") + s.reader + R"("})";
        return run_on(s, [&](onshi_job_id &job) { return onshi_reader_diagnose(ctx_, request.c_str(), &job); });
    }

    static inline std::map<std::string, Persona> personas_;
    static inline bool enrolled_ = false;
    onshi_context *ctx_ = nullptr;
};

std::string diagnosis_member(const std::string &json, const char *object, const char *member) {
    rapidjson::Document d;
    d.Parse(json.c_str());
    if (!d.IsObject() || !d.HasMember("diagnosis") || !d["diagnosis"].HasMember(object)) return "(absent)";
    const auto &o = d["diagnosis"][object];
    return o.HasMember(member) && o[member].IsString() ? o[member].GetString() : "(absent)";
}

TEST_P(ReaderProfiles, PinCheckVisualCheckAndDiagnosisPass) {
    const Slot s = GetParam();
    Run pin = pin_check(s);
    EXPECT_EQ(pin.end.status, ONSHI_OK) << s.profile << ": " << pin.end.json;
    EXPECT_EQ(verdict_of(pin.end.json), "eligible") << s.profile;
    EXPECT_EQ(verifies_with_data(pin.apdus), 1);

    Run visual = visual_with_photo(s);
    EXPECT_EQ(visual.end.status, ONSHI_OK) << s.profile << ": " << visual.end.json;
    ASSERT_TRUE(visual.end.result);
    const uint8_t *png = nullptr;
    size_t size = 0;
    EXPECT_EQ(onshi_result_photo_png(visual.end.result.get(), &png, &size), ONSHI_OK) << s.profile;
    EXPECT_GT(size, 100u);

    Run diag = diagnose(s);
    ASSERT_EQ(diag.end.status, ONSHI_OK) << diag.end.json;
    EXPECT_EQ(diagnosis_member(diag.end.json, "card", "medium"), "card");
    const std::string extended = diagnosis_member(diag.end.json, "extended_length", "state");
    const std::string transport = diagnosis_member(diag.end.json, "reader", "transport");
    if (std::string(s.profile) == "short-only" || std::string(s.profile) == "t0-contact") {
        EXPECT_EQ(extended, "not_supported") << s.profile;
    } else {
        EXPECT_EQ(extended, "supported") << s.profile;
    }
    EXPECT_EQ(transport, std::string(s.profile) == "odd-atr" ? "contactless" : "contact") << s.profile;
    // Whatever the reader, no answer longer than a short APDU's on the short-only reader.
    if (std::string(s.profile) == "short-only") {
        for (const auto &l : diag.apdus) {
            EXPECT_LE(l.r.size() / 2, 258u) << l.c;
        }
    }
    if (std::string(s.profile) == "t0-contact") {
        bool got_61 = false;
        for (const auto &l : pin.apdus) got_61 = got_61 || (l.r.size() >= 4 && l.r.compare(l.r.size() - 4, 2, "61") == 0);
        EXPECT_TRUE(got_61) << "the signature came through 61xx + GET RESPONSE";
    }
}

INSTANTIATE_TEST_SUITE_P(Readers, ReaderProfiles, ::testing::Values(kPlain, kShortOnly, kT0, kOddAtr),
                         [](const auto &param_info) {
                             std::string n = param_info.param.profile;
                             for (char &c : n)
                                 if (c == '-') c = '_';
                             return n;
                         });

class FlakyField : public ReaderProfiles {};

TEST_F(FlakyField, CardLeavingAfterTheVerifyEndsTheCheckWithoutASecondVerify) {
    Run pin = pin_check(kFlaky);
    EXPECT_EQ(pin.end.status, ONSHI_E_CARD_REMOVED) << pin.end.json;
    EXPECT_EQ(verifies_with_data(pin.apdus), 1) << "never a second VERIFY";
    ASSERT_FALSE(pin.apdus.empty());
    EXPECT_EQ(pin.apdus.back().r, "") << "the card vanished at the APDU after the VERIFY";
    // It comes back 500 ms later, longer than pcscd's presence poll, so PC/SC sees it leave and
    // return; then it works again (it leaves once per insertion).
    EXPECT_TRUE(wait_card_listed(ctx_, kFlaky.reader, false, 3000)) << "the card's absence was seen";
    ASSERT_TRUE(wait_card_listed(ctx_, kFlaky.reader, true, 5000));
    Run again = pin_check(kFlaky);
    EXPECT_EQ(again.end.status, ONSHI_OK) << again.end.json;
    EXPECT_EQ(verifies_with_data(again.apdus), 1);
}

}  // namespace

int main(int argc, char **argv) { return onshi::it::run_sandbox_suite(argc, argv); }
