// 保険者番号, 公費負担者番号, 受給者番号 and 医療機関等コード: formats, check digits, the report.
#include "registration/check_digit.h"
#include "registration/number_validation.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <random>
#include <string>

using namespace onshi::registration;

namespace {

// "field:code" of every error, in order.
std::string errors(const Report &r) {
    std::string s;
    for (const Issue &e : r.errors) s += (s.empty() ? "" : " ") + e.field + ":" + e.code;
    return s;
}
std::string warnings(const Report &r) {
    std::string s;
    for (const Issue &e : r.warnings) s += (s.empty() ? "" : " ") + e.field + ":" + e.code;
    return s;
}
void expect_bilingual(const Report &r) {
    for (const auto *list : {&r.errors, &r.warnings})
        for (const Issue &e : *list) {
            EXPECT_FALSE(e.message.en.empty()) << e.field;
            EXPECT_FALSE(e.message.ja.empty()) << e.field;
            EXPECT_NE(e.message.ja, e.message.en) << e.field;
        }
}
std::string with_check(const std::string &body) { return body + static_cast<char>('0' + *check_digit(body)); }

Report insurer(const std::string &v, bool koukikourei = false) {
    Report r;
    check_insurer_number(v, "insurer_number", r, koukikourei);
    expect_bilingual(r);
    return r;
}
Report institution(const std::string &v) {
    Report r;
    check_institution_code(v, "institution_code", r);
    expect_bilingual(r);
    return r;
}

}  // namespace

TEST(InsurerNumber, WorkedExamplesAreValid) {
    for (const char *v : {"06130488", "33120015", "138057"}) {
        const Report r = insurer(v);
        EXPECT_TRUE(r.valid()) << v << ": " << errors(r);
        EXPECT_TRUE(r.warnings.empty()) << v << ": " << warnings(r);
    }
}

TEST(InsurerNumber, SpacePaddedKokuhoIsTrimmedAndSaysSo) {
    const Report ok = insurer("  138057");  // as results pad 国保 numbers to 8
    EXPECT_TRUE(ok.valid()) << errors(ok);
    EXPECT_EQ(warnings(ok), "insurer_number:trimmed");
    const Report bad = insurer("  138058");
    EXPECT_EQ(errors(bad), "insurer_number:check_digit");
    EXPECT_NE(bad.errors[0].message.en.find("spaces were removed"), std::string::npos);
    EXPECT_NE(bad.errors[0].message.ja.find("空白を除いて"), std::string::npos);
    EXPECT_TRUE(insurer("138057\xE3\x80\x80").valid());  // a trailing full-width space
}

TEST(InsurerNumber, FormatErrors) {
    EXPECT_EQ(errors(insurer("")), "insurer_number:required");
    EXPECT_EQ(errors(insurer("   ")), "insurer_number:required");
    EXPECT_EQ(errors(insurer("0613048")), "insurer_number:format");    // 7 digits
    EXPECT_EQ(errors(insurer("061304888")), "insurer_number:format");  // 9 digits
    EXPECT_EQ(errors(insurer("0613-048")), "insurer_number:format");
    EXPECT_EQ(errors(insurer("13 8057")), "insurer_number:format");    // inner space is not padding
    EXPECT_EQ(errors(insurer("０６１３０４８８")), "insurer_number:format");
}

TEST(InsurerNumber, PrefectureAndCheckDigit) {
    EXPECT_EQ(errors(insurer("06130487")), "insurer_number:check_digit");
    EXPECT_EQ(errors(insurer(with_check("0600001"))), "insurer_number:prefecture");  // 都道府県 00
    EXPECT_EQ(errors(insurer(with_check("0648001"))), "insurer_number:prefecture");  // 48
    EXPECT_EQ(errors(insurer(with_check("0650001"))), "insurer_number:prefecture");  // 50
    EXPECT_EQ(errors(insurer(with_check("0698001"))), "insurer_number:prefecture");  // 98
    EXPECT_TRUE(insurer(with_check("0651001")).valid());                            // alternate of 01
    EXPECT_TRUE(insurer(with_check("0697001")).valid());                            // alternate of 47
    EXPECT_EQ(errors(insurer(with_check("48001"))), "insurer_number:prefecture");    // 国保: first two
    EXPECT_EQ(errors(insurer("06000010")), "insurer_number:prefecture insurer_number:check_digit");  // all at once
}

TEST(InsurerNumber, KoukikoureiNeedsHoubetsu39AndEightDigits) {
    EXPECT_TRUE(insurer(with_check("3913001"), true).valid());
    EXPECT_EQ(errors(insurer("06130488", true)), "insurer_number:houbetsu");
    EXPECT_EQ(errors(insurer("138057", true)), "insurer_number:format");
    EXPECT_TRUE(insurer(with_check("3913001")).valid());  // 39 is fine without the flag too
}

TEST(PublicExpenseAndRecipient, FormatsAndCheckDigits) {
    Report r;
    check_public_expense_number("54016027", "public_expense_number", r);
    check_recipient_number(with_check("123456"), "recipient_number", r);
    EXPECT_TRUE(r.valid()) << errors(r);
    Report bad;
    check_public_expense_number("54016028", "public_expense_number", bad);
    check_public_expense_number(with_check("5400602"), "p2", bad);
    check_public_expense_number("5401602", "p3", bad);
    check_recipient_number("12345678", "recipient_number", bad);
    std::string wrong = with_check("123456");
    wrong.back() = static_cast<char>('0' + (wrong.back() - '0' + 1) % 10);
    check_recipient_number(wrong, "r2", bad);
    expect_bilingual(bad);
    EXPECT_EQ(errors(bad), "public_expense_number:check_digit p2:prefecture p3:format recipient_number:format r2:check_digit");
}

TEST(InstitutionCode, WorkedExamplesAndEveryChangedDigit) {
    EXPECT_TRUE(institution("3410712362").valid());
    EXPECT_TRUE(institution("3410712362").warnings.empty());
    EXPECT_TRUE(institution("0110113719").valid());
    const std::string code = "3410712362";
    for (std::size_t i = 0; i < code.size(); ++i)
        for (char d = '0'; d <= '9'; ++d) {
            if (d == code[i]) continue;
            std::string changed = code;
            changed[i] = d;
            EXPECT_FALSE(institution(changed).valid()) << changed;
        }
}

TEST(InstitutionCode, PartsAreChecked) {
    EXPECT_EQ(errors(institution(with_check("481071236"))), "institution_code:prefecture");
    EXPECT_EQ(errors(institution(with_check("001071236"))), "institution_code:prefecture");
    EXPECT_EQ(errors(institution(with_check("511071236"))), "institution_code:prefecture");  // no alternates here
    EXPECT_EQ(errors(institution(with_check("342071236"))), "institution_code:score_table");
    EXPECT_EQ(errors(institution(with_check("346071236"))), "institution_code:score_table");
    EXPECT_TRUE(institution(with_check("343073236")).valid());  // 歯科
    EXPECT_TRUE(institution(with_check("344074236")).valid());  // 調剤
    EXPECT_EQ(errors(institution("341071236")), "institution_code:format");
    EXPECT_EQ(errors(institution("34-1-0712362")), "institution_code:format");
    EXPECT_EQ(errors(institution("")), "institution_code:required");
}

TEST(InstitutionCode, UnusualNumbersWarnButPass) {
    const Report out_of_range = institution(with_check("341073236"));  // 医科 with 3236
    EXPECT_TRUE(out_of_range.valid());
    EXPECT_EQ(warnings(out_of_range), "institution_code:unusual_number");
    const Report ninety = institution(with_check("341071290"));  // last two digits 90: never issued
    EXPECT_TRUE(ninety.valid());
    EXPECT_EQ(warnings(ninety), "institution_code:unusual_number");
}

TEST(InstitutionCode, PreSeventySixCodesOfKantoWarnRatherThanFail) {
    // 東京 (13): a check digit computed over the 7-digit code only.
    const std::string seven = with_check("071236");
    const std::string code = "131" + seven;
    ASSERT_FALSE(check_digit_ok(code));
    const Report r = institution(code);
    EXPECT_TRUE(r.valid()) << errors(r);
    EXPECT_EQ(warnings(r), "institution_code:check_digit_legacy");
    // Elsewhere the same digits are an error.
    EXPECT_EQ(errors(institution("341" + seven)), "institution_code:check_digit");
}

TEST(InstitutionCode, AsSeparateParts) {
    rapidjson::Document doc;
    auto check = [&](const char *json) {
        doc.Parse(json);
        Report r;
        const std::string code = check_institution_code_value(doc, "institution_code", r);
        expect_bilingual(r);
        return std::make_pair(code, errors(r));
    };
    EXPECT_EQ(check(R"({"prefecture":"34","score_table":"1","code":"0712362"})"), std::make_pair(std::string("3410712362"), std::string()));
    EXPECT_EQ(check(R"({"prefecture":"34","score_table":"1","code":"0712363"})").second, "institution_code:check_digit");
    EXPECT_EQ(check(R"({"prefecture":"4","score_table":"1","code":"071236"})").second,
              "institution_code.prefecture:format institution_code.code:format");
    EXPECT_EQ(check(R"({"score_table":1,"code":"0712362","ward":"07"})").second,
              "institution_code.prefecture:required institution_code.score_table:format institution_code.ward:unknown_field");
    EXPECT_EQ(check("3410712362").second, "institution_code:type");  // a JSON number loses leading zeros
}

// Property: random valid codes pass; any single-digit change fails (outside 11-14, where a change can
// happen to satisfy the pre-1976 7-digit rule and is then only a warning).
TEST(InstitutionCodeProperty, RandomValidCodesAndMutations) {
    std::mt19937 rng(1976);
    std::uniform_int_distribution<int> pref(1, 47), digit(0, 9), table(0, 2), pos(0, 9), delta(1, 9);
    for (int round = 0; round < 1000; ++round) {
        int p = pref(rng);
        if (p >= 11 && p <= 14) p += 10;
        std::string body = (p < 10 ? "0" : "") + std::to_string(p) + "134"[table(rng)];
        for (int i = 0; i < 6; ++i) body += static_cast<char>('0' + digit(rng));
        const std::string code = with_check(body);
        ASSERT_TRUE(institution(code).valid()) << code;
        std::string mutated = code;
        const auto i = static_cast<std::size_t>(pos(rng));
        mutated[i] = static_cast<char>('0' + (mutated[i] - '0' + delta(rng)) % 10);
        const Report r = institution(mutated);
        const bool legacy = warnings(r).find("check_digit_legacy") != std::string::npos;
        EXPECT_TRUE(!r.valid() || legacy) << code << " -> " << mutated;
    }
}

TEST(ValidateNumbers, AnySubsetOneReport) {
    Report r = validate_numbers(R"({"insurer_number":"06130488","public_expense_number":"54016027",)"
                                R"("recipient_number":")" + with_check("123456") + R"(","institution_code":"3410712362"})");
    EXPECT_TRUE(r.valid()) << errors(r);
    EXPECT_EQ(r.to_json(), R"({"valid":true,"errors":[],"warnings":[]})");
    r = validate_numbers(R"({"insurer_number":"06130489","recipient_number":1234567,"institution_code":"3410712363","insurer_no":"1"})");
    EXPECT_EQ(errors(r), "insurer_number:check_digit recipient_number:type institution_code:check_digit insurer_no:unknown_field");
    expect_bilingual(r);
    EXPECT_TRUE(validate_numbers(R"({"insurer_number":"  138057"})").valid());
    EXPECT_EQ(errors(validate_numbers(R"({"insurer_number":"06130488","insurer_kind":"koukikourei"})")),
              "insurer_number:houbetsu");
    EXPECT_EQ(errors(validate_numbers(R"({"insurer_kind":"kokuho","insurer_number":"138057"})")), "insurer_kind:format");
}

TEST(ValidateNumbers, NotAJsonObjectIsAnInvalidArgument) {
    for (const char *bad : {"", "{", "[]", "\"06130488\"", "{}", R"({"insurer_kind":"koukikourei"})"}) {
        try {
            validate_numbers(bad);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const onshi::Error &e) {
            EXPECT_EQ(e.status(), ONSHI_E_INVALID_ARGUMENT) << bad;
            EXPECT_FALSE(e.detail().ja.empty());
        }
    }
}
