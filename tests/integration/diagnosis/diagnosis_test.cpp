// onshi_reader_diagnose against the sandbox's card, Android phone and 住基カード (issue 18): every
// item of the report is there, the journal shows no VERIFY with data and nothing from the 券面事項
// 確認AP but its selection and the tries query, and the report holds no name, birth date or
// certificate serial. Each report is printed, and written to ONSHI_DEBUG_LOG_DIR when the run sets
// it, so that scripts/scan-logs.sh scans it with the strict rules of onshi's own logs.
#include <onshi/onshi.h>

#include "apdu_journal.h"
#include "job_result.h"
#include "plugin_setup.h"
#include "reader_wait.h"
#include "sandbox_runner.h"
#include "sandbox_suite.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace {

using namespace onshi::it;

const std::string kDir = ONSHI_DIAGNOSIS_IT_DIR;
const SandboxRunner kSandbox(ONSHI_SANDBOX_BIN, kDir);
const std::string kCardReader = "Virtual PCD 00 00";   // slot 0
const std::string kPhoneReader = "Virtual PCD 00 01";  // slot 1
const std::string kJukiReader = "Virtual PCD B 00 00"; // slot 2
const std::string kExpiringReader = "Virtual PCD B 00 01";  // slot 3

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

bool selects_kenkaku(const JournalLine &l) { return upper(l.c).rfind("00A4040C0AD3921000310001010402", 0) == 0; }
bool selects_an_ap(const JournalLine &l) { return upper(l.c).rfind("00A4040C", 0) == 0; }

// What a persona must never show in a report: its name, birth date and auth certificate serial.
struct PersonalData {
    std::string name, birth_date, serial;
};

PersonalData personal_data_of(const std::string &persona) {
    std::ifstream in(kDir + "/personas.json");
    std::stringstream text;
    text << in.rdbuf();
    rapidjson::Document d;
    d.Parse(text.str().c_str());
    PersonalData out;
    if (!d.IsObject() || !d.HasMember("personas")) return out;
    for (const auto &p : d["personas"].GetArray()) {
        if (!p.HasMember("id") || persona != p["id"].GetString()) continue;
        if (p.HasMember("name") && p["name"].IsString()) out.name = p["name"].GetString();
        if (p.HasMember("birth_date") && p["birth_date"].IsString()) out.birth_date = p["birth_date"].GetString();
        if (p.HasMember("auth_cert") && p["auth_cert"].IsObject()) out.serial = p["auth_cert"]["serial"].GetString();
    }
    return out;
}

struct Diagnosis {
    JobEnd end;
    rapidjson::Document doc;
    std::vector<JournalLine> apdus;
    const rapidjson::Value &at(const char *object, const char *member) const {
        static const rapidjson::Value missing;
        if (!doc.IsObject() || !doc.HasMember("diagnosis")) return missing;
        const auto &d = doc["diagnosis"];
        if (!d.HasMember(object) || !d[object].IsObject() || !d[object].HasMember(member)) return missing;
        return d[object][member];
    }
    std::string text(const char *object, const char *member) const {
        const auto &v = at(object, member);
        return v.IsString() ? v.GetString() : "(not a string)";
    }
};

class ReaderDiagnosis : public SandboxSuite {
protected:
    static void SetUpTestSuite() {
        if (!is_root()) return;
        bring_up(kSandbox, "--readers 4 --card 0=valid-honnin --card 1=phone-android --card 2=juki-card --card 3=cert-expiring");
    }
    void SetUpTest() override {
        const std::string config = plugin_config(kDir, R"({"locale":"en"})");
        ASSERT_FALSE(config.empty());
        ASSERT_EQ(onshi_open(config.c_str(), &ctx_), ONSHI_OK) << onshi_last_error(nullptr);
        for (const auto &r : {kCardReader, kPhoneReader, kJukiReader, kExpiringReader}) {
            ASSERT_TRUE(wait_card_listed(ctx_, r, true)) << r;
        }
    }
    void TearDown() override {
        if (ctx_) onshi_close(ctx_);
    }

    Diagnosis diagnose(const std::string &reader, int slot) {
        Diagnosis out;
        const std::size_t before = read_journal(kDir).size();
        const std::string request = R"({"reader":")" + reader + R"("})";
        onshi_job_id job = 0;
        EXPECT_EQ(onshi_reader_diagnose(ctx_, request.c_str(), &job), ONSHI_OK) << onshi_last_error(ctx_);
        out.end = wait_job(ctx_, job);
        const auto all = read_journal(kDir);
        out.apdus = slot_lines(all, before, all.size(), slot);
        out.doc.Parse(out.end.json.c_str());
        publish(reader, out.end.json);
        return out;
    }

    // Prints the report (ctest's LastTest.log) and adds it to the debug log directory when set.
    static void publish(const std::string &reader, const std::string &json) {
        std::cout << "diagnosis of " << reader << ": " << json << "\n";
        if (const char *logs = std::getenv("ONSHI_DEBUG_LOG_DIR"); logs && *logs) {
            std::ofstream out(std::string(logs) + "/diagnosis-reports.jsonl", std::ios::app);
            out << json << "\n";
        }
    }

    static void expect_nothing_personal(const Diagnosis &d, const std::string &persona) {
        const PersonalData p = personal_data_of(persona);
        ASSERT_FALSE(p.birth_date.empty()) << persona;
        EXPECT_EQ(d.end.json.find(p.birth_date), std::string::npos);
        const std::string dashed = p.birth_date.substr(0, 4) + "-" + p.birth_date.substr(4, 2) + "-" + p.birth_date.substr(6, 2);
        EXPECT_EQ(d.end.json.find(dashed), std::string::npos);
        if (!p.name.empty()) {
            EXPECT_EQ(d.end.json.find(p.name), std::string::npos);
        }
        if (!p.serial.empty()) {
            EXPECT_EQ(upper(d.end.json).find(upper(p.serial)), std::string::npos);
        }
        EXPECT_FALSE(d.at("personal_data", "contains").IsNull());
        EXPECT_FALSE(d.at("personal_data", "contains").GetBool());
    }

    // No VERIFY with data; after the 券面事項確認AP's selection only SELECT 0012 and the empty VERIFY
    // until another AP is selected.
    static void expect_no_secret_and_no_card_face(const Diagnosis &d) {
        EXPECT_EQ(verifies_with_data(d.apdus), 0);
        bool in_kenkaku = false;
        for (const auto &l : d.apdus) {
            if (selects_an_ap(l)) {
                in_kenkaku = selects_kenkaku(l);
            } else if (in_kenkaku) {
                EXPECT_TRUE(upper(l.c) == "00A4020C020012" || upper(l.c) == "00200080") << l.c;
            }
            EXPECT_NE(upper(l.c).rfind("00A4040C0AD3921000310001010408", 0), 0u) << "券面事項入力補助AP selected";
        }
    }

    static void expect_common_items(const Diagnosis &d, const std::string &reader) {
        ASSERT_EQ(d.end.status, ONSHI_OK) << d.end.json;
        EXPECT_EQ(d.text("reader", "name"), reader);
        EXPECT_TRUE(d.at("reader", "vendor").IsNull() || d.at("reader", "vendor").IsString());
        EXPECT_TRUE(d.at("reader", "ifd_type").IsNull() || d.at("reader", "ifd_type").IsString());
        EXPECT_EQ(d.text("reader", "protocol"), "T=1");  // vpcd always reports T=1 (docs/pcsc-harness.md)
        ASSERT_TRUE(d.at("reader", "pin_pad").IsBool());
        EXPECT_FALSE(d.at("reader", "pin_pad").GetBool());  // vpcd has no part 10 features
        EXPECT_FALSE(d.text("card", "atr").empty());
        ASSERT_TRUE(d.at("card", "jpki_ap").IsBool());
        EXPECT_TRUE(d.at("card", "jpki_ap").GetBool());
        ASSERT_TRUE(d.at("card", "kenkaku_ap").IsBool());
        ASSERT_TRUE(d.at("apdus", "count").IsInt());
        EXPECT_EQ(static_cast<std::size_t>(d.at("apdus", "count").GetInt()), d.apdus.size());
        ASSERT_TRUE(d.at("apdus", "round_trip_median_ms").IsNumber());
        ASSERT_TRUE(d.at("apdus", "round_trip_max_ms").IsNumber());
        EXPECT_LE(d.at("apdus", "round_trip_median_ms").GetDouble(), d.at("apdus", "round_trip_max_ms").GetDouble());
        ASSERT_TRUE(d.at("apdus", "largest_response_bytes").IsInt());
        std::size_t largest = 0;
        for (const auto &l : d.apdus) largest = std::max(largest, l.r.size() / 2);
        EXPECT_EQ(static_cast<std::size_t>(d.at("apdus", "largest_response_bytes").GetInt()), largest);
        EXPECT_FALSE(d.text("extended_length", "state").empty());
        EXPECT_FALSE(d.text("pin", "state").empty());
        EXPECT_FALSE(d.text("collation_b", "state").empty());
        EXPECT_FALSE(d.text("certificate", "state").empty());
        expect_no_secret_and_no_card_face(d);
    }

    onshi_context *ctx_ = nullptr;
};

TEST_F(ReaderDiagnosis, CardReportsEveryItem) {
    Diagnosis d = diagnose(kCardReader, 0);
    expect_common_items(d, kCardReader);
    EXPECT_EQ(d.text("reader", "transport"), "contact");
    EXPECT_EQ(d.text("card", "atr"), "3B E0 00 FF 81 31 FE 45 14");
    EXPECT_EQ(d.text("card", "medium"), "card");
    EXPECT_TRUE(d.at("card", "kenkaku_ap").GetBool());
    EXPECT_EQ(d.text("pin", "state"), "counted");
    EXPECT_EQ(d.at("pin", "tries_left").GetInt(), 3);
    EXPECT_EQ(d.text("collation_b", "state"), "counted");
    EXPECT_EQ(d.at("collation_b", "tries_left").GetInt(), 10);
    EXPECT_EQ(d.text("certificate", "state"), "read");
    EXPECT_EQ(d.text("certificate", "expires_month").size(), 7u);  // YYYY-MM
    EXPECT_TRUE(d.at("certificate", "notice").IsNull());  // valid-honnin's certificate runs for four years
    // The sandbox card passes extended length: the whole certificate in one answer.
    EXPECT_EQ(d.text("extended_length", "state"), "supported");
    EXPECT_GT(d.at("extended_length", "bytes").GetInt(), 256);
    expect_nothing_personal(d, "valid-honnin");
}

TEST_F(ReaderDiagnosis, AndroidPhoneCertificateNeedsThePin) {
    Diagnosis d = diagnose(kPhoneReader, 1);
    expect_common_items(d, kPhoneReader);
    EXPECT_EQ(d.text("reader", "transport"), "contactless");
    EXPECT_EQ(d.text("card", "medium"), "android");
    EXPECT_FALSE(d.at("card", "kenkaku_ap").GetBool());
    EXPECT_EQ(d.at("pin", "tries_left").GetInt(), 3);
    EXPECT_EQ(d.text("collation_b", "state"), "not_available");
    EXPECT_EQ(d.text("certificate", "state"), "needs_pin");
    EXPECT_EQ(d.text("extended_length", "state"), "supported");
    expect_nothing_personal(d, "phone-android");
    // The phone's certificate EF was never asked for.
    for (const auto &l : d.apdus) {
        EXPECT_NE(upper(l.c), "00A4020C02000A");
    }
}

TEST_F(ReaderDiagnosis, JukiCardIsTold) {
    Diagnosis d = diagnose(kJukiReader, 2);
    expect_common_items(d, kJukiReader);
    EXPECT_EQ(d.text("card", "medium"), "juki");
    EXPECT_FALSE(d.at("card", "kenkaku_ap").GetBool());
    EXPECT_EQ(d.at("pin", "tries_left").GetInt(), 3);
    EXPECT_FALSE(d.text("certificate", "state").empty());
    expect_nothing_personal(d, "juki-card");
}

TEST_F(ReaderDiagnosis, AnExpiringCertificateGetsTheRulesNotice) {
    Diagnosis d = diagnose(kExpiringReader, 3);
    expect_common_items(d, kExpiringReader);
    EXPECT_EQ(d.text("certificate", "state"), "read");
    const auto &notice = d.at("certificate", "notice");
    ASSERT_TRUE(notice.IsObject()) << d.end.json;
    EXPECT_STREQ(notice["code"].GetString(), "CERT_EXPIRES_SOON");  // 30 days left (sandbox/README.md)
    EXPECT_TRUE(notice.HasMember("ja") && notice.HasMember("en"));
    expect_nothing_personal(d, "cert-expiring");
}

TEST_F(ReaderDiagnosis, TheCardStaysUsableAndNoTryWasSpent) {
    Diagnosis first = diagnose(kCardReader, 0);
    Diagnosis second = diagnose(kCardReader, 0);
    ASSERT_EQ(second.end.status, ONSHI_OK);
    EXPECT_EQ(first.at("pin", "tries_left").GetInt(), second.at("pin", "tries_left").GetInt());
    EXPECT_EQ(first.at("collation_b", "tries_left").GetInt(), second.at("collation_b", "tries_left").GetInt());
}

TEST_F(ReaderDiagnosis, UnknownReaderAndBadRequest) {
    onshi_job_id job = 0;
    EXPECT_EQ(onshi_reader_diagnose(ctx_, R"({"pin":"1234"})", &job), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_reader_diagnose(ctx_, "{}", nullptr), ONSHI_E_INVALID_ARGUMENT);
    ASSERT_EQ(onshi_reader_diagnose(ctx_, R"({"reader":"No Such Reader"})", &job), ONSHI_OK);
    EXPECT_EQ(wait_job(ctx_, job).status, ONSHI_E_NO_READER);
}

}  // namespace

int main(int argc, char **argv) { return run_sandbox_suite(argc, argv); }
