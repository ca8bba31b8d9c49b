// Today's patients through the ABI, against the sandbox's phones, expiring certificates and
// 医療扶助 persona (docs/smartphones.md, docs/certificate-expiry.md, docs/public-assistance.md). The
// sandbox's APDU journal is the witness of what reached the phone.
#include <onshi/onshi.h>

#include "apdu_journal.h"
#include "event_log.h"
#include "job_result.h"
#include "personas.h"
#include "plugin_setup.h"
#include "reader_wait.h"
#include "sandbox_runner.h"
#include "sandbox_suite.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>

namespace {

using namespace onshi::it;

const std::string kDir = ONSHI_PATIENTS_IT_DIR;
const std::string kReader0 = "Virtual PCD 00 00";
const std::string kOnReader0 = R"({"reader":"Virtual PCD 00 00")";
const SandboxRunner kSandbox(ONSHI_SANDBOX_BIN, kDir);

// The 券面 APs' AIDs (券面事項確認AP and 券面事項入力補助AP) as SELECT commands: never for a phone.
bool selects_a_card_face_ap(const JournalLine &l) {
    std::string c = l.c;
    std::transform(c.begin(), c.end(), c.begin(), [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
    return c.rfind("00A4040C0AD39210003100010104", 0) == 0;
}

struct Check {
    JobEnd end;
    std::vector<JournalLine> apdus;  // slot 0, from the submit to the final event
    std::vector<Event> events;       // the job's own events
    std::size_t confirmations = 0;   // POST /v1/confirmations meanwhile
    std::string value(const char *element, uint32_t index = 0) const {
        const char *v = nullptr;
        if (!end.result || onshi_result_field(end.result.get(), element, index, &v) != ONSHI_OK || !v) return "(absent)";
        return v;
    }
};

class TodaysPatients : public SandboxSuite {
protected:
    static void SetUpTestSuite() {
        if (!is_root()) return;
        bring_up(kSandbox, "--readers 1 --card 0=phone-android");
        personas_ = load_personas(ONSHI_SANDBOX_BIN);
    }
    static void TearDownTestSuite() {
        if (is_root()) {
            kSandbox.run("gateway-date --days 0");
            kSandbox.gateway_fault("none");
        }
        SandboxSuite::TearDownTestSuite();
    }
    void SetUpTest() override {
        const std::string config = plugin_config(kDir, R"({"locale":"en","card_wait_ms":5000})");
        ASSERT_FALSE(config.empty());
        ASSERT_EQ(onshi_open(config.c_str(), &ctx_), ONSHI_OK) << onshi_last_error(nullptr);
        if (!enrolled_) {
            ASSERT_EQ(enroll_from_setup(ctx_, kDir), ONSHI_OK);
            enrolled_ = true;
        }
        ASSERT_TRUE(wait_card_listed(ctx_, kReader0, true));
        ASSERT_EQ(kSandbox.run("gateway-date --days 0"), 0);
        ASSERT_EQ(kSandbox.gateway_fault("none"), 0);
    }
    void TearDown() override {
        if (ctx_) onshi_close(ctx_);
    }

    void put_card(const std::string &persona, const std::string &cert_expiry = "") {
        if (cert_expiry.empty()) {
            ASSERT_TRUE(swap_card(kSandbox, ctx_, 0, kReader0, persona)) << persona;
            return;
        }
        kSandbox.remove(0);
        ASSERT_TRUE(wait_card_listed(ctx_, kReader0, false));
        ASSERT_EQ(kSandbox.run("insert --slot 0 --persona " + persona + " --cert-expiry " + cert_expiry), 0);
        ASSERT_TRUE(wait_card_listed(ctx_, kReader0, true));
    }

    // Runs one check on reader 0; `pin` nullptr = answer the dialog with `dialog_pin` (and `flags`).
    Check run(const std::string &request_members, const char *pin, const char *dialog_pin = nullptr, uint32_t flags = 0) {
        Check c;
        const std::size_t from = read_journal(kDir).size();
        const std::size_t confirmations = kSandbox.gateway_requests("/v1/confirmations");
        EventLog events(ctx_);
        events.drain();
        const std::size_t first = events.size();
        onshi_job_id job = 0;
        EXPECT_EQ(onshi_check_eligibility(ctx_, (kOnReader0 + request_members + "}").c_str(), pin, &job), ONSHI_OK)
            << onshi_last_error(ctx_);
        if (dialog_pin) {
            long asked = events.wait_for(first, [&](const Event &e) { return e.job == job && (e.type == ONSHI_EVENT_PIN_NEEDED || e.final()); });
            if (asked >= 0 && events.at(asked).type == ONSHI_EVENT_PIN_NEEDED) {
                EXPECT_EQ(onshi_provide_pin(ctx_, job, dialog_pin, flags), ONSHI_OK);
            }
        }
        events.final_of(job);
        for (std::size_t i = first; i < events.size(); ++i)
            if (events.at(static_cast<long>(i)).job == job) c.events.push_back(events.at(static_cast<long>(i)));
        c.end = wait_job(ctx_, job);
        c.apdus = slot_lines(read_journal(kDir), from, SIZE_MAX, 0);
        c.confirmations = kSandbox.gateway_requests("/v1/confirmations") - confirmations;
        return c;
    }
    static bool asked_for_a_secret(const Check &c) {
        return std::any_of(c.events.begin(), c.events.end(), [](const Event &e) { return e.type == ONSHI_EVENT_PIN_NEEDED; });
    }

    static inline bool enrolled_ = false;
    static inline std::map<std::string, Persona> personas_;
    onshi_context *ctx_ = nullptr;
};

// ---- smartphones ----------------------------------------------------------------------------------

TEST_F(TodaysPatients, AndroidPinCheckVerifiesBeforeReadingTheCertificate) {
    put_card("phone-android");
    EXPECT_EQ(listed_medium(ctx_, kReader0), "android");
    Check c = run("", personas_["phone-android"].pin.c_str());
    ASSERT_EQ(c.end.status, ONSHI_OK) << c.end.json;
    EXPECT_EQ(verdict_of(c.end.json), "eligible");
    EXPECT_EQ(c.value("medium"), "android");
    EXPECT_EQ(c.value("Name"), "試験　スマ子");
    EXPECT_EQ(c.confirmations, 1u);
    // The journal: exactly one VERIFY with data, and it comes before the certificate's SELECT.
    long verify_at = -1, cert_at = -1;
    for (std::size_t i = 0; i < c.apdus.size(); ++i) {
        if (c.apdus[i].verify_with_data()) verify_at = static_cast<long>(i);
        if (c.apdus[i].c == "00a4020c02000a" || c.apdus[i].c == "00A4020C02000A") cert_at = static_cast<long>(i);
    }
    EXPECT_EQ(verifies_with_data(c.apdus), 1);
    ASSERT_GE(verify_at, 0);
    ASSERT_GE(cert_at, 0);
    EXPECT_LT(verify_at, cert_at) << "Android serves EF 000A only after VERIFY";
    for (const JournalLine &l : c.apdus) EXPECT_FALSE(selects_a_card_face_ap(l)) << l.c;
    std::printf("[ figures ] Android PIN check card phase: %zu APDUs\n", c.apdus.size());
}

TEST_F(TodaysPatients, AndroidPinDialogNamesTheMedium) {
    put_card("phone-android");
    Check c = run("", nullptr, personas_["phone-android"].pin.c_str());
    ASSERT_EQ(c.end.status, ONSHI_OK) << c.end.json;
    auto asked = std::find_if(c.events.begin(), c.events.end(), [](const Event &e) { return e.type == ONSHI_EVENT_PIN_NEEDED; });
    ASSERT_NE(asked, c.events.end());
    EXPECT_EQ(asked->text, "Enter the 4-digit PIN of the smartphone certificate (3 tries left)")
        << "the dialog asks for the smartphone certificate's PIN, not the card's";
    EXPECT_EQ(asked->value, 3);
    EXPECT_EQ(verifies_with_data(c.apdus), 1);
}

TEST_F(TodaysPatients, VisualChecksOnPhonesEndAtOnceWithoutASecretOrACardFaceAp) {
    for (const char *phone : {"phone-android", "phone-iphone"}) {
        SCOPED_TRACE(phone);
        put_card(phone);
        for (const char *members : {R"(,"method":"visual")", R"(,"method":"visual","photo":true)"}) {
            SCOPED_TRACE(members);
            Check c = run(members, nullptr);
            EXPECT_EQ(c.end.status, ONSHI_E_VISUAL_NOT_AVAILABLE) << c.end.json;
            EXPECT_FALSE(asked_for_a_secret(c));
            EXPECT_EQ(c.confirmations, 0u);
            EXPECT_EQ(c.apdus.size(), 3u) << "the token check only";
            for (const JournalLine &l : c.apdus) {
                EXPECT_FALSE(l.is_verify()) << l.c;
                EXPECT_FALSE(selects_a_card_face_ap(l)) << l.c;
            }
            EXPECT_NE(string_member(c.end.json, "message").find("visual check"), std::string::npos) << c.end.json;
        }
    }
}

TEST_F(TodaysPatients, AnIphoneIsRefusedBeforeAnySecretIsAsked) {
    put_card("phone-iphone");
    EXPECT_EQ(listed_medium(ctx_, kReader0), "iphone");
    Check c = run("", nullptr);
    EXPECT_EQ(c.end.status, ONSHI_E_MEDIUM_NOT_SUPPORTED) << c.end.json;
    EXPECT_FALSE(asked_for_a_secret(c));
    EXPECT_EQ(c.apdus.size(), 3u);
    for (const JournalLine &l : c.apdus) EXPECT_FALSE(l.is_verify()) << l.c;
    EXPECT_EQ(c.confirmations, 0u);
    // A PIN given up front changes nothing: it never reaches the phone.
    Check up_front = run("", "1234");
    EXPECT_EQ(up_front.end.status, ONSHI_E_MEDIUM_NOT_SUPPORTED);
    EXPECT_EQ(verifies_with_data(up_front.apdus), 0);
}

TEST_F(TodaysPatients, ABlockedPhoneAndAPhonesLastTry) {
    put_card("phone-android-blocked");
    Check blocked = run("", personas_["phone-android-blocked"].pin.c_str());
    EXPECT_EQ(blocked.end.status, ONSHI_E_PIN_BLOCKED) << blocked.end.json;
    EXPECT_EQ(verifies_with_data(blocked.apdus), 0);

    put_card("phone-android-last-try");
    Check refused = run("", personas_["phone-android-last-try"].pin.c_str());
    EXPECT_EQ(refused.end.status, ONSHI_E_LAST_TRY_REFUSED) << refused.end.json;
    EXPECT_EQ(verifies_with_data(refused.apdus), 0) << "the last try is never spent without consent";
    Check dialog_refused = run("", nullptr, personas_["phone-android-last-try"].pin.c_str(), 0);
    EXPECT_EQ(dialog_refused.end.status, ONSHI_E_LAST_TRY_REFUSED);
    EXPECT_EQ(verifies_with_data(dialog_refused.apdus), 0);
    // With the host's consent for this call, the right PIN goes through.
    Check allowed = run("", nullptr, personas_["phone-android-last-try"].pin.c_str(), ONSHI_PIN_ALLOW_LAST_ATTEMPT);
    EXPECT_EQ(allowed.end.status, ONSHI_OK) << allowed.end.json;
    EXPECT_EQ(verifies_with_data(allowed.apdus), 1);
}

// ---- certificate expiry ---------------------------------------------------------------------------

// The first notice's member `key` ("" when there is none).
std::string notice(const std::string &json, const char *key) {
    rapidjson::Document d;
    d.Parse(json.c_str());
    if (!d.IsObject() || !d.HasMember("notices") || !d["notices"].IsArray() || d["notices"].Empty()) return "";
    const auto &n = d["notices"][0];
    return n.HasMember(key) && n[key].IsString() ? n[key].GetString() : "";
}

TEST_F(TodaysPatients, ExpiringAndGraceCertificatesSucceedWithANotice) {
    put_card("cert-grace");
    Check grace = run("", personas_["cert-grace"].pin.c_str());
    ASSERT_EQ(grace.end.status, ONSHI_OK) << grace.end.json;
    EXPECT_EQ(verdict_of(grace.end.json), "eligible");
    EXPECT_EQ(notice(grace.end.json, "code"), "CERT_EXPIRED_GRACE");
    EXPECT_EQ(notice(grace.end.json, "expires_on").size(), 10u);
    EXPECT_EQ(notice(grace.end.json, "usable_until").size(), 10u);
    EXPECT_NE(notice(grace.end.json, "en").find("renew"), std::string::npos);
    EXPECT_EQ(grace.value("medium"), "card");

    put_card("cert-expiring");
    Check expiring = run("", personas_["cert-expiring"].pin.c_str());
    ASSERT_EQ(expiring.end.status, ONSHI_OK) << expiring.end.json;
    EXPECT_EQ(notice(expiring.end.json, "code"), "CERT_EXPIRES_SOON");

    put_card("cert-expired");
    Check expired = run("", personas_["cert-expired"].pin.c_str());
    EXPECT_EQ(expired.end.status, ONSHI_E_CERT_EXPIRED) << expired.end.json;
    // The clerk sentence is the status's own; the detail (for IT, and onshi_last_error) keeps the
    // gateway's text with both dates.
    const std::string detail = string_member(expired.end.json, "detail");
    EXPECT_NE(detail.find("until 20"), std::string::npos) << "the detail gives the last usable day: " << detail;

    put_card("valid-honnin");
    Check valid = run("", personas_["valid-honnin"].pin.c_str());
    ASSERT_EQ(valid.end.status, ONSHI_OK);
    EXPECT_EQ(notice(valid.end.json, "code"), "") << "nothing to say for a valid certificate";
}

// The last usable day and the day after, for every month end of the coming year and for February
// of a leap year: the card's certificate expires mid-month three months before (insert
// --cert-expiry), and the gateway's calendar is moved to the boundary (gateway-date).
TEST_F(TodaysPatients, GraceWindowBoundaryOnEveryMonthEnd) {
    using namespace std::chrono;
    const sys_days today_jst = floor<days>(system_clock::now() + hours(9));
    const year_month_day today{today_jst};
    std::vector<year_month> ends;
    for (int i = 2; i <= 13; ++i) ends.push_back(year_month{today.year(), today.month()} + months(i));
    ends.push_back(year_month{year{2028}, February});  // a leap February
    if (ends.back() <= ends.front()) ends.back() = year_month{year{2032}, February};
    int checked = 0;
    for (const year_month &end : ends) {
        const year_month_day expiry{(end - months(3)) / day{15}};
        const sys_days final_day{end / std::chrono::last};
        const auto date = [](year_month_day d) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                          static_cast<unsigned>(d.day()));
            return std::string(buf);
        };
        SCOPED_TRACE("expiry " + date(expiry) + ", last usable day " + date(year_month_day{final_day}));
        put_card("valid-honnin", date(expiry));
        for (const sys_days day : {final_day, final_day + days(1)}) {
            ASSERT_EQ(kSandbox.run("gateway-date --days " + std::to_string((day - today_jst).count())), 0);
            Check c = run("", personas_["valid-honnin"].pin.c_str());
            if (day == final_day) {
                EXPECT_EQ(c.end.status, ONSHI_OK) << c.end.json;
                EXPECT_EQ(notice(c.end.json, "code"), "CERT_EXPIRED_GRACE");
                EXPECT_EQ(notice(c.end.json, "usable_until"), date(year_month_day{final_day}));
            } else {
                EXPECT_EQ(c.end.status, ONSHI_E_CERT_EXPIRED) << c.end.json;
                EXPECT_NE(string_member(c.end.json, "detail").find(date(year_month_day{final_day})), std::string::npos)
                    << c.end.json;
            }
            ++checked;
        }
    }
    std::printf("[ figures ] grace-window boundary: %d checks over %zu month ends\n", checked, ends.size());
}

// ---- a result that says it was not processed -------------------------------------------------------

// A 200 answer is no success by itself: SegmentOfResult 9 and ProcessingResultStatus 2 end the check
// FAILED with the result's own code and message.
TEST_F(TodaysPatients, AnUnprocessedResultIsAFailureWithItsCodeAndMessage) {
    put_card("valid-honnin");
    struct Row {
        const char *mode, *code;
    };
    for (const Row &row : {Row{"result-error", "SBX9001"}, Row{"processing-error", "SBX2001"}}) {
        SCOPED_TRACE(row.mode);
        ASSERT_EQ(kSandbox.gateway_fault(row.mode), 0);
        Check c = run("", personas_["valid-honnin"].pin.c_str());
        EXPECT_EQ(c.end.status, ONSHI_E_ELIGIBILITY_ERROR) << c.end.json;
        EXPECT_NE(string_member(c.end.json, "detail").find(row.code), std::string::npos) << c.end.json;
        EXPECT_EQ(c.confirmations, 1u);
    }
    ASSERT_EQ(kSandbox.gateway_fault("none"), 0);
    EXPECT_EQ(run("", personas_["valid-honnin"].pin.c_str()).end.status, ONSHI_OK);
}

// ---- 医療扶助 ---------------------------------------------------------------------------------------

TEST_F(TodaysPatients, MedicalAidResultKeepsEveryPublicExpenseElement) {
    put_card("seikatsu-hogo");
    Check c = run("", personas_["seikatsu-hogo"].pin.c_str());
    ASSERT_EQ(c.end.status, ONSHI_OK) << c.end.json;
    EXPECT_EQ(verdict_of(c.end.json), "eligible");
    EXPECT_EQ(c.value("InsuredCardClassification"), "A1");
    EXPECT_EQ(c.value("InsurerNumber"), "12132015");
    EXPECT_EQ(c.value("InsuredIdentificationNumber"), "5808084");
    for (const char *e : {"TicketType", "MedicalTicketValidDate", "MedicalTicketExpirationDate", "IssueNumber",
                          "MedicalTreatmentMonth", "DesignatedMedicalInstitutionCode", "DesignatedMedicalInstitutionFlag",
                          "DesignatedMedicalInstitutionName", "PrescriptionIssuerMedicalInstitutionCode",
                          "PrescriptionIssuerMedicalInstitutionName", "InjuryName1", "InjuryName2", "InjuryName3",
                          "MedicalTreatmentType", "SelfPayAmount", "DistrictContactName", "HandlingContactName",
                          "SingleOrCombinedUse", "StatusOfSocialInsurance", "ConsistencyFlag", "StatusOfInfecton",
                          "StatusOfElderlyMedicalCare", "StatusOfPrefecturalExpenses", "Remarks1", "Remarks2", "Remarks3"}) {
        EXPECT_NE(c.value(e, 1), "(absent)") << e << " of the second ticket";
    }
    EXPECT_EQ(c.value("TicketType", 1), "02");
    EXPECT_NE(c.end.json.find(R"("TicketType":[{"ja":"医療券")"), std::string::npos) << "labelled";
    EXPECT_EQ(notice(c.end.json, "code"), "") << "the sandbox's numbers check";
}

}  // namespace

int main(int argc, char **argv) { return onshi::it::run_sandbox_suite(argc, argv); }
