#include "registration/application_form.h"

#include "registration/number_validation.h"
#include "util/json.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace onshi::registration {

// ---------------------------------------------------------------------------------------------
// Dates

std::optional<Date> Date::parse(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (t[i] < '0' || t[i] > '9') return std::nullopt;
    auto number = [&](std::size_t from, std::size_t n) {
        int v = 0;
        for (std::size_t i = from; i < from + n; ++i) v = v * 10 + (t[i] - '0');
        return v;
    };
    Date d{number(0, 4), number(5, 2), number(8, 2)};
    const std::chrono::year_month_day ymd{std::chrono::year(d.year), std::chrono::month(static_cast<unsigned>(d.month)),
                                          std::chrono::day(static_cast<unsigned>(d.day))};
    if (d.year < 1900 || !ymd.ok()) return std::nullopt;
    return d;
}

Date Date::in_japan(std::chrono::system_clock::time_point now) {
    const auto days = std::chrono::floor<std::chrono::days>(now + std::chrono::hours(9));
    const std::chrono::year_month_day ymd{days};
    return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

std::string Date::to_string() const {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
    return text;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Field names and small text helpers

struct Label {
    const char *en;
    const char *ja;
};

Label label(const std::string &field) {
    static const std::pair<const char *, Label> labels[] = {
        {"application_types", {"application type (申請区分)", "申請区分"}},
        {"application_date", {"application date (申請日)", "申請日"}},
        {"contact_name", {"contact person (担当者名)", "担当者名"}},
        {"institution_code", {"institution code (医療機関等コード)", "医療機関等コード"}},
        {"institution_name", {"facility name (医療機関等名)", "医療機関等名"}},
        {"founder_name", {"founder's name (開設者氏名)", "開設者氏名（漢字）"}},
        {"phone", {"telephone number (電話番号)", "電話番号"}},
        {"email", {"e-mail address (メールアドレス)", "メールアドレス"}},
        {"password", {"password (パスワード)", "パスワード"}},
        {"account_last4", {"last 4 digits of the account number (口座番号の下4桁)", "口座番号の下4桁"}},
        {"staff_count", {"number of staff (職員数)", "職員数"}},
        {"terminal_count", {"number of terminals (申請台数)", "申請台数"}},
        {"end_date", {"planned end of use (利用終了予定年月日)", "利用終了予定年月日"}},
        {"end_date_cancel", {"cancel the planned end (取り消し)", "取り消し"}},
        {"end_date_change", {"change the planned end (変更)", "変更"}},
    };
    for (const auto &[name, l] : labels)
        if (field == name) return l;
    return {"?", "?"};
}

// Reports on `field` with its label in front of both messages.
void fail(Report &report, const std::string &field, const char *code, const std::string &en, const std::string &ja) {
    const Label l = label(field);
    report.error(field, code, std::string(l.en) + ": " + en, std::string(l.ja) + ": " + ja);
}

// Code points of valid UTF-8 (the JSON parser has validated the encoding).
std::vector<char32_t> code_points(std::string_view text) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < text.size();) {
        const auto b = static_cast<unsigned char>(text[i]);
        const int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
        for (int k = 1; k < n && i + k < text.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        out.push_back(c);
        i += n;
    }
    return out;
}

bool blank(std::string_view text) {
    for (char32_t c : code_points(text))
        if (c != U' ' && c != U'\u3000' && c != U'\t') return false;
    return true;
}

bool japanese_script(char32_t c) {
    return (c >= 0x3040 && c <= 0x30FF) ||  // hiragana, katakana
           (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x20000 && c <= 0x3FFFF) || c == 0x3005;  // kanji, 々
}

// A required free-text field: present, not blank, at most max characters, no control characters.
// Returns false when it is missing or already reported.
bool check_text(Report &report, const std::string &field, const std::string &value, std::size_t max, bool required) {
    if (report.has_error(field)) return false;
    if (value.empty() || blank(value)) {
        if (required) fail(report, field, "required", "is required", "記入してください");
        return false;
    }
    const auto chars = code_points(value);
    if (chars.size() > max)
        fail(report, field, "length", "must be at most " + std::to_string(max) + " characters (it has " + std::to_string(chars.size()) + ")",
             std::to_string(max) + "文字以内で記入してください（現在 " + std::to_string(chars.size()) + " 文字）");
    for (char32_t c : chars)
        if (c < 0x20 || c == 0x7F) {
            fail(report, field, "format", "must not contain line breaks or control characters", "改行や制御文字は使えません");
            break;
        }
    return true;
}

bool ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool ascii_alnum(char c) { return ascii_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// 0 + 9 or 10 digits, optionally split by single hyphens: 03-1234-5678, 090-1234-5678, 0312345678.
bool phone_ok(std::string_view p) {
    if (p.empty() || p.front() == '-' || p.back() == '-' || p.find("--") != std::string_view::npos) return false;
    std::size_t digits = 0;
    for (char c : p) {
        if (ascii_digit(c)) ++digits;
        else if (c != '-') return false;
    }
    return p.front() == '0' && (digits == 10 || digits == 11);
}

// local@domain.tld: printable ASCII without spaces and specials in the local part (no leading,
// trailing or double dots); domain labels of letters, digits and inner hyphens, at least two.
bool email_ok(std::string_view e) {
    const std::size_t at = e.find('@');
    if (at == std::string_view::npos || e.find('@', at + 1) != std::string_view::npos || e.size() > 254) return false;
    const std::string_view local = e.substr(0, at), domain = e.substr(at + 1);
    if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
        local.find("..") != std::string_view::npos)
        return false;
    for (char c : local)
        if (!ascii_alnum(c) && std::string_view(".!#$%&'*+/=?^_`{|}~-").find(c) == std::string_view::npos) return false;
    std::size_t labels = 0;
    for (std::size_t start = 0; start <= domain.size();) {
        std::size_t dot = domain.find('.', start);
        if (dot == std::string_view::npos) dot = domain.size();
        const std::string_view l = domain.substr(start, dot - start);
        if (l.empty() || l.size() > 63 || l.front() == '-' || l.back() == '-') return false;
        for (char c : l)
            if (!ascii_alnum(c) && c != '-') return false;
        ++labels;
        start = dot + 1;
    }
    return labels >= 2;
}

// ---------------------------------------------------------------------------------------------
// Reading the JSON

const char *const kStringFields[] = {"application_date", "contact_name", "institution_name", "founder_name", "phone",
                                     "email", "password", "account_last4", "end_date"};

}  // namespace

ApplicationForm ApplicationForm::from_json(std::string_view form_json, Report &report) {
    const rapidjson::Document doc = json::parse(form_json, "form_json", ONSHI_E_INVALID_ARGUMENT);
    if (!doc.IsObject())
        throw Error(ONSHI_E_INVALID_ARGUMENT, {"form_json must be a JSON object", "form_json はJSONオブジェクトである必要があります"});
    ApplicationForm form;
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
        const std::string key(it->name.GetString(), it->name.GetStringLength());
        const rapidjson::Value &v = it->value;
        if (v.IsNull() && label(key).en[0] != '?') continue;  // null: as if absent (a host's empty field)
        if (key == "application_types") {
            if (v.IsNull()) continue;
            if (!v.IsArray()) {
                fail(report, key, "type", "must be a list of the numbers 1, 2, 3, e.g. [1, 2]", "1・2・3 の番号の配列で指定してください（例: [1, 2]）");
                continue;
            }
            for (const auto &n : v.GetArray()) {
                const int t = n.IsInt() ? n.GetInt() : 0;
                if (t == 1) form.apply_portal_user = true;
                else if (t == 2) form.apply_app_start = true;
                else if (t == 3) form.apply_end_or_change = true;
                else {
                    fail(report, key, "format", "only 1, 2 and 3 are application types", "申請区分は 1・2・3 のいずれかです");
                    break;
                }
            }
        } else if (key == "institution_code") {
            form.institution_code = check_institution_code_value(v, key, report);
            form.institution_code_checked = true;
        } else if (key == "staff_count" || key == "terminal_count") {
            if (v.IsNull()) continue;
            std::optional<std::int64_t> n;
            if (v.IsInt64()) n = v.GetInt64();
            else if (v.IsString() && v.GetStringLength() > 0 && v.GetStringLength() <= 9) {
                const std::string_view s(v.GetString(), v.GetStringLength());
                if (std::all_of(s.begin(), s.end(), ascii_digit)) n = std::stoll(std::string(s));
            }
            if (!n) {
                fail(report, key, "type", "must be a whole number", "半角数字の整数で記入してください");
                continue;
            }
            (key == "staff_count" ? form.staff_count : form.terminal_count) = n;
        } else if (key == "end_date_cancel" || key == "end_date_change") {
            if (v.IsNull()) continue;
            if (!v.IsBool()) {
                fail(report, key, "type", "must be true or false", "true または false で指定してください");
                continue;
            }
            (key == "end_date_cancel" ? form.end_date_cancel : form.end_date_change) = v.GetBool();
        } else if (std::find_if(std::begin(kStringFields), std::end(kStringFields), [&](const char *f) { return key == f; }) !=
                   std::end(kStringFields)) {
            if (v.IsNull()) continue;
            if (!v.IsString()) {
                fail(report, key, "type", "must be a string", "文字列で指定してください");
                continue;
            }
            const std::string_view s(v.GetString(), v.GetStringLength());
            if (s.size() > 4096) {  // far beyond every limit below; do not copy it around
                fail(report, key, "length", "is far too long", "長すぎます");
                continue;
            }
            if (key == "password") form.password = SecureBuffer::from_string(s);
            else if (key == "application_date") form.application_date = s;
            else if (key == "contact_name") form.contact_name = s;
            else if (key == "institution_name") form.institution_name = s;
            else if (key == "founder_name") form.founder_name = s;
            else if (key == "phone") form.phone = s;
            else if (key == "email") form.email = s;
            else if (key == "account_last4") form.account_last4 = s;
            else form.end_date = s;
        } else {
            report.error(key, "unknown_field", "\"" + key + "\" is not a field of the application form (misspelt?)",
                         "\"" + key + "\" は利用申請書の項目ではありません（綴りを確認してください）");
        }
    }
    return form;
}

// ---------------------------------------------------------------------------------------------
// The form's rules (docs/registration.md: [stated] by the issue / the form, [inferred] here)

void ApplicationForm::validate(const Date &today, Report &report) const {
    // 申請区分: at least one [inferred: a form without one applies for nothing]
    if (!apply_portal_user && !apply_app_start && !apply_end_or_change && !report.has_error("application_types"))
        fail(report, "application_types", "required", "tick at least one of 1, 2, 3", "1・2・3 のいずれかを選択してください");

    // 申請日: 西暦 YYYY-MM-DD, not in the future [stated]
    if (check_text(report, "application_date", application_date, 64, true)) {
        const auto date = Date::parse(application_date);
        if (!date)
            fail(report, "application_date", "format", "must be a date written YYYY-MM-DD (西暦), e.g. 2026-04-01",
                 "西暦の YYYY-MM-DD 形式の日付で記入してください（例: 2026-04-01）");
        else if (*date > today)
            fail(report, "application_date", "future_date", "must not be in the future (today is " + today.to_string() + ")",
                 "未来の日付は記入できません（本日は " + today.to_string() + "）");
    }

    check_text(report, "contact_name", contact_name, 50, true);

    if (!institution_code_checked && !report.has_error("institution_code")) {
        if (institution_code.empty()) fail(report, "institution_code", "required", "is required", "記入してください");
        else check_institution_code(institution_code, "institution_code", report);
    }

    check_text(report, "institution_name", institution_name, 100, true);

    // 開設者氏名（漢字）: written in Japanese script [inferred from "（漢字）"]
    if (check_text(report, "founder_name", founder_name, 50, true) && !report.has_error("founder_name")) {
        bool japanese = false;
        for (char32_t c : code_points(founder_name)) japanese = japanese || japanese_script(c);
        if (!japanese)
            fail(report, "founder_name", "not_kanji", "write the name in kanji (漢字), not in romaji",
                 "漢字で記入してください（ローマ字は不可）");
    }

    if (check_text(report, "phone", phone, 20, true) && !report.has_error("phone") && !phone_ok(phone))
        fail(report, "phone", "format", "must be 10 or 11 half-width digits starting with 0, hyphens allowed (e.g. 03-1234-5678)",
             "0から始まる10桁または11桁の半角数字で記入してください（ハイフン可、例: 03-1234-5678）");

    // メールアドレス / パスワード: required for 2 unless 1 is applied for at the same time [stated];
    // 1 registers the portal user with them [inferred], so they are required whenever 1 or 2 is.
    const bool credentials_required = apply_portal_user || apply_app_start;
    const std::string why_en = apply_portal_user ? "required for 1 (portal user registration)"
                                                 : "required when 2 (app use) is applied for without 1";
    const std::string why_ja = apply_portal_user ? "1（ポータルサイトユーザー登録申請）では必須です"
                                                 : "1 と同時に申請しない場合、2（マイナ資格確認アプリ利用開始申請）では必須です";
    if (!report.has_error("email")) {
        if (email.empty() || blank(email)) {
            if (credentials_required) fail(report, "email", "required", why_en, why_ja);
        } else if (!email_ok(email)) {
            fail(report, "email", "format", "is not an e-mail address (half-width, like name@example.jp)",
                 "メールアドレスの形式ではありません（半角、例: name@example.jp）");
        }
    }
    if (!report.has_error("password")) {
        const std::string_view pw = password.view();
        if (pw.empty()) {
            if (credentials_required) fail(report, "password", "required", why_en, why_ja);
        } else {
            // Never echo the password: the messages describe it only.
            if (pw.size() < 8 || pw.size() > 100)
                fail(report, "password", "length", "must be 8 to 100 characters (it has " + std::to_string(code_points(pw).size()) + ")",
                     "8文字以上100文字以下にしてください（現在 " + std::to_string(code_points(pw).size()) + " 文字）");
            if (!std::all_of(pw.begin(), pw.end(), ascii_alnum))
                fail(report, "password", "format", "may contain only half-width letters and digits (A-Z, a-z, 0-9)",
                     "半角英数字（A～Z・a～z・0～9）のみ使用できます");
        }
    }

    // 口座番号の下4桁: optional [inferred], exactly 4 half-width digits
    if (!account_last4.empty() && !report.has_error("account_last4") &&
        !(account_last4.size() == 4 && std::all_of(account_last4.begin(), account_last4.end(), ascii_digit)))
        fail(report, "account_last4", "format", "must be exactly 4 half-width digits", "半角数字4桁で記入してください");

    // 職員数 / 申請台数: required for 2 [inferred: the gateway enforces the number applied for];
    // 申請台数 at least 1 [stated] and not more than 職員数 [inferred]
    for (const char *field : {"staff_count", "terminal_count"}) {
        const auto &n = std::string(field) == "staff_count" ? staff_count : terminal_count;
        if (report.has_error(field)) continue;
        if (!n) {
            if (apply_app_start)
                fail(report, field, "required", "is required for 2 (app use)", "2（マイナ資格確認アプリ利用開始申請）では必須です");
            continue;
        }
        const std::int64_t max = std::string(field) == "staff_count" ? 99999 : 999;
        if (*n < 1 || *n > max)
            fail(report, field, "range", "must be between 1 and " + std::to_string(max), "1～" + std::to_string(max) + " の範囲で記入してください");
    }
    if (staff_count && terminal_count && !report.has_error("staff_count") && !report.has_error("terminal_count") &&
        *terminal_count > *staff_count)
        fail(report, "terminal_count", "exceeds_staff",
             "must not exceed the number of staff (" + std::to_string(*staff_count) + ")",
             "職員数（" + std::to_string(*staff_count) + "）を超えることはできません");

    // 利用終了予定年月日 with 取り消し / 変更: 取り消し and 変更 exclude each other [stated] and need 3
    // [stated]; the date needs 3 too [inferred]; 3 needs a date or 取り消し [inferred]; 取り消し takes
    // no date [inferred]; the date must not be in the past [stated].
    if (end_date_cancel && end_date_change) {
        fail(report, "end_date_cancel", "conflict", "取り消し and 変更 cannot both be ticked", "取り消しと変更は同時に選択できません");
        fail(report, "end_date_change", "conflict", "取り消し and 変更 cannot both be ticked", "取り消しと変更は同時に選択できません");
    }
    const std::string need3_en = "applies only to 3 (end or change of use); add 3 to application_types";
    const std::string need3_ja = "3（利用終了・変更申請）を選択した場合のみ指定できます";
    if (!apply_end_or_change) {
        if (end_date_cancel && !report.has_error("end_date_cancel")) fail(report, "end_date_cancel", "requires_3", need3_en, need3_ja);
        if (end_date_change && !report.has_error("end_date_change")) fail(report, "end_date_change", "requires_3", need3_en, need3_ja);
    }
    if (report.has_error("end_date")) return;
    if (end_date.empty() || blank(end_date)) {
        if (apply_end_or_change && !end_date_cancel)
            fail(report, "end_date", "required",
                 end_date_change ? "give the new planned end date for 変更" : "is required for 3 (unless 取り消し is ticked)",
                 end_date_change ? "変更後の利用終了予定年月日を記入してください" : "3（利用終了・変更申請）では必須です（取り消しの場合を除く）");
        return;
    }
    if (!apply_end_or_change) fail(report, "end_date", "requires_3", need3_en, need3_ja);
    else if (end_date_cancel && !end_date_change)
        fail(report, "end_date", "not_allowed", "leave it empty when cancelling (取り消し) the planned end",
             "取り消しの場合は記入しないでください");
    const auto date = Date::parse(end_date);
    if (!date)
        fail(report, "end_date", "format", "must be a date written YYYY-MM-DD (西暦), e.g. 2027-03-31",
             "西暦の YYYY-MM-DD 形式の日付で記入してください（例: 2027-03-31）");
    else if (*date < today)
        fail(report, "end_date", "past_date", "must not be in the past (today is " + today.to_string() + ")",
             "過去の日付は記入できません（本日は " + today.to_string() + "）");
}

Report validate_application(std::string_view form_json, const Date &today) {
    Report report;
    const ApplicationForm form = ApplicationForm::from_json(form_json, report);
    form.validate(today, report);
    return report;
}

}  // namespace onshi::registration
