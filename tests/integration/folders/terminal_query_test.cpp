// 個別照会 through the 資格確認端末's folders (onshi_check_by_insurance) against the sandbox's
// terminal emulator in real folders (DIR/oqs/{req,res}): each persona's record comes back by its
// insurance numbers; bad numbers are refused before any file is written; every emulator fault
// ends in its own status; timeout and cancel remove the job's own request file and nothing else;
// onshi-check --insurance prints the record. Personal values never go into assertion messages.
#include <onshi/onshi.h>

#include "job_result.h"
#include "plugin_setup.h"
#include "sandbox_runner.h"
#include "sandbox_suite.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace onshi::it;
using namespace std::chrono_literals;

const std::string kDir = ONSHI_TERMINAL_IT_DIR;
const SandboxRunner kSandbox(ONSHI_SANDBOX_BIN, kDir);

std::vector<std::string> files_in(const std::string &folder) {
    std::vector<std::string> out;
    for (const auto &e : fs::directory_iterator(folder)) out.push_back(e.path().filename().string());
    return out;
}

// The persona's record (the sandbox's app-text --record), as the request JSON of its numbers.
std::string request_for(const std::string &persona, bool consent = false, int timeout_ms = 10000) {
    rapidjson::Document rec;
    rec.Parse(output_of(kSandbox.binary() + " app-text --persona " + persona + " --record").c_str());
    if (!rec.IsObject()) return "";
    rapidjson::Document req(rapidjson::kObjectType);
    auto &a = req.GetAllocator();
    for (const char *k : {"InsurerNumber", "InsuredCardSymbol", "InsuredIdentificationNumber", "InsuredBranchNumber", "Birthdate"})
        if (rec.HasMember(k)) req.AddMember(rapidjson::StringRef(k), rapidjson::Value(rec[k], a), a);
    req.AddMember("LimitApplicationCertificateRelatedConsFlg", rapidjson::Value(consent ? "1" : "0"), a);
    req.AddMember("timeout_ms", timeout_ms, a);
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    req.Accept(w);
    return sb.GetString();
}

std::string record_member(const std::string &persona, const char *key) {
    rapidjson::Document rec;
    rec.Parse(output_of(kSandbox.binary() + " app-text --persona " + persona + " --record").c_str());
    return rec.IsObject() && rec.HasMember(key) && rec[key].IsString() ? rec[key].GetString() : "";
}

// ResultOfQualificationConfirmation[0].key of a result JSON.
std::string result_member(const std::string &json, const char *key) {
    rapidjson::Document d;
    d.Parse(json.c_str());
    if (!d.IsObject() || !d.HasMember("XmlMsg")) return "";
    const auto &body = d["XmlMsg"]["MessageBody"];
    if (!body.HasMember("ResultList")) return "";
    const auto &list = body["ResultList"]["ResultOfQualificationConfirmation"];
    const auto &r = list.IsArray() ? list[0] : list;
    return r.HasMember(key) && r[key].IsString() ? r[key].GetString() : "";
}

class TerminalQuery : public SandboxSuite {
protected:
    static void SetUpTestSuite() { bring_up(kSandbox, "--readers 1"); }
    void SetUpTest() override {
        kSandbox.run("terminal-fault --mode none");
        const std::string config = plugin_config(kDir, R"({"locale":"en"})");
        ASSERT_FALSE(config.empty());
        ASSERT_NE(config.find("terminal_folders"), std::string::npos);
        ASSERT_EQ(onshi_open(config.c_str(), &ctx_), ONSHI_OK) << onshi_last_error(nullptr);
    }
    void TearDown() override {
        if (ctx_) onshi_close(ctx_);
        ctx_ = nullptr;
        kSandbox.run("terminal-fault --mode none");
    }
    JobEnd query(const std::string &request, uint32_t wait_ms = 30000) {
        onshi_job_id job = 0;
        const onshi_status s = onshi_check_by_insurance(ctx_, request.c_str(), &job);
        EXPECT_EQ(s, ONSHI_OK) << onshi_status_name(s);
        if (s != ONSHI_OK) return {s, "", nullptr};
        return wait_job(ctx_, job, wait_ms);
    }
    const std::string req_ = kDir + "/oqs/req";
    const std::string res_ = kDir + "/oqs/res";
    onshi_context *ctx_ = nullptr;
};

TEST_F(TerminalQuery, EveryPersonaComesBackByItsNumbers) {
    // An 8-digit insurer, a family member (branch 01), a 6-digit 国保 number (padded), a
    // 後期高齢者 card without symbol and branch, and a 限度額 record with the consent.
    for (const char *persona : {"valid-honnin", "valid-kazoku", "elderly-70", "koki-39", "limit-cert"}) {
        const bool consent = std::string(persona) == "limit-cert";
        const JobEnd end = query(request_for(persona, consent));
        ASSERT_EQ(end.status, ONSHI_OK) << persona << ": " << onshi_status_name(end.status);
        EXPECT_EQ(onshi::it::string_member(end.json, "source"), "terminal") << persona;
        EXPECT_EQ(result_member(end.json, "Name"), record_member(persona, "Name")) << persona << ": another record came back";
        EXPECT_EQ(result_member(end.json, "InsurerNumber"), record_member(persona, "InsurerNumber")) << persona;
        if (consent) {
            EXPECT_NE(end.json.find("LimitApplicationCertificateRelatedInfo"), std::string::npos) << persona;
        }
    }
}

TEST_F(TerminalQuery, BadNumbersAreRefusedBeforeAnyFileIsWritten) {
    kSandbox.run("terminal-fault --mode silent");  // a file written by mistake would stay to be seen
    std::string bad = request_for("valid-honnin");
    const std::string insurer = record_member("valid-honnin", "InsurerNumber");
    ASSERT_EQ(insurer.size(), 8u);
    std::string wrong = insurer;
    wrong[7] = static_cast<char>('0' + (wrong[7] - '0' + 1) % 10);  // the check digit off by one
    bad.replace(bad.find(insurer), insurer.size(), wrong);
    onshi_job_id job = 0;
    EXPECT_EQ(onshi_check_by_insurance(ctx_, bad.c_str(), &job), ONSHI_E_VALIDATION);
    EXPECT_EQ(job, 0u);
    EXPECT_NE(std::string(onshi_last_error(ctx_)).find("InsurerNumber"), std::string::npos);
    std::string bad_date = request_for("valid-honnin");
    const std::string birth = record_member("valid-honnin", "Birthdate");
    bad_date.replace(bad_date.find(birth), birth.size(), "19801332");
    EXPECT_EQ(onshi_check_by_insurance(ctx_, bad_date.c_str(), &job), ONSHI_E_VALIDATION);
    std::this_thread::sleep_for(100ms);
    EXPECT_TRUE(files_in(req_).empty());
}

TEST_F(TerminalQuery, EveryEmulatorFaultEndsInItsStatus) {
    struct Case {
        const char *mode;
        int ms;
        onshi_status status;
    };
    for (const Case &c : {Case{"error", 0, ONSHI_E_ELIGIBILITY_ERROR}, Case{"malformed", 0, ONSHI_E_TERMINAL_ANSWER},
                          Case{"partial", 0, ONSHI_E_TERMINAL_ANSWER}, Case{"silent", 0, ONSHI_E_TERMINAL_NO_ANSWER},
                          Case{"slow", 300, ONSHI_OK}, Case{"pieces", 100, ONSHI_OK}, Case{"shift_jis", 0, ONSHI_OK}}) {
        ASSERT_EQ(kSandbox.run(std::string("terminal-fault --mode ") + c.mode + " --ms " + std::to_string(c.ms)), 0) << c.mode;
        const JobEnd end = query(request_for("valid-honnin", false, 1500));
        EXPECT_EQ(end.status, c.status) << c.mode << ": " << onshi_status_name(end.status);
        if (c.status == ONSHI_OK) {
            EXPECT_EQ(result_member(end.json, "Name"), record_member("valid-honnin", "Name")) << c.mode;
        }
        if (c.status == ONSHI_E_ELIGIBILITY_ERROR) {
            EXPECT_NE(end.json.find("EMU0001"), std::string::npos) << c.mode;
        }
        for (const auto &f : files_in(req_)) ADD_FAILURE() << c.mode << ": left in req: " << f;
    }
}

TEST_F(TerminalQuery, TimeoutAndCancelRemoveOnlyTheirOwnRequest) {
    kSandbox.run("terminal-fault --mode silent");
    // The terminal's (and the host's) files: they must all survive.
    const std::vector<std::string> theirs = {"OQSsiquc01req_theirs.xml", "notes.txt"};
    for (const auto &f : theirs) std::ofstream(req_ + "/" + f) << "x";
    std::ofstream(res_ + "/OQSsiquc01res_theirs.xml") << "x";

    const JobEnd timed_out = query(request_for("valid-honnin", false, 300));
    EXPECT_EQ(timed_out.status, ONSHI_E_TERMINAL_NO_ANSWER);

    onshi_job_id job = 0;
    ASSERT_EQ(onshi_check_by_insurance(ctx_, request_for("valid-honnin", false, 20000).c_str(), &job), ONSHI_OK);
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (files_in(req_).size() < theirs.size() + 1 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(5ms);
    ASSERT_EQ(files_in(req_).size(), theirs.size() + 1) << "the request file never appeared";
    ASSERT_EQ(onshi_job_cancel(ctx_, job), ONSHI_OK);
    EXPECT_EQ(wait_job(ctx_, job).status, ONSHI_E_CANCELLED);
    // The worker withdraws its file right after the CANCELLED event.
    const auto removed_by = std::chrono::steady_clock::now() + 2s;
    while (files_in(req_).size() > theirs.size() && std::chrono::steady_clock::now() < removed_by)
        std::this_thread::sleep_for(5ms);

    std::vector<std::string> left = files_in(req_);
    std::sort(left.begin(), left.end());
    std::vector<std::string> expected = theirs;
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(left, expected);
    EXPECT_TRUE(fs::exists(res_ + "/OQSsiquc01res_theirs.xml"));
    for (const auto &f : theirs) fs::remove(req_ + "/" + f);
    fs::remove(res_ + "/OQSsiquc01res_theirs.xml");
}

TEST_F(TerminalQuery, WithoutTerminalFoldersTheCallSaysSo) {
    onshi_context *plain = nullptr;
    ASSERT_EQ(onshi_open(R"({"locale":"en","pcsc":{"enabled":false}})", &plain), ONSHI_OK);
    onshi_job_id job = 0;
    EXPECT_EQ(onshi_check_by_insurance(plain, request_for("valid-honnin").c_str(), &job), ONSHI_E_TERMINAL_FOLDERS);
    onshi_close(plain);
}

TEST_F(TerminalQuery, OnshiCheckPrintsTheRecord) {
    if (std::string(ONSHI_CHECK_BIN).empty()) GTEST_SKIP() << "built without the sample hosts";
    const std::string file = kDir + "/insurance-request.json";
    std::ofstream(file) << request_for("valid-honnin");
    const std::string out =
        output_of(std::string(ONSHI_CHECK_BIN) + " --library " + ONSHI_LIBRARY + " --config " + kDir + "/plugin.json --json --insurance " + file);
    EXPECT_EQ(onshi::it::string_member(out, "source"), "terminal");
    EXPECT_EQ(result_member(out, "Name"), record_member("valid-honnin", "Name"));
    fs::remove(file);
}

}  // namespace

int main(int argc, char **argv) { return onshi::it::run_sandbox_suite(argc, argv); }
