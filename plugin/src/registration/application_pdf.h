// The printable 利用申請書 (application form for 資格確認限定型): an A4 PDF drawn with cairo + pango
// in an embedded Japanese font (IPAex Gothic; cairo embeds the subset it uses). The renderer takes
// already-validated display strings, so it never judges a form: the form model maps a valid form
// to an ApplicationPrintout and this file only lays it out.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace onshi::registration {

// One filled form, as it is printed. Empty strings are printed as empty fields.
struct ApplicationPrintout {
    // 申請区分
    bool apply_portal_user = false;    // 1. ポータルサイトユーザー登録申請
    bool apply_app_start = false;      // 2. マイナ資格確認アプリ利用開始申請
    bool apply_end_or_change = false;  // 3. 利用終了・変更申請

    std::string application_date;  // 申請日 (西暦), e.g. "2026年11月24日"
    std::string contact_name;      // 担当者名
    std::string prefecture;        // 医療機関等コード: 都道府県 (2 digits)
    std::string score_table;       //                   点数表 (1 digit)
    std::string institution_code7; //                   医療機関コード (7 digits)
    std::string institution_name;  // 医療機関等名
    std::string founder_name;      // 開設者氏名（漢字）
    std::string phone;             // 電話番号
    std::string email;             // メールアドレス
    // パスワード: printed only with PdfOptions::include_password. A view, not a copy: it points into
    // the form's wiped buffer and must outlive the render call.
    std::string_view password;
    bool password_withheld = false;  // a password was given but left out (the field says so)
    std::string account_last4;     // 口座番号の下4桁
    std::string staff_count;       // 職員数
    std::string terminal_count;    // 申請台数
    std::string planned_end_date;  // 利用終了予定年月日
    bool end_cancel = false;       // 取り消し
    bool end_change = false;       // 変更
};

struct PdfOptions {
    // The password is printed only when the host asks for it; otherwise its field says so.
    bool include_password = false;
    // The PDF's creation date. Unset: none is written (cairo's own "now" is replaced by a fixed
    // date), so the same form always gives the same bytes.
    std::optional<std::chrono::system_clock::time_point> created;
    // The PDF is refused (ONSHI_E_INTERNAL) rather than grown past this.
    std::size_t max_bytes = 8u << 20;
};

struct ApplicationForm;

// The glue from the form model: a valid form as it is printed (dates as 2026年11月24日, the
// institution code split into its parts). The password is taken (as a view into the form) only
// when include_password; otherwise password_withheld says that one was given.
ApplicationPrintout to_printout(const ApplicationForm &form, bool include_password);

// Reads the host's options_json of onshi_application_render_pdf: NULL, "" or an object with
// "include_password" (boolean). Anything else is ONSHI_E_INVALID_ARGUMENT naming the key.
PdfOptions parse_pdf_options(const char *options_json);

// Draws the form. Throws onshi::Error: ONSHI_E_NOT_SUPPORTED when no Japanese font is installed
// (fonts-ipaexfont-gothic or fonts-noto-cjk), ONSHI_E_INTERNAL when cairo fails or the PDF
// would exceed max_bytes.
std::vector<std::uint8_t> render_application_pdf(const ApplicationPrintout &form, const PdfOptions &options = {});

// onshi_application_render_pdf: reads and validates the form (today = `now` in Japan), then
// renders it. An invalid form is Error(ONSHI_E_VALIDATION) naming its first errors; bad options
// are ONSHI_E_INVALID_ARGUMENT. The PDF's creation date is the form's 申請日 (00:00 JST), so the
// same form always gives the same bytes.
std::vector<std::uint8_t> render_application_form(std::string_view form_json, const char *options_json,
                                                  std::chrono::system_clock::time_point now);

}  // namespace onshi::registration
