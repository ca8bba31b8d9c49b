// The terminal's life cycle through the C ABI against the sandbox (`up --terminals-allowed 2`):
// several credential_dirs are several terminals of one facility. The facility's limit, end of use
// freeing a slot, the planned end date set / changed / cancelled, renewal (new serial, checks keep
// working, the old certificate refused), damaged stores reported without re-enrollment, the
// encrypted store, an end of use that cannot reach the gateway leaving the store intact, and the
// gateway ending a terminal by itself once its planned end date has passed.
#include <onshi/onshi.h>

#include "job_result.h"
#include "sandbox_runner.h"
#include "sandbox_suite.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace fs = std::filesystem;

namespace {

const std::string kDir = ONSHI_LIFECYCLE_IT_DIR;
const std::string kReader = R"("reader":"Virtual PCD 00 00")";
const std::string kPassphrase = "correct horse battery";

using namespace onshi::it;

const SandboxRunner kSandbox(ONSHI_SANDBOX_BIN, kDir);

rapidjson::Document parse(const std::string &text) {
    rapidjson::Document d;
    d.Parse(text.c_str());
    return d;
}

struct Ended : JobEnd {
    std::string error;
    rapidjson::Document doc() const { return parse(json); }
    std::string str(const char *key) const { return string_member(json, key); }
    bool is_null(const char *key) const {
        auto d = doc();
        return d.IsObject() && d.HasMember(key) && d[key].IsNull();
    }
    long facility(const char *key) const {
        auto d = doc();
        if (!d.IsObject() || !d.HasMember("facility") || !d["facility"].HasMember(key) || !d["facility"][key].IsInt64()) return -1;
        return static_cast<long>(d["facility"][key].GetInt64());
    }
};

class Lifecycle : public SandboxSuite {
protected:
    static void SetUpTestSuite() {
        if (!is_root()) return;
        kSandbox.down();
        std::system(("rm -rf " + kDir).c_str());
        bring_up(kSandbox, "--readers 1 --card 0=valid-honnin --terminals-allowed 2", "");
        url_ = kSandbox.gateway_url();
        ca_ = kSandbox.gateway_ca();
    }
    void SetUpTest() override {
        ASSERT_FALSE(url_.empty()) << "DIR/plugin.json has no gateway";
    }

    static std::string terminal_dir(const std::string &name) { return kDir + "/terminals/" + name; }

    // A context whose credential_dir is terminal `name` (one context = one terminal).
    static onshi_context *open_terminal(const std::string &name, const std::string &passphrase = "",
                                        const std::string &url = "") {
        std::string cfg = R"({"locale":"en","card_wait_ms":5000,"credential_dir":")" + terminal_dir(name) + R"(",)" +
                          (passphrase.empty() ? "" : R"("credential_passphrase":")" + passphrase + R"(",)") +
                          R"("log":{"file":")" + kDir + R"(/plugin.log","level":"info"},)" + R"("gateway":{"url":")" +
                          (url.empty() ? url_ : url) + R"(","ca_file":")" + ca_ + R"(","timeout_ms":5000}})";
        onshi_context *ctx = nullptr;
        EXPECT_EQ(onshi_open(cfg.c_str(), &ctx), ONSHI_OK) << onshi_last_error(nullptr);
        return ctx;
    }

    static Ended wait(onshi_context *ctx, onshi_job_id job) {
        Ended e{wait_job(ctx, job), ""};
        if (e.status != ONSHI_OK) e.error = e.json;  // a failed job's result holds its error
        return e;
    }

    // Runs one life-cycle call of terminal `name` on a context of its own.
    template <typename Start>
    static Ended run(const std::string &name, Start start, const std::string &passphrase = "") {
        onshi_context *ctx = open_terminal(name, passphrase);
        if (!ctx) return {};
        onshi_job_id job = 0;
        onshi_status s = start(ctx, &job);
        Ended e;
        if (s != ONSHI_OK) {
            e.status = s;
            e.error = onshi_last_error(ctx) ? onshi_last_error(ctx) : "";
        } else {
            e = wait(ctx, job);
        }
        onshi_close(ctx);
        return e;
    }
    static Ended enroll(const std::string &name, const std::string &passphrase = "") {
        const std::string setup = kSandbox.setup_json();
        return run(name, [&](onshi_context *c, onshi_job_id *j) { return onshi_terminal_enroll(c, setup.c_str(), j); }, passphrase);
    }
    static Ended status(const std::string &name, const std::string &passphrase = "") {
        return run(name, [](onshi_context *c, onshi_job_id *j) { return onshi_terminal_status(c, j); }, passphrase);
    }
    static Ended unenroll(const std::string &name, const std::string &passphrase = "") {
        return run(name, [](onshi_context *c, onshi_job_id *j) { return onshi_terminal_unenroll(c, j); }, passphrase);
    }
    static Ended renew(const std::string &name) {
        return run(name, [](onshi_context *c, onshi_job_id *j) { return onshi_terminal_renew(c, j); });
    }
    static Ended set_end(const std::string &name, const char *date) {
        return run(name, [&](onshi_context *c, onshi_job_id *j) { return onshi_terminal_set_end_date(c, date, j); });
    }
    static Ended pin_check(const std::string &name, const std::string &passphrase = "") {
        return run(name, [](onshi_context *c, onshi_job_id *j) {
            return onshi_check_eligibility(c, ("{" + kReader + "}").c_str(), "1234", j);
        }, passphrase);
    }
    // A copy of a terminal's store (for cards that must be refused later, or to damage).
    static void copy_store(const std::string &from, const std::string &to) {
        fs::remove_all(terminal_dir(to));
        fs::create_directories(terminal_dir(to));
        fs::permissions(terminal_dir(to), fs::perms::owner_all, fs::perm_options::replace);
        for (const char *f : {"terminal.key", "terminal.crt", "terminal.json"})
            fs::copy_file(terminal_dir(from) + "/" + f, terminal_dir(to) + "/" + f, fs::copy_options::overwrite_existing);
    }
    static bool has_files(const std::string &name) {
        return fs::exists(terminal_dir(name) + "/terminal.key") || fs::exists(terminal_dir(name) + "/terminal.crt") ||
               fs::exists(terminal_dir(name) + "/terminal.json");
    }

    static inline std::string url_, ca_;
};

TEST_F(Lifecycle, TheLimitIsEnforcedAndEndOfUseFreesASlot) {
    Ended a = enroll("a");
    ASSERT_EQ(a.status, ONSHI_OK) << a.error;
    EXPECT_EQ(a.facility("terminals_used"), 1) << a.json;
    EXPECT_EQ(a.facility("terminals_allowed"), 2) << a.json;
    Ended b = enroll("b");
    ASSERT_EQ(b.status, ONSHI_OK) << b.error;
    EXPECT_EQ(b.facility("terminals_used"), 2) << b.json;
    EXPECT_NE(a.str("terminal_id"), b.str("terminal_id"));

    Ended c = enroll("c");
    EXPECT_EQ(c.status, ONSHI_E_TERMINAL_LIMIT) << c.error;
    EXPECT_NE(c.error.find("2"), std::string::npos) << c.error;
    EXPECT_FALSE(has_files("c")) << "a refused enrollment leaves nothing behind";

    copy_store("b", "b-old");
    Ended ended = unenroll("b");
    ASSERT_EQ(ended.status, ONSHI_OK) << ended.error;
    EXPECT_EQ(ended.str("terminal_id"), b.str("terminal_id")) << ended.json;
    EXPECT_EQ(ended.facility("terminals_used"), 1) << ended.json;
    EXPECT_FALSE(has_files("b")) << "the local key is wiped after the gateway ended the terminal";
    Ended sb = status("b");
    ASSERT_EQ(sb.status, ONSHI_OK) << sb.error;
    EXPECT_EQ(sb.json, R"({"enrolled":false})");
    // The ended terminal's certificate opens nothing any more.
    EXPECT_EQ(status("b-old").status, ONSHI_E_NOT_ENROLLED);
    EXPECT_EQ(unenroll("b").status, ONSHI_E_NOT_ENROLLED) << "nothing to end";

    c = enroll("c");
    ASSERT_EQ(c.status, ONSHI_OK) << c.error;
    EXPECT_EQ(c.facility("terminals_used"), 2) << c.json;
    EXPECT_EQ(enroll("d").status, ONSHI_E_TERMINAL_LIMIT);
}

TEST_F(Lifecycle, PlannedEndDateIsSetChangedAndCancelled) {
    Ended s = status("a");
    ASSERT_EQ(s.status, ONSHI_OK) << s.error;
    EXPECT_TRUE(s.is_null("planned_end_date")) << s.json;

    Ended set = set_end("a", "2099-03-31");
    ASSERT_EQ(set.status, ONSHI_OK) << set.error;
    EXPECT_EQ(set.str("planned_end_date"), "2099-03-31") << set.json;
    EXPECT_EQ(status("a").str("planned_end_date"), "2099-03-31");

    Ended changed = set_end("a", "2099-12-31");
    ASSERT_EQ(changed.status, ONSHI_OK) << changed.error;
    EXPECT_EQ(status("a").str("planned_end_date"), "2099-12-31");

    Ended cancelled = set_end("a", nullptr);
    ASSERT_EQ(cancelled.status, ONSHI_OK) << cancelled.error;
    EXPECT_TRUE(cancelled.is_null("planned_end_date")) << cancelled.json;
    EXPECT_TRUE(status("a").is_null("planned_end_date"));

    // Malformed: refused by the call itself, with no job.
    onshi_context *ctx = open_terminal("a");
    onshi_job_id job = 123;
    EXPECT_EQ(onshi_terminal_set_end_date(ctx, "2099-02-30", &job), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(job, 0u);
    EXPECT_EQ(onshi_terminal_set_end_date(ctx, "31.03.2099", &job), ONSHI_E_INVALID_ARGUMENT);
    onshi_close(ctx);
    // In the past: the gateway's E_END_DATE_PAST, and the date stays as it was.
    Ended past = set_end("a", "2000-01-01");
    EXPECT_EQ(past.status, ONSHI_E_INVALID_ARGUMENT) << past.error;
    EXPECT_NE(past.error.find("past"), std::string::npos) << past.error;
    EXPECT_TRUE(status("a").is_null("planned_end_date"));
}

TEST_F(Lifecycle, RenewalGivesANewCertificateAndChecksKeepWorking) {
    Ended before = status("a");
    ASSERT_EQ(before.status, ONSHI_OK) << before.error;
    copy_store("a", "a-old");
    Ended renewed = renew("a");
    ASSERT_EQ(renewed.status, ONSHI_OK) << renewed.error;
    EXPECT_EQ(renewed.str("terminal_id"), before.str("terminal_id")) << renewed.json;
    Ended after = status("a");
    ASSERT_EQ(after.status, ONSHI_OK) << after.error;
    EXPECT_EQ(after.str("terminal_id"), before.str("terminal_id"));
    EXPECT_NE(after.str("certificate_serial"), before.str("certificate_serial")) << after.json;
    EXPECT_FALSE(after.str("certificate_expires_at").empty());
    EXPECT_EQ(after.facility("terminals_used"), 2) << "a renewal takes no new slot";
    EXPECT_NE(read_all(terminal_dir("a") + "/terminal.crt"), read_all(terminal_dir("a-old") + "/terminal.crt"));
    EXPECT_NE(read_all(terminal_dir("a") + "/terminal.key"), read_all(terminal_dir("a-old") + "/terminal.key"));
    // The old certificate is revoked for the terminal.
    EXPECT_EQ(status("a-old").status, ONSHI_E_NOT_ENROLLED);

    for (int i = 0; i < 200; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    Ended check = pin_check("a");
    ASSERT_EQ(check.status, ONSHI_OK) << check.error;
    EXPECT_NE(check.json.find(R"("verdict":"eligible")"), std::string::npos) << check.json;
}

TEST_F(Lifecycle, DamagedOrWipedStoresAreReportedAndNeverReEnrolled) {
    Ended before = status("a");
    ASSERT_EQ(before.status, ONSHI_OK) << before.error;
    const long used = before.facility("terminals_used");

    copy_store("a", "truncated-key");
    const std::string key = read_all(terminal_dir("a") + "/terminal.key");
    write_all(terminal_dir("truncated-key") + "/terminal.key", key.substr(0, key.size() / 3));
    copy_store("a", "garbage-cert");
    write_all(terminal_dir("garbage-cert") + "/terminal.crt", "-----BEGIN CERTIFICATE-----\nnot a certificate\n");
    copy_store("a", "no-json");
    fs::remove(terminal_dir("no-json") + "/terminal.json");

    for (const char *name : {"truncated-key", "garbage-cert", "no-json"}) {
        Ended s = status(name);
        EXPECT_EQ(s.status, ONSHI_E_CREDENTIAL_STORE) << name << ": " << s.error;
        EXPECT_FALSE(s.error.empty()) << name;
        Ended c = pin_check(name);
        EXPECT_EQ(c.status, ONSHI_E_CREDENTIAL_STORE) << name << ": " << c.error;
        // Enrolling over a damaged store is refused: nothing is silently replaced.
        Ended e = enroll(name);
        // (a store whose record is readable is still an enrollment: ALREADY_ENROLLED)
        EXPECT_TRUE(e.status == ONSHI_E_CREDENTIAL_STORE || e.status == ONSHI_E_ALREADY_ENROLLED)
            << name << ": " << e.status << " " << e.error;
        EXPECT_EQ(unenroll(name).status, ONSHI_E_CREDENTIAL_STORE) << name;
    }
    Ended no_json = status("no-json");
    EXPECT_NE(no_json.error.find("terminal.json"), std::string::npos) << no_json.error;

    // A wiped store (empty directory) is simply not enrolled.
    fs::create_directories(terminal_dir("wiped"));
    EXPECT_EQ(status("wiped").json, R"({"enrolled":false})");
    EXPECT_EQ(pin_check("wiped").status, ONSHI_E_NOT_ENROLLED);
    EXPECT_FALSE(has_files("wiped")) << "no automatic re-enrollment";

    EXPECT_EQ(status("a").facility("terminals_used"), used) << "no slot was taken by any of this";
}

TEST_F(Lifecycle, EndOfUseThatCannotReachTheGatewayLeavesTheStoreIntact) {
    const std::string key = read_all(terminal_dir("c") + "/terminal.key");
    ASSERT_FALSE(key.empty());
    onshi_context *ctx = open_terminal("c", "", "https://127.0.0.1:1");
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_terminal_unenroll(ctx, &job), ONSHI_OK);
    Ended e = wait(ctx, job);
    onshi_close(ctx);
    EXPECT_EQ(e.status, ONSHI_E_NETWORK) << e.error;
    EXPECT_EQ(read_all(terminal_dir("c") + "/terminal.key"), key);
    Ended s = status("c");
    EXPECT_EQ(s.status, ONSHI_OK) << s.error;
}

TEST_F(Lifecycle, EncryptedStoreRoundTripAndWrongPassphrase) {
    Ended ended = unenroll("c");  // frees a slot for the encrypted terminal
    ASSERT_EQ(ended.status, ONSHI_OK) << ended.error;

    Ended e = enroll("enc", kPassphrase);
    ASSERT_EQ(e.status, ONSHI_OK) << e.error;
    const std::string key = read_all(terminal_dir("enc") + "/terminal.key");
    EXPECT_NE(key.find("-----BEGIN ENCRYPTED PRIVATE KEY-----"), std::string::npos);
    EXPECT_EQ(key.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
    Ended s = status("enc", kPassphrase);
    ASSERT_EQ(s.status, ONSHI_OK) << s.error;
    EXPECT_EQ(s.str("terminal_id"), e.str("terminal_id"));

    Ended wrong = status("enc", "not the passphrase");
    EXPECT_EQ(wrong.status, ONSHI_E_CREDENTIAL_STORE);
    EXPECT_NE(wrong.error.find("credential_passphrase"), std::string::npos) << wrong.error;
    Ended none = status("enc");
    EXPECT_EQ(none.status, ONSHI_E_CREDENTIAL_STORE);
    EXPECT_NE(none.error.find("credential_passphrase"), std::string::npos) << none.error;
    EXPECT_EQ(enroll("enc", "not the passphrase").status, ONSHI_E_ALREADY_ENROLLED) << "the record is still there";

    Ended checked = pin_check("enc", kPassphrase);
    EXPECT_EQ(checked.status, ONSHI_OK) << checked.error;

    Ended gone = unenroll("enc", kPassphrase);
    EXPECT_EQ(gone.status, ONSHI_OK) << gone.error;
    EXPECT_FALSE(has_files("enc"));
}

// Today's date in Japan (UTC+9, no DST), YYYY-MM-DD: the calendar the gateway keeps.
std::string today_in_japan() {
    const std::time_t t = std::time(nullptr) + 9 * 3600;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

TEST_F(Lifecycle, GatewayEndsATerminalTheDayAfterItsPlannedEndDate) {
    Ended due = enroll("due");
    ASSERT_EQ(due.status, ONSHI_OK) << due.error;
    const long used_with_due = due.facility("terminals_used");
    const std::string today = today_in_japan();
    Ended set = set_end("due", today.c_str());
    ASSERT_EQ(set.status, ONSHI_OK) << set.error;
    Ended still = status("due");
    ASSERT_EQ(still.status, ONSHI_OK) << "the planned end date itself is still a day of use: " << still.error;

    // The gateway's calendar a day later (its clock only; TLS and the terminal's clock unchanged).
    ASSERT_EQ(kSandbox.gateway_fault("skew", 24 * 3600 * 1000), 0);
    struct ClockBack {
        ~ClockBack() { kSandbox.gateway_fault("none"); }
    } clock_back;
    // The slot is free whether or not the ended terminal ever calls again: another terminal sees it.
    Ended other = status("a");
    ASSERT_EQ(other.status, ONSHI_OK) << other.error;
    EXPECT_EQ(other.facility("terminals_used"), used_with_due - 1) << other.json;

    Ended gone = status("due");
    EXPECT_EQ(gone.status, ONSHI_E_NOT_ENROLLED) << gone.json;
    EXPECT_NE(gone.error.find("planned end date " + today), std::string::npos) << "says why: " << gone.error;
    EXPECT_NE(gone.error.find(due.str("terminal_id")), std::string::npos) << gone.error;
    EXPECT_EQ(pin_check("due").status, ONSHI_E_NOT_ENROLLED);
    EXPECT_TRUE(has_files("due")) << "nothing local changes until the facility ends the terminal here too";

    // Ending it here too succeeds (the gateway ended it already) and drops the local key, so the
    // terminal can be enrolled again.
    Ended ended = unenroll("due");
    ASSERT_EQ(ended.status, ONSHI_OK) << ended.error;
    EXPECT_EQ(ended.str("terminal_id"), due.str("terminal_id")) << ended.json;
    EXPECT_FALSE(has_files("due"));
    Ended again = enroll("due");
    ASSERT_EQ(again.status, ONSHI_OK) << again.error;
    EXPECT_NE(again.str("terminal_id"), due.str("terminal_id")) << "a new terminal id: ids are never reused";
    EXPECT_EQ(unenroll("due").status, ONSHI_OK);
}

}  // namespace

int main(int argc, char **argv) { return onshi::it::run_sandbox_suite(argc, argv); }
