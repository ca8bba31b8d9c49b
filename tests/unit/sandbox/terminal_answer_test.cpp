// The terminal emulator's documents (sandbox/terminal/answer.h): a request read in either
// encoding, the person found by every number (padding ignored, a wrong birth date finds nobody),
// and answers with the record, the 限度額 block only with the consent, SegmentOfResult 9.
#include "terminal/answer.h"

#include "gateway/insured_data.h"

#include <gtest/gtest.h>

namespace sandbox::terminal {
namespace {

std::map<std::string, std::string> honnin_request() {
  return {{"InsurerNumber", "06130488"}, {"InsuredCardSymbol", "1234"}, {"InsuredIdentificationNumber", "567"},
          {"InsuredBranchNumber", "00"}, {"Birthdate", "19800217"}, {"ArbitraryFileIdentifier", "ID1"}};
}

TEST(TerminalAnswer, RequestsAreReadInShiftJisAndUtf8) {
  const std::string body = "<XmlMsg><MessageHeader><ArbitraryFileIdentifier>ID1</ArbitraryFileIdentifier></MessageHeader>"
                           "<MessageBody><QualificationConfirmSearchInfo><InsuredCardSymbol>記号&amp;1</InsuredCardSymbol>"
                           "</QualificationConfirmSearchInfo></MessageBody></XmlMsg>";
  const auto utf8 = read_request("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + body);
  ASSERT_TRUE(utf8);
  EXPECT_EQ(utf8->at("InsuredCardSymbol"), "記号&1");
  EXPECT_EQ(utf8->at("ArbitraryFileIdentifier"), "ID1");
  const auto sjis = read_request(to_cp932("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>" + body));
  ASSERT_TRUE(sjis);
  EXPECT_EQ(sjis->at("InsuredCardSymbol"), "記号&1");
  EXPECT_FALSE(read_request("<NotXmlMsg/>"));
}

TEST(TerminalAnswer, ThePersonIsFoundByAllItsNumbers) {
  const auto persons = gateway::seed_insured_persons();
  auto request = honnin_request();
  const auto found = find_person(persons, request);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->person_id, "valid-honnin");
  request["InsuredBranchNumber"] = "01";  // the same card numbers, the family member's branch ...
  EXPECT_FALSE(find_person(persons, request)) << "... with the insured person's birth date is nobody";
  request["Birthdate"] = "19830707";
  ASSERT_TRUE(find_person(persons, request));
  EXPECT_EQ(find_person(persons, request)->person_id, "valid-kazoku");
  request = honnin_request();
  request["Birthdate"] = "19800218";
  EXPECT_FALSE(find_person(persons, request));
  request = honnin_request();
  request["InsuredCardSymbol"] = "1235";
  EXPECT_FALSE(find_person(persons, request));
  // A 6-digit 国保 number matches with or without its padding.
  const std::map<std::string, std::string> kokuho = {{"InsurerNumber", "  138057"}, {"InsuredCardSymbol", "架空"},
                                                     {"InsuredIdentificationNumber", "2468"}, {"Birthdate", "19540615"}};
  const auto elderly = find_person(persons, kokuho);
  ASSERT_TRUE(elderly);
  EXPECT_EQ(elderly->person_id, "elderly-70");
}

TEST(TerminalAnswer, AnswersCarryTheRecordAndTheLimitBlockOnlyWithConsent) {
  const auto persons = gateway::seed_insured_persons();
  auto request = honnin_request();
  AnswerOptions o;
  o.now = "20261205101010";
  const std::string plain = answer_xml(request, find_person(persons, request), o);
  EXPECT_NE(plain.find("<SegmentOfResult>1</SegmentOfResult>"), std::string::npos);
  EXPECT_NE(plain.find("<ArbitraryFileIdentifier>ID1</ArbitraryFileIdentifier>"), std::string::npos);
  EXPECT_NE(plain.find("<ResultOfQualificationConfirmation>"), std::string::npos);
  EXPECT_NE(plain.find("<LimitApplicationCertificateRelatedConsFlg>0<"), std::string::npos);

  o.error_code = "EMU0001";
  const std::string error = answer_xml(request, std::nullopt, o);
  EXPECT_NE(error.find("<SegmentOfResult>9</SegmentOfResult>"), std::string::npos);
  EXPECT_NE(error.find("<ErrorCode>EMU0001</ErrorCode>"), std::string::npos);
  EXPECT_EQ(error.find("<MessageBody>"), std::string::npos);

  o.error_code.clear();
  o.shift_jis = true;
  const std::string sjis = answer_xml(request, std::nullopt, o);
  EXPECT_NE(sjis.find("encoding=\"Shift_JIS\""), std::string::npos);
  EXPECT_NE(sjis.find("<CharacterCodeIdentifier>1<"), std::string::npos);
  EXPECT_NE(sjis.find("<QualificationValidity>4<"), std::string::npos);
}

}  // namespace
}  // namespace sandbox::terminal
