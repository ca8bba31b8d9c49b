#include "registration/number_validation.h"

#include "registration/check_digit.h"
#include "util/json.h"

#include <cstring>

namespace onshi::registration {

namespace {

constexpr std::string_view kFullWidthSpace = "\xE3\x80\x80";  // U+3000, as typed by a Japanese IME

// Removes ASCII and full-width spaces at both ends; *trimmed tells whether there were any.
std::string_view trim(std::string_view text, bool *trimmed) {
    const std::size_t before = text.size();
    for (bool again = true; again;) {
        again = false;
        if (!text.empty() && text.front() == ' ') text.remove_prefix(1), again = true;
        if (!text.empty() && text.back() == ' ') text.remove_suffix(1), again = true;
        if (text.substr(0, 3) == kFullWidthSpace) text.remove_prefix(3), again = true;
        if (text.size() >= 3 && text.substr(text.size() - 3) == kFullWidthSpace) text.remove_suffix(3), again = true;
    }
    *trimmed = text.size() != before;
    return text;
}

int two_digits(std::string_view text) { return (text[0] - '0') * 10 + (text[1] - '0'); }

// One number being checked: its field, its name in both languages and whether it was padded.
struct Checker {
    Report &report;
    const std::string &field;
    const char *name_en;
    const char *name_ja;
    bool padded = false;

    void error(const char *code, const std::string &en, const std::string &ja) const {
        report.error(field, code, std::string(name_en) + ": " + en + (padded ? " (surrounding spaces were removed before checking)" : ""),
                     std::string(name_ja) + ": " + ja + (padded ? "（前後の空白を除いて確認しました）" : ""));
    }
    // Trims; false (after reporting) when what is left is not `length` ASCII digits.
    bool shape(std::string_view &value, std::initializer_list<std::size_t> lengths, const std::string &en_lengths,
               const std::string &ja_lengths) {
        value = trim(value, &padded);
        bool length_ok = false;
        for (std::size_t n : lengths) length_ok = length_ok || value.size() == n;
        if (value.empty()) {
            error("required", "is empty", "が入力されていません");
            return false;
        }
        if (!all_digits(value) || !length_ok) {
            error("format", "must be " + en_lengths + " (half-width digits 0-9)", ja_lengths + "（半角数字）で入力してください");
            return false;
        }
        return true;
    }
    void check_digit(std::string_view value) const {
        if (!check_digit_ok(value))
            error("check_digit", "the check digit (last digit) does not match; please check for a typo",
                  "検証番号（最後の桁）が一致しません。番号に誤りがないか確認してください");
    }
    void padding_note() const {
        if (padded && !report.has_error(field))
            report.warning(field, "trimmed", std::string(name_en) + ": surrounding spaces were removed",
                           std::string(name_ja) + ": 前後の空白を除きました");
    }
};

}  // namespace

bool insurer_prefecture_ok(std::string_view two) noexcept {
    if (two.size() != 2 || !all_digits(two)) return false;
    const int n = two_digits(two);
    return (n >= 1 && n <= 47) || (n >= 51 && n <= 97);
}

void check_insurer_number(std::string_view value, const std::string &field, Report &report, bool koukikourei) {
    Checker c{report, field, "insurer number (保険者番号)", "保険者番号"};
    if (koukikourei) {
        if (!c.shape(value, {8}, "8 digits for a 後期高齢者 insurer", "後期高齢者の保険者番号は8桁")) return;
    } else if (!c.shape(value, {8, 6}, "8 digits, or 6 digits for 国保", "8桁（国保は6桁）")) {
        return;
    }
    const bool kokuho = value.size() == 6;
    if (koukikourei && value.substr(0, 2) != "39")
        c.error("houbetsu", "a 後期高齢者 insurer number starts with 法別番号 39",
                "後期高齢者の保険者番号は法別番号 39 で始まります");
    const std::string_view prefecture = value.substr(kokuho ? 0 : 2, 2);
    if (!insurer_prefecture_ok(prefecture))
        c.error("prefecture", "the prefecture number " + std::string(prefecture) + " is not 01-47 or 51-97",
                "都道府県番号 " + std::string(prefecture) + " は 01～47 または 51～97 ではありません");
    c.check_digit(value);
    c.padding_note();
}

void check_public_expense_number(std::string_view value, const std::string &field, Report &report) {
    Checker c{report, field, "public expense payer number (公費負担者番号)", "公費負担者番号"};
    if (!c.shape(value, {8}, "8 digits", "8桁")) return;
    const std::string_view prefecture = value.substr(2, 2);
    if (!insurer_prefecture_ok(prefecture))
        c.error("prefecture", "the prefecture number " + std::string(prefecture) + " is not 01-47 or 51-97",
                "都道府県番号 " + std::string(prefecture) + " は 01～47 または 51～97 ではありません");
    c.check_digit(value);
    c.padding_note();
}

void check_recipient_number(std::string_view value, const std::string &field, Report &report) {
    Checker c{report, field, "recipient number (受給者番号)", "受給者番号"};
    if (!c.shape(value, {7}, "7 digits", "7桁")) return;
    c.check_digit(value);
    c.padding_note();
}

namespace {

bool prefecture_ok(std::string_view two) { return all_digits(two) && two_digits(two) >= 1 && two_digits(two) <= 47; }
bool score_table_ok(std::string_view one) { return one == "1" || one == "3" || one == "4"; }

// The checks on a code whose shape (10 digits) is known to be right.
void check_institution_digits(std::string_view code, Checker &c) {
    bool parts_ok = true;
    if (!prefecture_ok(code.substr(0, 2))) {
        c.error("prefecture", "the prefecture number " + std::string(code.substr(0, 2)) + " is not 01-47",
                "都道府県番号 " + std::string(code.substr(0, 2)) + " は 01～47 ではありません");
        parts_ok = false;
    }
    if (!score_table_ok(code.substr(2, 1))) {
        c.error("score_table", "the 点数表 digit " + std::string(code.substr(2, 1)) + " is not 1 (医科), 3 (歯科) or 4 (調剤)",
                "点数表番号 " + std::string(code.substr(2, 1)) + " は 1（医科）・3（歯科）・4（調剤）のいずれでもありません");
        parts_ok = false;
    }
    if (!check_digit_ok(code)) {
        // Some codes issued before 1976 in 埼玉, 千葉, 東京 and 神奈川 carry a check digit over the
        // 7-digit 医療機関コード alone (reference §4.3): warn rather than reject those.
        const int prefecture = two_digits(code);
        if (prefecture >= 11 && prefecture <= 14 && check_digit_ok(code.substr(3)))
            c.report.warning(c.field, "check_digit_legacy",
                             "医療機関等コード: the check digit matches only the old rule (over the 7-digit code, some codes "
                             "issued before 1976); please compare with the facility's notice",
                             "医療機関等コード: 検証番号は旧方式（7桁の医療機関コードのみで計算、昭和51年以前の一部のコード）"
                             "でのみ一致します。指定通知書の番号と照合してください");
        else
            c.check_digit(code);
        return;
    }
    if (!parts_ok) return;
    // Hints from the 設定要領 that do not make a code invalid: number ranges per 点数表, and numbers
    // whose middle or last two digits are 90 are never issued.
    const std::string_view number = code.substr(5, 4);
    const int n = std::stoi(std::string(number));
    const char table = code[2];
    const bool in_range = (table == '1' && n >= 1000 && n <= 2999) || (table == '3' && n >= 3000 && n <= 3999) ||
                          (table == '4' && n >= 4000 && n <= 4999);
    if (!in_range)
        c.report.warning(c.field, "unusual_number",
                         "医療機関等コード: the facility number " + std::string(number) +
                             " is outside the usual range for this 点数表 (医科 1000-2999, 歯科 3000-3999, 調剤 4000-4999)",
                         "医療機関等コード: 医療機関番号 " + std::string(number) +
                             " は通常この点数表に使われる範囲（医科1000～2999・歯科3000～3999・調剤4000～4999）外です");
    if (number.substr(1, 2) == "90" || number.substr(2, 2) == "90")
        c.report.warning(c.field, "unusual_number",
                         "医療機関等コード: facility numbers with 90 as the middle or last two digits are not issued",
                         "医療機関等コード: 中2桁または下2桁が90の医療機関番号は付番されません");
}

}  // namespace

std::string check_institution_code(std::string_view value, const std::string &field, Report &report) {
    Checker c{report, field, "医療機関等コード (institution code)", "医療機関等コード"};
    if (!c.shape(value, {10}, "10 digits: prefecture 2 + 点数表 1 + 医療機関コード 7",
                 "10桁（都道府県2桁＋点数表1桁＋医療機関コード7桁）"))
        return "";
    check_institution_digits(value, c);
    c.padding_note();
    return std::string(value);
}

std::string check_institution_code_value(const rapidjson::Value &value, const std::string &field, Report &report) {
    if (value.IsString()) return check_institution_code({value.GetString(), value.GetStringLength()}, field, report);
    if (!value.IsObject()) {
        report.error(field, "type", "医療機関等コード: must be a string of 10 digits or an object {prefecture, score_table, code}",
                     "医療機関等コード: 10桁の文字列、または {prefecture, score_table, code} のオブジェクトで指定してください");
        return "";
    }
    struct Part {
        const char *key;
        std::size_t length;
        const char *ja;
        std::string digits;
    } parts[] = {{"prefecture", 2, "都道府県番号", {}}, {"score_table", 1, "点数表番号", {}}, {"code", 7, "医療機関コード", {}}};
    bool shape_ok = true;
    for (Part &part : parts) {
        const std::string part_field = field + "." + part.key;
        auto it = value.FindMember(part.key);
        if (it == value.MemberEnd() || (it->value.IsString() && it->value.GetStringLength() == 0)) {
            report.error(part_field, "required", std::string("医療機関等コード: the ") + part.key + " part is missing",
                         std::string("医療機関等コード: ") + part.ja + "が入力されていません");
            shape_ok = false;
            continue;
        }
        std::string_view text = it->value.IsString() ? std::string_view(it->value.GetString(), it->value.GetStringLength()) : "";
        if (!it->value.IsString() || text.size() != part.length || !all_digits(text)) {
            report.error(part_field, "format",
                         std::string("医療機関等コード: the ") + part.key + " part must be " + std::to_string(part.length) +
                             " half-width digits",
                         std::string("医療機関等コード: ") + part.ja + "は" + std::to_string(part.length) + "桁の半角数字で入力してください");
            shape_ok = false;
            continue;
        }
        part.digits = std::string(text);
    }
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
        const std::string key(it->name.GetString(), it->name.GetStringLength());
        if (key != "prefecture" && key != "score_table" && key != "code")
            report.error(field + "." + key, "unknown_field", "医療機関等コード: unknown part \"" + key + "\"",
                         "医療機関等コード: 不明な項目 \"" + key + "\" です");
    }
    if (!shape_ok) return "";
    std::string code = parts[0].digits + parts[1].digits + parts[2].digits;  // not const: returned by move
    Checker c{report, field, "医療機関等コード (institution code)", "医療機関等コード"};
    check_institution_digits(code, c);
    return code;
}

Report validate_numbers(std::string_view numbers_json) {
    const rapidjson::Document doc = json::parse(numbers_json, "numbers_json", ONSHI_E_INVALID_ARGUMENT);
    if (!doc.IsObject())
        throw Error(ONSHI_E_INVALID_ARGUMENT, {"numbers_json must be a JSON object", "numbers_json はJSONオブジェクトである必要があります"});
    Report report;
    bool koukikourei = false;
    if (auto kind = doc.FindMember("insurer_kind"); kind != doc.MemberEnd()) {
        if (kind->value.IsString() && std::strcmp(kind->value.GetString(), "koukikourei") == 0)
            koukikourei = true;
        else if (!(kind->value.IsString() && kind->value.GetStringLength() == 0))
            report.error("insurer_kind", "format", "insurer_kind: must be \"koukikourei\" (後期高齢者) or absent",
                         "insurer_kind: \"koukikourei\"（後期高齢者）を指定するか、省略してください");
    }
    int numbers = 0;
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
        const std::string key(it->name.GetString(), it->name.GetStringLength());
        if (key == "insurer_kind") continue;
        if (key == "institution_code") {
            ++numbers;
            check_institution_code_value(it->value, key, report);
            continue;
        }
        const bool known = key == "insurer_number" || key == "public_expense_number" || key == "recipient_number";
        if (!known) {
            report.error(key, "unknown_field", "\"" + key + "\" is not a number onshi checks (misspelt?)",
                         "\"" + key + "\" は確認できる番号の項目ではありません（綴りを確認してください）");
            continue;
        }
        ++numbers;
        if (!it->value.IsString()) {
            report.error(key, "type", key + ": must be a string (numbers can start with 0)",
                         key + ": 文字列で指定してください（先頭が0の番号があるため）");
            continue;
        }
        const std::string_view text(it->value.GetString(), it->value.GetStringLength());
        if (key == "insurer_number") check_insurer_number(text, key, report, koukikourei);
        else if (key == "public_expense_number") check_public_expense_number(text, key, report);
        else check_recipient_number(text, key, report);
    }
    if (numbers == 0 && report.valid())
        throw Error(ONSHI_E_INVALID_ARGUMENT,
                    {"numbers_json names no number to check (insurer_number, public_expense_number, recipient_number, institution_code)",
                     "numbers_json に確認する番号がありません（insurer_number・public_expense_number・recipient_number・institution_code）"});
    return report;
}

}  // namespace onshi::registration
