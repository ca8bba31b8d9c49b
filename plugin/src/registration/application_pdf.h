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
    std::string password;          // パスワード: printed only with PdfOptions::include_password
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

// Reads the host's options_json of onshi_application_render_pdf: NULL, "" or an object with
// "include_password" (boolean). Anything else is ONSHI_E_INVALID_ARGUMENT naming the key.
PdfOptions parse_pdf_options(const char *options_json);

// Draws the form. Throws onshi::Error: ONSHI_E_NOT_SUPPORTED when no Japanese font is installed
// (fonts-ipaexfont-gothic or fonts-noto-cjk), ONSHI_E_INTERNAL when cairo fails or the PDF
// would exceed max_bytes.
std::vector<std::uint8_t> render_application_pdf(const ApplicationPrintout &form, const PdfOptions &options = {});

}  // namespace onshi::registration
