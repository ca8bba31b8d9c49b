// Import of the マイナ資格確認アプリ's result text: labels in any order and spelling, 和暦, sections,
// unknown lines kept, texts that are no result refused without their values in the message.
#include "gateway/app_text_import.h"
#include "util/error.h"
#include "util/json.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using onshi::gateway::kMaxAppTextBytes;
using onshi::gateway::result_json_from_app_text;

rapidjson::Document import(const std::string &text) {
    return onshi::json::parse(result_json_from_app_text(text), "host", ONSHI_E_INTERNAL, {.max_bytes = 16u << 20, .max_depth = 64});
}

const rapidjson::Value &first_result(const rapidjson::Value &doc) {
    return doc["XmlMsg"]["MessageBody"]["ResultList"]["ResultOfQualificationConfirmation"][0];
}

std::string parse_error(const std::string &text) {
    try {
        result_json_from_app_text(text);
    } catch (const onshi::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_PARSE) << e.detail().en;
        EXPECT_FALSE(e.detail().ja.empty());
        return e.detail().en;
    }
    ADD_FAILURE() << "accepted: " << text.substr(0, 80);
    return {};
}

// A fictitious person, as the app's result reads (docs/folder-interface.md §App text).
const std::string kText =
    "氏名：試験　太郎\n"
    "フリガナ：シケン　タロウ\n"
    "生年月日：昭和55年2月17日\n"
    "性別：男\n"
    "保険者番号：06130488\n"
    "記号：１２３４\n"
    "番号：５６７\n"
    "枝番：00\n"
    "本人・家族の別：本人\n"
    "被保険者氏名：試験　太郎\n"
    "資格取得年月日：平成30年4月1日\n"
    "有効開始日：平成30年4月1日\n"
    "有効終了日：令和元年5月1日\n"
    "保険者名：架空電機健康保険組合\n"
    "確認日：令和8年12月5日\n"
    "限度額適用認定証\n"
    "区分：ウ\n"
    "有効開始年月日：令和7年8月1日\n"
    "有効終了年月日：令和9年7月31日\n";

TEST(AppTextImport, TheDocumentedFieldsBecomeOfficialElements) {
    const auto doc = import(kText);
    EXPECT_STREQ(doc["verdict"].GetString(), "eligible");
    EXPECT_STREQ(doc["source"].GetString(), "app_text");
    const auto &r = first_result(doc);
    EXPECT_STREQ(r["Name"].GetString(), "試験　太郎");
    EXPECT_STREQ(r["NameKana"].GetString(), "シケン　タロウ");
    EXPECT_STREQ(r["Birthdate"].GetString(), "19800217");
    EXPECT_STREQ(r["Sex1"].GetString(), "1");
    EXPECT_STREQ(r["InsurerNumber"].GetString(), "06130488");
    EXPECT_STREQ(r["InsuredCardSymbol"].GetString(), "１２３４");  // as copied: official values may be full-width
    EXPECT_STREQ(r["InsuredIdentificationNumber"].GetString(), "５６７");
    EXPECT_STREQ(r["InsuredBranchNumber"].GetString(), "00");
    EXPECT_STREQ(r["PersonalFamilyClassification"].GetString(), "1");
    EXPECT_STREQ(r["InsuredName"].GetString(), "試験　太郎");
    EXPECT_STREQ(r["QualificationDate"].GetString(), "20180401");
    EXPECT_STREQ(r["InsuredCardValidDate"].GetString(), "20180401");
    EXPECT_STREQ(r["InsuredCardExpirationDate"].GetString(), "20190501");
    EXPECT_STREQ(r["InsurerName"].GetString(), "架空電機健康保険組合");
    const auto &limit = r["LimitApplicationCertificateRelatedInfo"];
    EXPECT_STREQ(limit["LimitApplicationCertificateClassificationFlag"].GetString(), "A03");
    EXPECT_STREQ(limit["LimitApplicationCertificateValidStartDate"].GetString(), "20250801");
    EXPECT_STREQ(limit["LimitApplicationCertificateValidEndDate"].GetString(), "20270731");
    EXPECT_FALSE(limit.HasMember("LimitApplicationCertificateClassification"));  // the text does not say it
    EXPECT_STREQ(doc["XmlMsg"]["MessageHeader"]["QualificationConfirmationDate"].GetString(), "20261205");
    EXPECT_STREQ(doc["labels"]["LimitApplicationCertificateClassificationFlag"]["ja"].GetString(), "ウ");
    // What onshi filled in is said, and no line was left over.
    const auto &inferred = doc["app_text"]["inferred"];
    ASSERT_EQ(inferred.Size(), 3u);
    EXPECT_STREQ(inferred[2].GetString(), "QualificationValidity");
    EXPECT_EQ(doc["app_text"]["unmapped"].Size(), 0u);
}

TEST(AppTextImport, AnyOrderAnySeparatorAnyLineEndGiveTheSameResult) {
    const std::string reference = onshi::json::serialize(import(kText)["XmlMsg"]);
    // Reversed lines (the section's lines stay after their heading), CRLF, tabs, half-width
    // colons, spaces only, decorated labels.
    const std::string shuffled =
        "確認日\t令和8年12月5日\r\n"
        "【保険者名】 架空電機健康保険組合\r\n"
        "有効終了日:令和元年5月1日\r\n"
        "有効開始日 : 平成30年4月1日\r\n"
        "資格取得年月日　平成30年4月1日\r\n"
        "被保険者氏名：試験　太郎\r\n"
        "本人・家族の別：本人\r\n"
        "枝番：００\r\n"
        "番号：５６７\r\n"
        "記号：１２３４\r\n"
        "保険者番号：０６１３０４８８\r\n"
        "性別：男性\r\n"
        "生年月日：S55.2.17\r\n"
        "フリガナ：シケン　タロウ\r\n"
        "氏名：試験　太郎\r\n"
        "\r\n"
        "■限度額適用認定証\r\n"
        "有効終了年月日：令和9年7月31日\r\n"
        "有効開始年月日：令和７年８月１日\r\n"
        "区分：ウ\r\n";
    EXPECT_EQ(onshi::json::serialize(import(shuffled)["XmlMsg"]), reference);
}

TEST(AppTextImport, UnknownLinesAreKeptWithTheirSection) {
    const auto doc = import("マイナ資格確認アプリ 確認結果\n" + kText + "特記事項：テスト用\n");
    const auto &unmapped = doc["app_text"]["unmapped"];
    ASSERT_EQ(unmapped.Size(), 2u);
    EXPECT_EQ(unmapped[0]["line"].GetInt(), 1);
    EXPECT_STREQ(unmapped[0]["label"].GetString(), "マイナ資格確認アプリ 確認結果");
    EXPECT_STREQ(unmapped[1]["label"].GetString(), "特記事項");
    EXPECT_STREQ(unmapped[1]["value"].GetString(), "テスト用");
    EXPECT_STREQ(unmapped[1]["section"].GetString(), "限度額適用認定証");
    EXPECT_EQ(unmapped[1]["line"].GetInt(), 21);
}

TEST(AppTextImport, ASecondValueForTheSameFieldIsKeptNotMerged) {
    const auto doc = import(kText + "氏名：別の　名前\n");
    EXPECT_STREQ(first_result(doc)["Name"].GetString(), "試験　太郎");
    EXPECT_STREQ(doc["app_text"]["unmapped"][0]["value"].GetString(), "別の　名前");
}

TEST(AppTextImport, ElderlySectionRatiosAndValidityFromTheText) {
    const auto doc = import(
        "氏名：試験　一郎\n生年月日：昭和30年1月1日\n保険者番号：１３８０５７\n一部負担金割合：1割\n"
        "資格有効性：無効\n高齢受給者証\n一部負担金割合：２割\n有効開始年月日：令和6年7月1日\n");
    EXPECT_STREQ(doc["verdict"].GetString(), "not_eligible");
    const auto &r = first_result(doc);
    EXPECT_STREQ(r["InsurerNumber"].GetString(), "138057");
    EXPECT_STREQ(r["InsuredPartialContributionRatio"].GetString(), "010");
    EXPECT_STREQ(r["ElderlyRecipientCertificateInfo"]["ElderlyRecipientContributionRatio"].GetString(), "020");
    EXPECT_STREQ(r["ElderlyRecipientCertificateInfo"]["ElderlyRecipientValidStartDate"].GetString(), "20240701");
    EXPECT_STREQ(doc["XmlMsg"]["MessageBody"]["QualificationValidity"].GetString(), "2");
    EXPECT_EQ(doc["app_text"]["inferred"].Size(), 2u);
}

TEST(AppTextImport, NothingShownMeansNoElement) {
    const auto doc = import(kText + "資格喪失年月日：なし\n住所：\n");
    EXPECT_FALSE(first_result(doc).HasMember("DisqualificationDate"));
    EXPECT_FALSE(first_result(doc).HasMember("Address"));
}

TEST(AppTextImport, BadValuesNameTheLineAndLabelButNeverTheValue) {
    std::string bad = kText;
    bad.replace(bad.find("昭和55年2月17日"), std::string("昭和55年2月17日").size(), "昭和55年2月30日");
    std::string message = parse_error(bad);
    EXPECT_NE(message.find("line 3 (生年月日)"), std::string::npos) << message;
    EXPECT_EQ(message.find("55"), std::string::npos) << message;
    message = parse_error("保険者番号：0613O488\n氏名：試験　太郎\n");
    EXPECT_NE(message.find("保険者番号"), std::string::npos) << message;
    EXPECT_EQ(message.find("0613"), std::string::npos) << message;
    EXPECT_NE(parse_error("保険者番号：06130488\n氏名：試験　太郎\n性別：不明\n").find("性別"), std::string::npos);
}

TEST(AppTextImport, WhatIsNoResultIsRefused) {
    EXPECT_NE(parse_error("").find("empty"), std::string::npos);
    EXPECT_NE(parse_error(" \r\n\t\n").find("empty"), std::string::npos);
    EXPECT_NE(parse_error("今日の予約一覧\n田中様 10:00\n").find("not a result"), std::string::npos);
    EXPECT_NE(parse_error("保険者番号：06130488\n").find("not a result"), std::string::npos);  // nobody
    EXPECT_NE(parse_error("氏名：試験　太郎\n生年月日：昭和55年2月17日\n").find("not a result"), std::string::npos);
    EXPECT_NE(parse_error("<?xml version=\"1.0\"?><XmlMsg/>").find("not a result"), std::string::npos);
    EXPECT_NE(parse_error("\x8e\x81\x96\xbc\x81\x46").find("not UTF-8"), std::string::npos);  // Shift_JIS 氏名：
    EXPECT_NE(parse_error(std::string("氏名：a\0b\n", 11)).find("control"), std::string::npos);
    EXPECT_NE(parse_error(std::string(kMaxAppTextBytes + 1, 'a')).find("larger"), std::string::npos);
    EXPECT_NE(parse_error(std::string(3000, '\n')).find("lines"), std::string::npos);
}

TEST(AppTextImport, ABomAndOldMacLineEndsAreFine) {
    const auto doc = import("\xEF\xBB\xBF保険者番号：06130488\r氏名：試験　太郎\r生年月日：令和元年5月1日");
    EXPECT_STREQ(first_result(doc)["Birthdate"].GetString(), "20190501");
}

}  // namespace
