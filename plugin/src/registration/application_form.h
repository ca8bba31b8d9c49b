// The 利用申請書 (application form for 資格確認限定型) as onshi reads it from the host's JSON, and
// the form's own rules. The JSON shape, every rule and the report are documented in
// docs/registration.md; rules the issue states and rules inferred here are marked there.
#pragma once

#include "registration/validation_report.h"
#include "util/secure_buffer.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace onshi::registration {

// A calendar date (西暦), as on the form.
struct Date {
    int year = 0;
    int month = 0;
    int day = 0;

    // Strict "YYYY-MM-DD" (zero-padded, a real calendar date, year 1900-9999), else nullopt.
    static std::optional<Date> parse(std::string_view text);
    // The date in Japan (JST, UTC+9) at the given moment.
    static Date in_japan(std::chrono::system_clock::time_point now);
    std::string to_string() const;  // "YYYY-MM-DD"
    auto operator<=>(const Date &) const = default;
};

struct ApplicationForm {
    // 申請区分 ("application_types": [1, 2, 3] in JSON)
    bool apply_portal_user = false;    // 1. ポータルサイトユーザー登録申請
    bool apply_app_start = false;      // 2. マイナ資格確認アプリ利用開始申請
    bool apply_end_or_change = false;  // 3. 利用終了・変更申請

    std::string application_date;  // 申請日, "YYYY-MM-DD" as given
    std::string contact_name;      // 担当者名
    std::string institution_code;  // 医療機関等コード, 10 digits (also when given as parts)
    std::string institution_name;  // 医療機関等名
    std::string founder_name;      // 開設者氏名（漢字）
    std::string phone;             // 電話番号
    std::string email;             // メールアドレス
    SecureBuffer password;         // パスワード (wiped on destruction; never logged or reported)
    std::string account_last4;     // 口座番号の下4桁
    std::optional<std::int64_t> staff_count;     // 職員数
    std::optional<std::int64_t> terminal_count;  // 申請台数
    std::string end_date;          // 利用終了予定年月日, "YYYY-MM-DD" as given
    bool end_date_cancel = false;  // 取り消し
    bool end_date_change = false;  // 変更

    // Set by from_json once it has reported on the institution code (given as parts, a bad part
    // is reported on "institution_code.prefecture" etc.), so validate() does not report it twice.
    bool institution_code_checked = false;

    // Reads the host's form JSON. Throws Error(ONSHI_E_INVALID_ARGUMENT) when the text is not a
    // JSON object; wrong types and unknown keys go into report (and leave the field empty).
    static ApplicationForm from_json(std::string_view form_json, Report &report);

    // The form's own rules, given today's date in Japan. Appends every error to report.
    void validate(const Date &today, Report &report) const;

    // The 10-digit institution code split as the form prints it: 都道府県2 / 点数表1 / 医療機関コード7
    // ("" when the code is not 10 digits).
    std::string prefecture() const { return institution_code.size() == 10 ? institution_code.substr(0, 2) : ""; }
    std::string score_table() const { return institution_code.size() == 10 ? institution_code.substr(2, 1) : ""; }
    std::string code7() const { return institution_code.size() == 10 ? institution_code.substr(3) : ""; }
};

// from_json + validate: the report of onshi_application_validate.
Report validate_application(std::string_view form_json, const Date &today);

}  // namespace onshi::registration
