// Import of official result XML files: encodings, element order, arrays, hostile input.
#include "gateway/xml_result_import.h"
#include "util/json.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#ifndef ONSHI_TEST_XML_DIR
#error "ONSHI_TEST_XML_DIR must name tests/data/xml"
#endif

namespace {

using onshi::gateway::kMaxResultXmlBytes;
using onshi::gateway::official_json_from_xml;
using onshi::gateway::result_json_from_xml;

std::string fixture(const std::string &name) {
    std::ifstream in(std::string(ONSHI_TEST_XML_DIR) + "/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

rapidjson::Document import(const std::string &bytes) {
    return onshi::json::parse(result_json_from_xml(bytes), "host", ONSHI_E_INTERNAL, {.max_bytes = 16u << 20, .max_depth = 64});
}

const rapidjson::Value &first_result(const rapidjson::Value &doc) {
    return doc["XmlMsg"]["MessageBody"]["ResultList"]["ResultOfQualificationConfirmation"][0];
}

std::string ja(const rapidjson::Value &doc, const char *element) {
    return doc["labels"][element]["ja"].GetString();
}

// The error of importing `bytes`: ONSHI_E_PARSE expected; returns the English detail.
std::string parse_error(const std::string &bytes) {
    try {
        result_json_from_xml(bytes);
    } catch (const onshi::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_PARSE) << e.detail().en;
        EXPECT_FALSE(e.detail().ja.empty());
        return e.detail().en;
    }
    ADD_FAILURE() << "accepted: " << bytes.substr(0, 80);
    return {};
}

TEST(XmlImport, Utf8FaceFileInAnyOrderKeepsValuesExactly) {
    auto doc = import(fixture("face_mynumber_utf8_shuffled.xml"));
    EXPECT_STREQ(doc["verdict"].GetString(), "eligible");
    EXPECT_STREQ(doc["source"].GetString(), "xml");
    EXPECT_FALSE(doc.HasMember("confirmation"));
    const auto &r = first_result(doc);
    EXPECT_STREQ(r["InsurerNumber"].GetString(), "  123456");
    EXPECT_STREQ(r["InsuredCardSymbol"].GetString(), "12-34");
    EXPECT_STREQ(r["InsuredIdentificationNumber"].GetString(), "0098765");
    EXPECT_STREQ(r["InsuredBranchNumber"].GetString(), "00");
    EXPECT_STREQ(r["Name"].GetString(), "診療　次郎");
    EXPECT_STREQ(r["NameKana"].GetString(), "ｼﾝﾘｮｳ ｼﾞﾛｳ");
    EXPECT_STREQ(doc["XmlMsg"]["MessageHeader"]["ArbitraryFileIdentifier"].GetString(), "QmVpc3BpZWwtMDAwMQ==");
    EXPECT_EQ(ja(doc, "QualificationValidity"), "有効");
    EXPECT_EQ(ja(doc, "ReferenceClassification"), "マイナンバーカード");
    EXPECT_EQ(ja(doc, "InsuredCardClassification"), "被保険者証（一般）");
    EXPECT_EQ(ja(doc, "PersonalFamilyClassification"), "本人");
    EXPECT_EQ(ja(doc, "Sex1"), "男");
    EXPECT_EQ(ja(doc, "PharmacistsInfoConsFlg"), "同意あり");
    EXPECT_EQ(ja(doc, "SpecificHealthCheckupsInfoConsFlg"), "同意なし");
    // the document order of the file is kept
    auto it = doc["XmlMsg"]["MessageHeader"].MemberBegin();
    EXPECT_STREQ(it->name.GetString(), "CharacterCodeIdentifier");
}

TEST(XmlImport, ShiftJisElderlyFileIsDecodedAsCp932) {
    auto doc = import(fixture("kourei70_shiftjis.xml"));
    EXPECT_STREQ(doc["verdict"].GetString(), "eligible");
    const auto &r = first_result(doc);
    EXPECT_STREQ(r["Name"].GetString(), "長寿　松男");
    EXPECT_STREQ(r["NameKana"].GetString(), "ﾁｮｳｼﾞｭ ﾏﾂｵ");
    EXPECT_STREQ(r["InsuredCardSymbol"].GetString(), "高齢～①");  // CP932 0x8160 is U+FF5E, 0x8740 is ①
    EXPECT_STREQ(r["Address"].GetString(), "架空県架空郡表示町４－５－６");
    EXPECT_STREQ(r["ElderlyRecipientCertificateInfo"]["ElderlyRecipientContributionRatio"].GetString(), "020");
    EXPECT_EQ(ja(doc, "ElderlyRecipientContributionRatio"), "2割");
    EXPECT_STREQ(doc["labels"]["ElderlyRecipientContributionRatio"]["en"].GetString(), "20%");
    EXPECT_EQ(ja(doc, "CharacterCodeIdentifier"), "Shift_JIS");
}

TEST(XmlImport, ShiftJisWithoutDeclarationFollowsCharacterCodeIdentifier) {
    std::string sjis = fixture("kourei70_shiftjis.xml");
    const std::size_t decl_end = sjis.find("?>") + 2;
    std::string no_decl = sjis.substr(decl_end);
    auto doc = import(no_decl);
    EXPECT_STREQ(first_result(doc)["Name"].GetString(), "長寿　松男");
    // declared UTF-8 but written in Shift_JIS, as CharacterCodeIdentifier 1 says: still read
    std::string wrong_decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + no_decl;
    EXPECT_STREQ(first_result(import(wrong_decl))["Name"].GetString(), "長寿　松男");
    // without either hint, Shift_JIS bytes are not UTF-8: a clear error naming the line
    std::string no_hint = no_decl;
    no_hint.replace(no_hint.find("<CharacterCodeIdentifier>1<"), 27, "<CharacterCodeIdentifier>0<");
    EXPECT_NE(parse_error(no_hint).find("not valid UTF-8"), std::string::npos);
    EXPECT_NE(parse_error(no_hint).find("line "), std::string::npos);
}

TEST(XmlImport, InvalidWithReasonOfLoss) {
    auto doc = import(fixture("invalid_loss_validity2.xml"));
    EXPECT_STREQ(doc["verdict"].GetString(), "not_eligible");
    EXPECT_EQ(ja(doc, "QualificationValidity"), "無効");
    EXPECT_EQ(ja(doc, "ReasonOfLoss"), "医療保険等の資格取得");
    EXPECT_STREQ(first_result(doc)["DisqualificationDate"].GetString(), "20261031");
    EXPECT_STREQ(first_result(doc)["InsurerNumber"].GetString(), "  138057");
}

TEST(XmlImport, NotFoundWithoutResultList) {
    auto doc = import(fixture("notfound_validity4.xml"));
    EXPECT_STREQ(doc["verdict"].GetString(), "not_eligible");
    EXPECT_EQ(ja(doc, "QualificationValidity"), "該当資格なし");
    EXPECT_FALSE(doc["XmlMsg"]["MessageBody"].HasMember("ResultList"));
}

TEST(XmlImport, ErrorSegment9IsAFailureThatKeepsTheCodeAndMessage) {
    // A file's existence is no success: SegmentOfResult 9 fails the import, with the file's own
    // ErrorCode and ErrorMessage in the message.
    try {
        import(fixture("error_segment9.xml"));
        ADD_FAILURE() << "a result whose processing failed was imported as a result";
    } catch (const onshi::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_ELIGIBILITY_ERROR);
        EXPECT_NE(e.detail().en.find("SegmentOfResult 9 (Failed)"), std::string::npos) << e.detail().en;
        EXPECT_NE(e.detail().en.find("ErrorCode XX9999: システムエラーが発生しました（テスト用）"), std::string::npos) << e.detail().en;
        EXPECT_NE(e.detail().ja.find("XX9999"), std::string::npos);
    }
    // The official elements themselves are still readable as data (official_json_from_xml).
    auto official = onshi::json::parse(official_json_from_xml(fixture("error_segment9.xml")), "official", ONSHI_E_INTERNAL);
    EXPECT_STREQ(official["XmlMsg"]["MessageHeader"]["ErrorCode"].GetString(), "XX9999");
}

TEST(XmlImport, ProcessingResultStatus2IsAFailure) {
    const std::string xml =
        "<XmlMsg><MessageHeader><SegmentOfResult>1</SegmentOfResult></MessageHeader><MessageBody>"
        "<ProcessingResultStatus>2</ProcessingResultStatus><ProcessingResultCode>EPRS01</ProcessingResultCode>"
        "<ProcessingResultMessage>該当者の処理に失敗しました</ProcessingResultMessage>"
        "<QualificationValidity>1</QualificationValidity></MessageBody></XmlMsg>";
    try {
        import(xml);
        ADD_FAILURE() << "ProcessingResultStatus 2 was imported as a result";
    } catch (const onshi::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_ELIGIBILITY_ERROR);
        EXPECT_NE(e.detail().en.find("ProcessingResultStatus 2 (Error), ProcessingResultCode EPRS01: 該当者の処理に失敗しました"),
                  std::string::npos)
            << e.detail().en;
    }
    // No SegmentOfResult at all is no success either.
    try {
        import("<XmlMsg><MessageHeader><ReferenceClassification>1</ReferenceClassification></MessageHeader><MessageBody/></XmlMsg>");
        ADD_FAILURE() << "a result without SegmentOfResult was imported";
    } catch (const onshi::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_ELIGIBILITY_ERROR);
        EXPECT_NE(e.detail().en.find("SegmentOfResult (none)"), std::string::npos) << e.detail().en;
    }
}

// 医療扶助 (docs/public-assistance.md): every MedicalTicketInfo element kept as written and labelled
// where it is coded; the 公費負担者番号 / 受給者番号 check digits give notices, never a refusal.
TEST(XmlImport, MedicalAidKeepsEveryPublicExpenseElement) {
    auto doc = import(fixture("medical_aid_A1.xml"));
    EXPECT_STREQ(doc["verdict"].GetString(), "eligible");
    EXPECT_EQ(ja(doc, "InsuredCardClassification"), "医療扶助");
    const auto &r = doc["XmlMsg"]["MessageBody"]["ResultList"]["ResultOfQualificationConfirmation"][0];
    EXPECT_STREQ(r["InsurerNumber"].GetString(), "12132015");
    EXPECT_STREQ(r["InsuredIdentificationNumber"].GetString(), "5808084");
    const auto &tickets = r["PublicExpenseResultList"]["MedicalTicketInfo"];
    ASSERT_TRUE(tickets.IsArray());
    ASSERT_EQ(tickets.Size(), 2u);
    const char *elements[] = {"TicketType", "MedicalTicketValidDate", "MedicalTicketExpirationDate", "IssueNumber",
                              "MedicalTreatmentMonth", "DesignatedMedicalInstitutionCode",
                              "DesignatedMedicalInstitutionFlag", "DesignatedMedicalInstitutionName",
                              "PrescriptionIssuerMedicalInstitutionCode", "PrescriptionIssuerMedicalInstitutionName",
                              "InjuryName1", "InjuryName2", "InjuryName3", "MedicalTreatmentType", "SelfPayAmount",
                              "DistrictContactName", "HandlingContactName", "SingleOrCombinedUse",
                              "StatusOfSocialInsurance", "ConsistencyFlag", "StatusOfInfecton",
                              "StatusOfElderlyMedicalCare", "StatusOfPrefecturalExpenses", "Remarks1", "Remarks2",
                              "Remarks3"};
    for (const auto &t : tickets.GetArray()) {
        EXPECT_EQ(t.MemberCount(), std::size(elements));
        for (const char *e : elements) EXPECT_TRUE(t.HasMember(e) && t[e].IsString()) << e;
    }
    EXPECT_STREQ(tickets[1]["SelfPayAmount"].GetString(), "1200");
    // Labels of the coded elements, one per ticket in document order.
    const auto &labels = doc["labels"];
    auto ja_at = [&](const char *element, rapidjson::SizeType i) { return std::string(labels[element][i]["ja"].GetString()); };
    EXPECT_EQ(ja_at("TicketType", 0), "医療券");
    EXPECT_EQ(ja_at("TicketType", 1), "調剤券");
    EXPECT_EQ(ja_at("MedicalTreatmentType", 0), "入院外");
    EXPECT_EQ(ja_at("MedicalTreatmentType", 1), "調剤");
    EXPECT_EQ(ja_at("DesignatedMedicalInstitutionFlag", 0), "一致");
    EXPECT_EQ(ja_at("SingleOrCombinedUse", 0), "単独");
    EXPECT_EQ(ja_at("StatusOfSocialInsurance", 0), "なし");
    EXPECT_EQ(ja_at("ConsistencyFlag", 0), "不整合あり");
    EXPECT_EQ(ja_at("StatusOfInfecton", 0), "なし");
    EXPECT_EQ(ja_at("StatusOfElderlyMedicalCare", 0), "なし");
    EXPECT_EQ(ja_at("StatusOfPrefecturalExpenses", 0), "あり");
    EXPECT_FALSE(doc.HasMember("notices"));
}

TEST(XmlImport, MedicalAidCheckDigitsGiveNotices) {
    // The registration routine is handed in by the layers above; here a plain mod-10 stands in.
    auto mod10 = [](std::string_view digits) {
        int sum = 0;
        bool twice = true;
        for (auto it = digits.rbegin() + 1; it != digits.rend(); ++it, twice = !twice) {
            const int d = (*it - '0') * (twice ? 2 : 1);
            sum += d / 10 + d % 10;
        }
        return (10 - sum % 10) % 10 == digits.back() - '0';
    };
    auto parse = [](const std::string &json) {
        return onshi::json::parse(json, "host", ONSHI_E_INTERNAL, {.max_bytes = 16u << 20, .max_depth = 64});
    };
    EXPECT_FALSE(parse(result_json_from_xml(fixture("medical_aid_A1.xml"), mod10)).HasMember("notices"));
    auto bad = parse(result_json_from_xml(fixture("medical_aid_A1_bad_check_digits.xml"), mod10));
    EXPECT_STREQ(bad["verdict"].GetString(), "eligible");
    ASSERT_TRUE(bad.HasMember("notices"));
    ASSERT_EQ(bad["notices"].Size(), 2u);
    EXPECT_STREQ(bad["notices"][0]["code"].GetString(), "PUBLIC_EXPENSE_NUMBER_CHECK_DIGIT");
    EXPECT_STREQ(bad["notices"][1]["code"].GetString(), "BENEFICIARY_NUMBER_CHECK_DIGIT");
}

TEST(XmlImport, LimitCertificateAndSearchInfoEcho) {
    auto doc = import(fixture("hihokensho_limitcert_A03.xml"));
    EXPECT_STREQ(doc["verdict"].GetString(), "eligible");
    EXPECT_EQ(ja(doc, "ReferenceClassification"), "被保険者証情報");
    EXPECT_EQ(ja(doc, "LimitApplicationCertificateClassification"), "限度額適用認定証");
    EXPECT_EQ(ja(doc, "LimitApplicationCertificateClassificationFlag"), "ウ");
    EXPECT_EQ(ja(doc, "PersonalFamilyClassification"), "家族");
    EXPECT_EQ(ja(doc, "PrescriptionIssueSelect"), "紙の処方箋");
    EXPECT_EQ(ja(doc, "SpecificDiseasesDiseaseCategory"), "人工透析を必要とする慢性腎不全");
    // consent flag appears twice (echo and result): one label per occurrence
    ASSERT_TRUE(doc["labels"]["LimitApplicationCertificateRelatedConsFlg"].IsArray());
    EXPECT_EQ(doc["labels"]["LimitApplicationCertificateRelatedConsFlg"].Size(), 2u);
    const auto &r = first_result(doc);
    EXPECT_STREQ(r["InsuredBranchNumber"].GetString(), "02");
    EXPECT_STREQ(r["LimitApplicationCertificateRelatedInfo"]["LimitApplicationCertificateLongTermDate"].GetString(), "");
    // the list keeps its wrapper; the info inside is always an array
    ASSERT_TRUE(r["SpecificDiseasesCertificateList"]["SpecificDiseasesCertificateInfo"].IsArray());
    EXPECT_STREQ(r["SpecificDiseasesCertificateList"]["SpecificDiseasesCertificateInfo"][0]["SpecificDiseasesSelfPay"].GetString(),
                 "10000");
}

TEST(XmlImport, MissingOptionalBlocksAreFine) {
    auto doc = import(fixture("minimal_no_optional_blocks.xml"));
    EXPECT_STREQ(doc["verdict"].GetString(), "eligible");
    EXPECT_EQ(ja(doc, "InsuredPartialContributionRatio"), "1割");
    EXPECT_FALSE(doc["labels"].HasMember("PersonalFamilyClassification"));  // empty for 後期高齢者
    EXPECT_STREQ(first_result(doc)["PersonalFamilyClassification"].GetString(), "");
}

TEST(XmlImport, RepeatedElementsBecomeArrays) {
    auto doc = import(
        "<XmlMsg><MessageHeader><SegmentOfResult>1</SegmentOfResult></MessageHeader><MessageBody>"
        "<ProcessingResultStatus>1</ProcessingResultStatus><QualificationValidity>5</QualificationValidity><ResultList>"
        "<ResultOfQualificationConfirmation><InsurerNumber>01</InsurerNumber></ResultOfQualificationConfirmation>"
        "<ResultOfQualificationConfirmation><InsurerNumber>02</InsurerNumber></ResultOfQualificationConfirmation>"
        "</ResultList><SpecificDiseasesCertificateList><SpecificDiseasesDiseaseCategory>1</SpecificDiseasesDiseaseCategory>"
        "</SpecificDiseasesCertificateList><SpecificDiseasesCertificateList><SpecificDiseasesDiseaseCategory>3"
        "</SpecificDiseasesDiseaseCategory></SpecificDiseasesCertificateList></MessageBody></XmlMsg>");
    EXPECT_STREQ(doc["verdict"].GetString(), "needs_attention");
    EXPECT_EQ(doc["XmlMsg"]["MessageBody"]["ResultList"]["ResultOfQualificationConfirmation"].Size(), 2u);
    ASSERT_TRUE(doc["XmlMsg"]["MessageBody"]["SpecificDiseasesCertificateList"].IsArray());
    EXPECT_EQ(doc["labels"]["SpecificDiseasesDiseaseCategory"].Size(), 2u);
    EXPECT_EQ(ja(doc, "QualificationValidity"), "複数該当");
}

TEST(XmlImport, OfficialJsonHasTheGatewayShape) {
    auto doc = onshi::json::parse(official_json_from_xml(fixture("face_mynumber_utf8_shuffled.xml")), "official",
                                  ONSHI_E_INTERNAL, {.max_bytes = 1 << 20, .max_depth = 64});
    ASSERT_EQ(doc.MemberCount(), 1u);
    EXPECT_TRUE(doc["XmlMsg"]["MessageBody"]["ResultList"]["ResultOfQualificationConfirmation"].IsArray());
}

TEST(XmlImport, MalformedInputIsAParseErrorNamingWhere) {
    const std::string good = fixture("face_mynumber_utf8_shuffled.xml");
    // truncated
    std::string truncated = parse_error(good.substr(0, good.size() / 2));
    EXPECT_NE(truncated.find("line "), std::string::npos) << truncated;
    // wrong root
    EXPECT_NE(parse_error("<?xml version=\"1.0\"?><Other><MessageHeader/></Other>").find("<Other>"), std::string::npos);
    EXPECT_NE(parse_error("<XmlMsg>text only</XmlMsg>").find("XmlMsg"), std::string::npos);
    EXPECT_NE(parse_error("<XmlMsg><MessageBody/></XmlMsg>").find("MessageHeader"), std::string::npos);
    parse_error("<XmlMsg><MessageHeader/></XmlMsg><XmlMsg/>");
    parse_error("");
    parse_error("   ");
    parse_error("not xml at all");
    parse_error("\xFF\xFE<\0X\0");
    // binary garbage
    std::string garbage;
    unsigned x = 12345;
    for (int i = 0; i < 4096; ++i) {
        x = x * 1103515245u + 12345u;
        garbage.push_back(static_cast<char>(x >> 16));
    }
    parse_error(garbage);
    parse_error("<XmlMsg>" + garbage + "</XmlMsg>");
    // invalid bytes in a declared Shift_JIS file
    parse_error("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><XmlMsg><MessageHeader><A>\x81</A></MessageHeader></XmlMsg>");
    // unsupported declared encoding
    EXPECT_NE(parse_error("<?xml version=\"1.0\" encoding=\"KOI8-R\"?><XmlMsg/>").find("KOI8-R"), std::string::npos);
}

TEST(XmlImport, HugeInputIsRefusedBeforeParsing) {
    std::string huge = "<XmlMsg><MessageHeader><SegmentOfResult>1</SegmentOfResult></MessageHeader><MessageBody><A>";
    huge.append(kMaxResultXmlBytes, 'x');
    huge += "</A></MessageBody></XmlMsg>";
    EXPECT_NE(parse_error(huge).find("larger than"), std::string::npos);
    // just below the limit, many siblings: accepted in reasonable time
    std::string many = "<XmlMsg><MessageHeader><SegmentOfResult>1</SegmentOfResult></MessageHeader><MessageBody>";
    for (int i = 0; many.size() < kMaxResultXmlBytes - 64; ++i) many += "<E" + std::to_string(i % 50000) + ">1</E" + std::to_string(i % 50000) + ">";
    many += "</MessageBody></XmlMsg>";
    auto doc = import(many);
    EXPECT_STREQ(doc["verdict"].GetString(), "needs_attention");
}

TEST(XmlImport, DeepNestingIsRefusedWithoutRecursion) {
    std::string deep = "<XmlMsg><MessageHeader/>";
    for (int i = 0; i < 10000; ++i) deep += "<a>";
    for (int i = 0; i < 10000; ++i) deep += "</a>";
    deep += "</XmlMsg>";
    EXPECT_NE(parse_error(deep).find("nested deeper"), std::string::npos);
    // unclosed, too
    std::string open = "<XmlMsg>";
    for (int i = 0; i < 10000; ++i) open += "<a>";
    parse_error(open);
}

TEST(XmlImport, DoctypeAndEntitiesAreRefused) {
    const std::string bomb =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE XmlMsg [\n<!ENTITY a \"aaaaaaaaaa\">\n<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
        "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n]>\n<XmlMsg><MessageHeader><SegmentOfResult>&c;</SegmentOfResult>"
        "</MessageHeader></XmlMsg>";
    EXPECT_NE(parse_error(bomb).find("DOCTYPE"), std::string::npos);
    parse_error("<!DOCTYPE XmlMsg SYSTEM \"file:///etc/passwd\"><XmlMsg><MessageHeader/></XmlMsg>");
    // an undeclared entity reference is not expanded; the predefined ones are
    auto doc = import("<XmlMsg><MessageHeader><SegmentOfResult>1</SegmentOfResult><ErrorMessage>&lt;&amp;&gt;</ErrorMessage>"
                      "</MessageHeader></XmlMsg>");
    EXPECT_STREQ(doc["XmlMsg"]["MessageHeader"]["ErrorMessage"].GetString(), "<&>");
}

TEST(XmlImport, Utf8BomAndCrLfAndCdata) {
    std::string text = "\xEF\xBB\xBF<?xml version='1.0' encoding='utf-8'?>\r\n<XmlMsg>\r\n<MessageHeader>\r\n"
                       "<SegmentOfResult>1</SegmentOfResult><ErrorMessage><![CDATA[a<b]]></ErrorMessage>"
                       "<Blank>  </Blank></MessageHeader>\r\n</XmlMsg>\r\n";
    auto doc = import(text);
    EXPECT_STREQ(doc["XmlMsg"]["MessageHeader"]["ErrorMessage"].GetString(), "a<b");
    EXPECT_STREQ(doc["XmlMsg"]["MessageHeader"]["Blank"].GetString(), "  ");
}

}  // namespace
