// The face-folder export ("face_export") through the C ABI against the sandbox: each persona's PIN
// check, once DONE, lands in a real folder as an OQSsiquc01res_face_*.xml that onshi reads back as
// the same result and that Python's own XML parser (Shift_JIS decoded) finds every official value
// in. The host's DONE comes first; a folder that fails gives an event and loses nothing.
#include <onshi/onshi.h>

#include "event_log.h"
#include "job_result.h"
#include "personas.h"
#include "plugin_setup.h"
#include "reader_wait.h"
#include "sandbox_runner.h"
#include "sandbox_suite.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/writer.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace onshi::it;

const std::string kDir = ONSHI_FOLDERS_IT_DIR;
const std::string kReader0 = "Virtual PCD 00 00";
const SandboxRunner kSandbox(ONSHI_SANDBOX_BIN, kDir);

std::string read(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// XmlMsg of a result JSON without CharacterCodeIdentifier (the file states its own encoding).
std::string official(const std::string &json) {
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    if (!doc.IsObject() || !doc.HasMember("XmlMsg")) return "(no XmlMsg)";
    doc["XmlMsg"]["MessageHeader"].RemoveMember("CharacterCodeIdentifier");
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    doc["XmlMsg"].Accept(w);
    return sb.GetString();
}

std::vector<fs::path> face_files(const fs::path &dir) {
    std::vector<fs::path> out;
    for (const auto &e : fs::directory_iterator(dir)) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

class FaceExport : public SandboxSuite {
protected:
    static void SetUpTestSuite() {
        if (!is_root()) return;
        bring_up(kSandbox, "--readers 1 --card 0=valid-honnin");
        personas_ = load_personas(ONSHI_SANDBOX_BIN);
    }
    void SetUpTest() override { fs::create_directories(face_dir_); }
    void TearDown() override {
        if (ctx_) onshi_close(ctx_);
        ctx_ = nullptr;
        fs::remove_all(face_dir_);
    }
    void open(const std::string &face_export) {
        const std::string config = plugin_config(
            kDir, face_export == "null" ? R"({"locale":"en","card_wait_ms":5000})"
                                        : R"({"locale":"en","card_wait_ms":5000,"face_export":)" + face_export + "}");
        ASSERT_FALSE(config.empty());
        ASSERT_EQ(onshi_open(config.c_str(), &ctx_), ONSHI_OK) << onshi_last_error(nullptr);
        if (!enrolled_) {
            ASSERT_EQ(enroll_from_setup(ctx_, kDir), ONSHI_OK);
            enrolled_ = true;
        }
        ASSERT_TRUE(wait_card_listed(ctx_, kReader0, true));
    }

    struct Exported {
        JobEnd end;
        std::optional<Event> done, exported;  // in the order they came
        long done_at = -1, exported_at = -1;
    };
    // One PIN check of `persona` on reader 0, then its FACE_EXPORTED event.
    Exported check(const std::string &persona) {
        Exported x;
        EXPECT_TRUE(swap_card(kSandbox, ctx_, 0, kReader0, persona)) << persona;
        EventLog events(ctx_);
        events.drain();
        const std::size_t first = events.size();
        onshi_job_id job = 0;
        EXPECT_EQ(onshi_check_eligibility(ctx_, R"({"reader":"Virtual PCD 00 00","method":"pin"})",
                                          personas_[persona].pin.c_str(), &job),
                  ONSHI_OK)
            << onshi_last_error(ctx_);
        events.final_of(job);
        x.exported_at = events.wait_for(first, [&](const Event &e) { return e.job == job && e.type == ONSHI_EVENT_FACE_EXPORTED; },
                                        5000);
        for (std::size_t i = first; i < events.size(); ++i) {
            const Event &e = events.at(static_cast<long>(i));
            if (e.job == job && e.type == ONSHI_EVENT_DONE) x.done = e, x.done_at = static_cast<long>(i);
        }
        if (x.exported_at >= 0) x.exported = events.at(x.exported_at);
        x.end = wait_job(ctx_, job);
        return x;
    }

    static inline bool enrolled_ = false;
    static inline std::map<std::string, Persona> personas_;
    const fs::path face_dir_ = fs::path(kDir) / "oqs-face";
    onshi_context *ctx_ = nullptr;
};

TEST_F(FaceExport, EveryPersonasCheckIsAFaceFileThatReadsBackAsTheSameResult) {
    open(R"({"dir":")" + face_dir_.string() + R"("})");
    int exported = 0;
    for (const auto &[persona, secrets] : personas_) {
        if (secrets.pin.empty() || persona.find("blocked") != std::string::npos || persona.find("last-try") != std::string::npos ||
            persona == "phone-iphone")
            continue;  // no PIN check can end DONE (or it would spend a last try)
        SCOPED_TRACE(persona);
        const std::size_t before = face_files(face_dir_).size();
        Exported x = check(persona);
        if (x.end.status != ONSHI_OK) {  // revoked or expired certificates end FAILED: nothing is written
            EXPECT_FALSE(x.exported.has_value()) << "only a DONE check is exported";
            EXPECT_EQ(face_files(face_dir_).size(), before);
            continue;
        }
        ASSERT_TRUE(x.exported.has_value()) << "no ONSHI_EVENT_FACE_EXPORTED";
        ASSERT_TRUE(x.done.has_value());
        EXPECT_LT(x.done_at, x.exported_at) << "the host's DONE comes first";
        ASSERT_EQ(x.exported->status, ONSHI_OK) << x.exported->text;
        const fs::path file = face_dir_ / x.exported->text;
        ASSERT_TRUE(fs::exists(file)) << file;
        EXPECT_EQ(face_files(face_dir_).size(), before + 1) << "one file, and no temporary file left";
        struct stat st {};
        ASSERT_EQ(::stat(file.c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0640u) << "never world-readable";

        // onshi reads it back as the same official result.
        const std::string bytes = read(file);
        onshi_result *back = nullptr;
        ASSERT_EQ(onshi_result_from_xml(nullptr, bytes.data(), bytes.size(), &back), ONSHI_OK) << onshi_last_error(nullptr);
        const char *back_json = nullptr;
        ASSERT_EQ(onshi_result_json(back, &back_json), ONSHI_OK);
        EXPECT_EQ(official(back_json), official(x.end.json));
        EXPECT_EQ(verdict_of(back_json), verdict_of(x.end.json));
        onshi_result_free(back);

        // And so does Python's XML parser, decoding Shift_JIS.
        const fs::path json_file = fs::path(kDir) / "result.json";
        std::ofstream(json_file, std::ios::binary) << x.end.json;
        const std::string command = std::string(ONSHI_PYTHON) + " " + ONSHI_FACE_FILE_CHECK + " '" + file.string() + "' '" +
                                    json_file.string() + "' Shift_JIS";
        EXPECT_EQ(std::system(command.c_str()), 0) << command;
        fs::remove(json_file);
        ++exported;
    }
    std::printf("[ figures ] face export: %d personas' checks exported and read back\n", exported);
    EXPECT_GE(exported, 10);
}

// A figure, not an assertion (docs/performance.md): the time from the call to the check's DONE,
// with and without the export, and from DONE to the file.
TEST_F(FaceExport, FiguresTheExportAddsNothingToDone) {
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v.empty() ? 0.0 : v[v.size() / 2];
    };
    std::vector<double> with, without, after;
    for (const bool export_on : {false, true}) {
        open(export_on ? R"({"dir":")" + face_dir_.string() + R"("})" : std::string("null"));
        ASSERT_TRUE(swap_card(kSandbox, ctx_, 0, kReader0, "valid-honnin"));
        for (int i = 0; i < 7; ++i) {
            EventLog events(ctx_);
            events.drain();
            const auto start = std::chrono::steady_clock::now();
            onshi_job_id job = 0;
            ASSERT_EQ(onshi_check_eligibility(ctx_, R"({"reader":"Virtual PCD 00 00","method":"pin"})",
                                              personas_["valid-honnin"].pin.c_str(), &job),
                      ONSHI_OK);
            ASSERT_TRUE(events.final_of(job).has_value());
            const auto done = std::chrono::steady_clock::now();
            (export_on ? with : without).push_back(std::chrono::duration<double, std::milli>(done - start).count());
            if (export_on) {
                ASSERT_GE(events.wait_for(0, [&](const Event &e) { return e.type == ONSHI_EVENT_FACE_EXPORTED; }, 5000), 0);
                after.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - done).count());
            }
            wait_job(ctx_, job);
        }
        onshi_close(ctx_);
        ctx_ = nullptr;
    }
    std::printf("[ figures ] call to DONE, median of 7: %.1f ms without face_export, %.1f ms with; "
                "DONE to FACE_EXPORTED (file written): %.1f ms\n",
                median(without), median(with), median(after));
}

TEST_F(FaceExport, Utf8OnRequest) {
    open(R"({"dir":")" + face_dir_.string() + R"(","encoding":"utf-8"})");
    Exported x = check("limit-cert");
    ASSERT_EQ(x.end.status, ONSHI_OK) << x.end.json;
    ASSERT_TRUE(x.exported.has_value());
    ASSERT_EQ(x.exported->status, ONSHI_OK) << x.exported->text;
    const fs::path json_file = fs::path(kDir) / "result.json";
    std::ofstream(json_file, std::ios::binary) << x.end.json;
    const std::string command = std::string(ONSHI_PYTHON) + " " + ONSHI_FACE_FILE_CHECK + " '" +
                                (face_dir_ / x.exported->text).string() + "' '" + json_file.string() + "' UTF-8";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST_F(FaceExport, AFolderThatGoesAwayIsAnEventAndTheCheckStaysDone) {
    open(R"({"dir":")" + face_dir_.string() + R"("})");
    fs::remove_all(face_dir_);  // the share went away
    Exported x = check("valid-honnin");
    EXPECT_EQ(x.end.status, ONSHI_OK) << "the check itself is done";
    EXPECT_EQ(verdict_of(x.end.json), "eligible");
    ASSERT_TRUE(x.exported.has_value());
    EXPECT_EQ(x.exported->status, ONSHI_E_FACE_EXPORT);
    EXPECT_NE(x.exported->text.find("oqs-face"), std::string::npos) << x.exported->text;
    EXPECT_LT(x.done_at, x.exported_at);
    fs::create_directories(face_dir_);
    Exported again = check("valid-honnin");  // the folder is back: the next check is written
    ASSERT_TRUE(again.exported.has_value());
    EXPECT_EQ(again.exported->status, ONSHI_OK) << again.exported->text;
}

}  // namespace

int main(int argc, char **argv) { return onshi::it::run_sandbox_suite(argc, argv); }
