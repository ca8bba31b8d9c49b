// The 個別照会 files (gateway/terminal_query.h): the request's elements in their order and
// encoding, the names that pair a request with its answer, and the answer's statuses.
#include "gateway/terminal_query.h"
#include "util/error.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace onshi::gateway {
namespace {

InsuranceQuery query() {
    InsuranceQuery q;
    q.insurer_number = "  138057";
    q.card_symbol = "記号";
    q.identification_number = "12&3";
    q.branch_number = "00";
    q.birthdate = "19500101";
    q.limit_consent = "1";
    return q;
}

TEST(TerminalQuery, RequestHasTheOfficialElementsInOrderAsShiftJis) {
    const std::string xml = query_xml(query(), "1310000011", "ID1");
    EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"Shift_JIS\"", 0), 0u);
    const char *order[] = {"<MedicalInstitutionCode>1310000011<", "<ArbitraryFileIdentifier>ID1<",
                           "<QualificationConfirmSearchInfo>", "<InsurerNumber>  138057<",
                           "<InsuredCardSymbol>\x8b\x4c\x8d\x86<",  // 記号 in CP932
                           "<InsuredIdentificationNumber>12&amp;3<", "<InsuredBranchNumber>00<",
                           "<Birthdate>19500101<", "<LimitApplicationCertificateRelatedConsFlg>1<"};
    std::size_t at = 0;
    for (const char *part : order) {
        const std::size_t found = xml.find(part, at);
        ASSERT_NE(found, std::string::npos) << part;
        at = found;
    }
}

TEST(TerminalQuery, OptionalElementsAreLeftOut) {
    InsuranceQuery q = query();
    q.card_symbol.clear();
    q.branch_number.clear();
    const std::string xml = query_xml(q, "", "ID1");
    EXPECT_EQ(xml.find("InsuredCardSymbol"), std::string::npos);
    EXPECT_EQ(xml.find("InsuredBranchNumber"), std::string::npos);
    EXPECT_EQ(xml.find("MedicalInstitutionCode"), std::string::npos);
}

TEST(TerminalQuery, ACharacterWithoutShiftJisCodeIsAValidationError) {
    InsuranceQuery q = query();
    q.card_symbol = "\xF0\x9F\x98\x80";  // an emoji
    try {
        query_xml(q, "", "ID1");
        FAIL() << "no error";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_VALIDATION);
    }
}

TEST(TerminalQuery, AnswerNamesPairWithTheirRequestOnly) {
    EXPECT_EQ(request_file_name("ab1"), "OQSsiquc01req_ab1.xml");
    EXPECT_TRUE(is_answer_for("OQSsiquc01res_ab1.xml", "ab1"));
    EXPECT_TRUE(is_answer_for("OQSsiquc01res_ab1_20261205101010.xml", "ab1"));
    EXPECT_FALSE(is_answer_for("OQSsiquc01res_ab12.xml", "ab1"));
    EXPECT_FALSE(is_answer_for("OQSsiquc01req_ab1.xml", "ab1"));
    EXPECT_FALSE(is_answer_for("OQSsiquc01res_ab1.xml.tmp", "ab1"));
    EXPECT_FALSE(is_answer_for("OQSsiquc01res_face_ab1.xml", "ab1"));
    EXPECT_FALSE(is_answer_for("res_ab1.xml", "ab1"));
}

const char *const kAnswer =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><XmlMsg><MessageHeader>"
    "<ProcessExecutionTime>20261205101010</ProcessExecutionTime><QualificationConfirmationDate>20261205</QualificationConfirmationDate>"
    "<ReferenceClassification>2</ReferenceClassification><SegmentOfResult>%S</SegmentOfResult>%E"
    "<CharacterCodeIdentifier>0</CharacterCodeIdentifier></MessageHeader><MessageBody>"
    "<ProcessingResultStatus>1</ProcessingResultStatus><QualificationValidity>1</QualificationValidity>"
    "<ResultList><ResultOfQualificationConfirmation><InsuredCardClassification>01</InsuredCardClassification>"
    "<InsurerNumber>06130488</InsurerNumber><Name>試験　太郎</Name><Birthdate>19800217</Birthdate>"
    "</ResultOfQualificationConfirmation></ResultList></MessageBody></XmlMsg>";

std::string answer(const std::string &segment, const std::string &error) {
    std::string s = kAnswer;
    s.replace(s.find("%S"), 2, segment);
    s.replace(s.find("%E"), 2, error);
    return s;
}

TEST(TerminalQuery, AnswerBecomesTheResultWithSourceTerminal) {
    json::Writer w;
    write_answer(w, answer("1", ""));
    const std::string json = w.text();
    rapidjson::Document d;
    d.Parse(json.c_str());
    ASSERT_TRUE(d.IsObject()) << json;
    EXPECT_STREQ(d["source"].GetString(), "terminal");
    EXPECT_TRUE(d.HasMember("XmlMsg"));
}

TEST(TerminalQuery, SegmentNineIsAnEligibilityErrorKeepingItsCode) {
    json::Writer w;
    try {
        write_answer(w, answer("9", "<ErrorCode>EMU0001</ErrorCode><ErrorMessage>処理できません</ErrorMessage>"));
        FAIL() << "no error";
    } catch (const Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_ELIGIBILITY_ERROR);
        EXPECT_NE(e.detail().en.find("EMU0001"), std::string::npos);
        EXPECT_NE(e.detail().en.find("処理できません"), std::string::npos);
    }
}

TEST(TerminalQuery, UnreadableAnswersAreTerminalAnswerErrors) {
    for (const std::string &bad : {std::string("<XmlMsg><MessageHeader>"), std::string("not xml"), std::string(),
                                  answer("1", "").substr(0, 200)}) {
        json::Writer w;
        try {
            write_answer(w, bad);
            FAIL() << "no error for " << bad;
        } catch (const Error &e) {
            EXPECT_EQ(e.status(), ONSHI_E_TERMINAL_ANSWER);
        }
    }
}

}  // namespace
}  // namespace onshi::gateway
