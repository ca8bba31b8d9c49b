// The 利用申請書 model: every field rule, all errors at once, ja/en messages, the password never
// echoed. "Today" is injected (2026-11-24 in Japan).
#include "registration/application_form.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <sstream>
#include <string>

using namespace onshi::registration;

namespace {

const Date kToday{2026, 11, 24};

const char *const kValid = R"({
  "application_types": [1, 2],
  "application_date": "2026-11-20",
  "contact_name": "受付　花子",
  "institution_code": "3410712362",
  "institution_name": "さくら通り整形外科クリニック",
  "founder_name": "桜井　太郎",
  "phone": "082-555-0123",
  "email": "uketsuke@sakura-clinic.example.jp",
  "password": "Sakura2026Clinic",
  "account_last4": "1234",
  "staff_count": 12,
  "terminal_count": 2
})";

// The valid form with `changes` (a JSON object) merged in; a null in changes removes the key.
std::string form(const std::string &changes = "{}") {
    rapidjson::Document doc, patch;
    doc.Parse(kValid);
    patch.Parse(changes.c_str());
    EXPECT_FALSE(patch.HasParseError()) << changes;
    for (auto it = patch.MemberBegin(); it != patch.MemberEnd(); ++it) {
        doc.RemoveMember(it->name);
        if (!it->value.IsNull())
            doc.AddMember(rapidjson::Value(it->name, doc.GetAllocator()), rapidjson::Value(it->value, doc.GetAllocator()),
                          doc.GetAllocator());
    }
    rapidjson::StringBuffer b;
    rapidjson::Writer<rapidjson::StringBuffer> w(b);
    doc.Accept(w);
    return b.GetString();
}

// "field:code" of every error, sorted by the order they were found.
std::string errors(const std::string &json, const Date &today = kToday) {
    const Report r = validate_application(json, today);
    std::string s;
    for (const Issue &e : r.errors) {
        EXPECT_FALSE(e.message.en.empty()) << e.field;
        EXPECT_FALSE(e.message.ja.empty()) << e.field;
        s += (s.empty() ? "" : " ") + e.field + ":" + e.code;
    }
    return s;
}

}  // namespace

TEST(ApplicationForm, TheValidFormIsValid) {
    const Report r = validate_application(form(), kToday);
    EXPECT_TRUE(r.valid()) << r.to_json();
    EXPECT_TRUE(r.warnings.empty()) << r.to_json();
}

TEST(ApplicationForm, TheShippedExampleIsValid) {
    std::ifstream in(ONSHI_SAMPLES_DIR "/registration/application-example.json");
    ASSERT_TRUE(in) << "samples/registration/application-example.json";
    std::stringstream text;
    text << in.rdbuf();
    const Report r = validate_application(text.str(), kToday);
    EXPECT_TRUE(r.valid()) << r.to_json();
}

TEST(ApplicationForm, ModelHoldsTheValues) {
    Report r;
    const ApplicationForm f = ApplicationForm::from_json(
        form(R"({"institution_code":{"prefecture":"34","score_table":"1","code":"0712362"},"staff_count":"12"})"), r);
    EXPECT_TRUE(r.valid()) << r.to_json();
    EXPECT_TRUE(f.apply_portal_user && f.apply_app_start && !f.apply_end_or_change);
    EXPECT_EQ(f.institution_code, "3410712362");
    EXPECT_EQ(f.prefecture(), "34");
    EXPECT_EQ(f.score_table(), "1");
    EXPECT_EQ(f.code7(), "0712362");
    EXPECT_EQ(f.password.view(), "Sakura2026Clinic");
    EXPECT_EQ(f.staff_count, 12);
    EXPECT_EQ(f.terminal_count, 2);
    EXPECT_EQ(f.founder_name, "桜井　太郎");
}

TEST(ApplicationForm, ApplicationTypes) {
    EXPECT_EQ(errors(form(R"({"application_types":[]})")), "application_types:required");
    EXPECT_EQ(errors(form(R"({"application_types":null})")), "application_types:required");
    EXPECT_EQ(errors(form(R"({"application_types":[1,4]})")), "application_types:format");
    EXPECT_EQ(errors(form(R"({"application_types":"1"})")), "application_types:type");  // one error per cause
}

TEST(ApplicationForm, ApplicationDate) {
    EXPECT_EQ(errors(form(R"({"application_date":null})")), "application_date:required");
    EXPECT_EQ(errors(form(R"({"application_date":"2026/11/20"})")), "application_date:format");
    EXPECT_EQ(errors(form(R"({"application_date":"2026-02-30"})")), "application_date:format");
    EXPECT_EQ(errors(form(R"({"application_date":"R8-11-20"})")), "application_date:format");  // 和暦 is not 西暦
    EXPECT_EQ(errors(form(R"({"application_date":"2026-11-25"})")), "application_date:future_date");
    EXPECT_EQ(errors(form(R"({"application_date":"2026-11-20T09:00:00+09:00"})")), "application_date:format");
    EXPECT_EQ(errors(form(R"({"application_date":"2026-11-24"})")), "");  // today is fine
    EXPECT_EQ(errors(form(R"({"application_date":20261120})")), "application_date:type");
}

TEST(ApplicationForm, TextFields) {
    EXPECT_EQ(errors(form(R"({"contact_name":"　 "})")), "contact_name:required");
    EXPECT_EQ(errors(form(R"({"contact_name":")" + std::string(51, 'a') + "\"}")), "contact_name:length");
    EXPECT_EQ(errors(form(R"({"contact_name":"受付\n花子"})")), "contact_name:format");
    std::string fifty;
    for (int i = 0; i < 50; ++i) fifty += "花";
    EXPECT_EQ(errors(form(R"({"contact_name":")" + fifty + "\"}")), "");  // characters, not bytes
    EXPECT_EQ(errors(form(R"({"institution_name":null})")), "institution_name:required");
    std::string name101;
    for (int i = 0; i < 101; ++i) name101 += "院";
    EXPECT_EQ(errors(form(R"({"institution_name":")" + name101 + "\"}")), "institution_name:length");
    EXPECT_EQ(errors(form(R"({"founder_name":""})")), "founder_name:required");
    EXPECT_EQ(errors(form(R"({"founder_name":"Taro Sakurai"})")), "founder_name:not_kanji");
    EXPECT_EQ(errors(form(R"({"founder_name":"医療法人社団ABC会"})")), "");
}

TEST(ApplicationForm, InstitutionCode) {
    EXPECT_EQ(errors(form(R"({"institution_code":null})")), "institution_code:required");
    EXPECT_EQ(errors(form(R"({"institution_code":"3410712363"})")), "institution_code:check_digit");
    EXPECT_EQ(errors(form(R"({"institution_code":"4810712362"})")), "institution_code:prefecture institution_code:check_digit");
    EXPECT_EQ(errors(form(R"({"institution_code":"3420712362"})")), "institution_code:score_table institution_code:check_digit");
    EXPECT_EQ(errors(form(R"({"institution_code":"071236"})")), "institution_code:format");
    EXPECT_EQ(errors(form(R"({"institution_code":{"prefecture":"34","score_table":"1","code":"0712363"}})")),
              "institution_code:check_digit");
    EXPECT_EQ(errors(form(R"({"institution_code":{"prefecture":"34","code":"0712362"}})")),
              "institution_code.score_table:required");
}

TEST(ApplicationForm, Phone) {
    for (const char *ok : {"082-555-0123", "0825550123", "090-1234-5678", "09012345678"})
        EXPECT_EQ(errors(form(std::string(R"({"phone":")") + ok + "\"}")), "") << ok;
    for (const char *bad : {"82-555-0123", "082-555-012", "090-1234-56789", "082--555-0123", "-0825550123", "(082)555-0123",
                            "０８２-５５５-０１２３", "082 555 0123"})
        EXPECT_EQ(errors(form(std::string(R"({"phone":")") + bad + "\"}")), "phone:format") << bad;
    EXPECT_EQ(errors(form(R"({"phone":null})")), "phone:required");
}

TEST(ApplicationForm, Email) {
    for (const char *ok : {"a@example.jp", "first.last+tag@mail.clinic-example.co.jp"})
        EXPECT_EQ(errors(form(std::string(R"({"email":")") + ok + "\"}")), "") << ok;
    for (const char *bad : {"uketsuke", "a@b", "a@@example.jp", "a b@example.jp", ".a@example.jp", "a..b@example.jp",
                            "a@-example.jp", "a@example..jp", "受付@example.jp", "a@example.jp."})
        EXPECT_EQ(errors(form(std::string(R"({"email":")") + bad + "\"}")), "email:format") << bad;
}

TEST(ApplicationForm, Password) {
    EXPECT_EQ(errors(form(R"({"password":"Abc12345"})")), "");                                  // 8
    EXPECT_EQ(errors(form(R"({"password":")" + std::string(100, 'a') + "\"}")), "");              // 100
    EXPECT_EQ(errors(form(R"({"password":"Abc1234"})")), "password:length");                     // 7
    EXPECT_EQ(errors(form(R"({"password":")" + std::string(101, 'a') + "\"}")), "password:length");
    EXPECT_EQ(errors(form(R"({"password":"Abc-12345"})")), "password:format");
    EXPECT_EQ(errors(form(R"({"password":"パスワード12345"})")), "password:format");
    EXPECT_EQ(errors(form(R"({"password":"ab!"})")), "password:length password:format");
}

TEST(ApplicationForm, PasswordIsNeverInTheReport) {
    for (const char *pw : {"SecretPw-1", "Short1", "SecretPassword99"}) {
        const std::string json = form(std::string(R"({"password":")") + pw + R"(","email":"x"})");
        const std::string report = validate_application(json, kToday).to_json();
        EXPECT_EQ(report.find(pw), std::string::npos) << report;
    }
}

TEST(ApplicationForm, EmailAndPasswordRequiredFor2UnlessWith1) {
    const char *none = R"({"email":null,"password":null)";
    EXPECT_EQ(errors(form(std::string(none) + R"(,"application_types":[2]})")), "email:required password:required");
    EXPECT_EQ(errors(form(std::string(none) + R"(,"application_types":[1,2]})")), "email:required password:required");
    EXPECT_EQ(errors(form(std::string(none) + R"(,"application_types":[1]})")), "email:required password:required");
    EXPECT_EQ(errors(form(std::string(none) + R"(,"application_types":[3],"end_date":"2027-03-31"})")), "");
    const Report r = validate_application(form(std::string(none) + R"(,"application_types":[2]})"), kToday);
    EXPECT_NE(r.errors.at(0).message.ja.find("1 と同時に申請しない場合"), std::string::npos);
    EXPECT_NE(r.errors.at(0).message.en.find("without 1"), std::string::npos);
}

TEST(ApplicationForm, AccountLast4) {
    EXPECT_EQ(errors(form(R"({"account_last4":null})")), "");
    EXPECT_EQ(errors(form(R"({"account_last4":"0007"})")), "");
    EXPECT_EQ(errors(form(R"({"account_last4":"123"})")), "account_last4:format");
    EXPECT_EQ(errors(form(R"({"account_last4":"12345"})")), "account_last4:format");
    EXPECT_EQ(errors(form(R"({"account_last4":"12a4"})")), "account_last4:format");
    EXPECT_EQ(errors(form(R"({"account_last4":1234})")), "account_last4:type");
}

TEST(ApplicationForm, StaffAndTerminalCounts) {
    EXPECT_EQ(errors(form(R"({"terminal_count":0})")), "terminal_count:range");
    EXPECT_EQ(errors(form(R"({"terminal_count":1000,"staff_count":5000})")), "terminal_count:range");
    EXPECT_EQ(errors(form(R"({"staff_count":0})")), "staff_count:range");
    EXPECT_EQ(errors(form(R"({"terminal_count":13})")), "terminal_count:exceeds_staff");
    EXPECT_EQ(errors(form(R"({"terminal_count":12})")), "");
    EXPECT_EQ(errors(form(R"({"terminal_count":"2","staff_count":"12"})")), "");  // digit strings from text boxes
    EXPECT_EQ(errors(form(R"({"terminal_count":"2台"})")), "terminal_count:type");
    EXPECT_EQ(errors(form(R"({"terminal_count":1.5})")), "terminal_count:type");
    EXPECT_EQ(errors(form(R"({"terminal_count":null,"staff_count":null})")), "staff_count:required terminal_count:required");
    EXPECT_EQ(errors(form(R"({"terminal_count":null,"staff_count":null,"application_types":[1]})")), "");
}

TEST(ApplicationForm, EndOfUse) {
    const std::string three = R"({"application_types":[3],)";
    EXPECT_EQ(errors(form(three + R"("end_date":"2027-03-31"})")), "");
    EXPECT_EQ(errors(form(three + R"("end_date":"2026-11-24"})")), "");  // today is not the past
    EXPECT_EQ(errors(form(three + R"("end_date":"2026-11-23"})")), "end_date:past_date");
    EXPECT_EQ(errors(form(three + R"("end_date":"2027-02-29"})")), "end_date:format");
    EXPECT_EQ(errors(form(three + R"("end_date":null})")), "end_date:required");
    EXPECT_EQ(errors(form(three + R"("end_date_change":true,"end_date":"2027-03-31"})")), "");
    EXPECT_EQ(errors(form(three + R"("end_date_change":true})")), "end_date:required");
    EXPECT_EQ(errors(form(three + R"("end_date_cancel":true})")), "");
    EXPECT_EQ(errors(form(three + R"("end_date_cancel":true,"end_date":"2027-03-31"})")), "end_date:not_allowed");
    EXPECT_EQ(errors(form(three + R"("end_date_cancel":true,"end_date_change":true,"end_date":"2027-03-31"})")),
              "end_date_cancel:conflict end_date_change:conflict");
    EXPECT_EQ(errors(form(three + R"("end_date_cancel":"yes"})")), "end_date_cancel:type end_date:required");
    // 取り消し / 変更 / the date need 3
    EXPECT_EQ(errors(form(R"({"end_date_cancel":true})")), "end_date_cancel:requires_3");
    EXPECT_EQ(errors(form(R"({"end_date_change":true,"end_date":"2027-03-31"})")), "end_date_change:requires_3 end_date:requires_3");
    EXPECT_EQ(errors(form(R"({"end_date":"2027-03-31"})")), "end_date:requires_3");
    EXPECT_EQ(errors(form(R"({"end_date_cancel":false,"end_date_change":false})")), "");
}

TEST(ApplicationForm, UnknownFieldsAreErrors) {
    EXPECT_EQ(errors(form(R"({"emial":"a@example.jp"})")), "emial:unknown_field");
    EXPECT_EQ(errors(R"({"emial":null})"), "emial:unknown_field application_types:required application_date:required "
                                           "contact_name:required institution_code:required institution_name:required "
                                           "founder_name:required phone:required");
}

TEST(ApplicationForm, AllErrorsAtOnce) {
    const std::string json = R"({
      "application_types": [2], "application_date": "2027-01-01", "contact_name": "",
      "institution_code": "3410712363", "institution_name": "さくら", "founder_name": "Sakurai",
      "phone": "12345", "email": "not-an-address", "account_last4": "12",
      "staff_count": 1, "terminal_count": 3, "end_date_cancel": true, "end_date_change": true,
      "end_date": "2020-01-01", "fax": "082-555-0124"})";
    EXPECT_EQ(errors(json),
              "institution_code:check_digit fax:unknown_field application_date:future_date contact_name:required "
              "founder_name:not_kanji phone:format email:format password:required account_last4:format "
              "terminal_count:exceeds_staff end_date_cancel:conflict end_date_change:conflict "
              "end_date:requires_3 end_date:past_date");
    const Report r = validate_application(json, kToday);
    const std::string report = r.to_json();
    EXPECT_EQ(report.rfind(R"({"valid":false,"errors":[{"field":"institution_code","code":"check_digit","message_ja":")", 0), 0u)
        << report;
    for (const Issue &e : r.errors) {
        EXPECT_NE(e.message.ja, e.message.en);
        EXPECT_NE(e.message.ja.find_first_of("\xE3\xE4\xE5\xE6\xE7\xE8\xE9"), std::string::npos) << "no Japanese in " << e.message.ja;
    }
}

TEST(ApplicationForm, NotAJsonObjectIsAnInvalidArgument) {
    for (const char *bad : {"", "{", "[1]", "null", "{\"a\":\xff}"}) {
        Report r;
        try {
            ApplicationForm::from_json(bad, r);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const onshi::Error &e) {
            EXPECT_EQ(e.status(), ONSHI_E_INVALID_ARGUMENT) << bad;
        }
    }
}

TEST(Dates, ParseStrictly) {
    EXPECT_EQ(Date::parse("2028-02-29"), (Date{2028, 2, 29}));
    for (const char *bad : {"2027-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "2026-01-1 ", "26-01-01", "1899-12-31",
                            "2026-11-24T00:00", ""})
        EXPECT_EQ(Date::parse(bad), std::nullopt) << bad;
    EXPECT_EQ((Date{2026, 4, 1}).to_string(), "2026-04-01");
}

TEST(Dates, TodayIsTheDateInJapan) {
    using namespace std::chrono;
    const auto utc = sys_days{year{2026} / 11 / 24};
    EXPECT_EQ(Date::in_japan(utc + hours(14) + minutes(59)), (Date{2026, 11, 24}));
    EXPECT_EQ(Date::in_japan(utc + hours(15)), (Date{2026, 11, 25}));  // 00:00 JST
    EXPECT_EQ(Date::in_japan(utc - hours(9)), (Date{2026, 11, 24}));
    EXPECT_EQ(Date::in_japan(utc - hours(9) - seconds(1)), (Date{2026, 11, 23}));
}
