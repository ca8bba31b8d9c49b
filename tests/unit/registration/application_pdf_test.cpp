// The printable 利用申請書: render a filled form, turn it into PNG (pdftoppm -r 100) and text
// (pdftotext -layout) with poppler-utils, and check that every value is printed (Japanese
// included) and that the password is printed only when asked for. No network.
#include "registration/application_pdf.h"

#include "util/error.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using onshi::registration::ApplicationPrintout;
using onshi::registration::parse_pdf_options;
using onshi::registration::PdfOptions;
using onshi::registration::render_application_pdf;

namespace {

ApplicationPrintout filled() {
    ApplicationPrintout f;
    f.apply_portal_user = false;
    f.apply_app_start = true;
    f.apply_end_or_change = true;
    f.application_date = "2026年11月24日";
    f.contact_name = "受付 花子";
    f.prefecture = "34";
    f.score_table = "1";
    f.institution_code7 = "0712362";
    f.institution_name = "医療法人社団 架空会 みなと内科クリニック";
    f.founder_name = "架空 太郎";
    f.phone = "03-1234-5678";
    f.email = "uketsuke@minato-naika.example.jp";
    f.password = "Secret2026pass";
    f.account_last4 = "4821";
    f.staff_count = "12";
    f.terminal_count = "3";
    f.planned_end_date = "2027年3月31日";
    f.end_cancel = false;
    f.end_change = true;
    return f;
}

fs::path out_dir() {
    const fs::path dir = fs::path(ONSHI_PDF_TEST_OUT) / "application_pdf";
    fs::create_directories(dir);
    return dir;
}

void write(const fs::path &path, const std::vector<std::uint8_t> &bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(out.good()) << path;
}

std::string read(const fs::path &path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string strip_spaces(std::string s) {
    s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\f'; }),
            s.end());
    return s;
}

// Renders, converts to PNG and text; returns the text.
// `crop` limits pdftotext to the value column (labels left out, so wrapped values join up).
std::string render_and_extract(const ApplicationPrintout &form, const PdfOptions &options, const std::string &name,
                               bool crop = false) {
    const auto pdf = render_application_pdf(form, options);
    EXPECT_GT(pdf.size(), 1000u);
    EXPECT_EQ(std::string(pdf.begin(), pdf.begin() + 5), "%PDF-");
    const fs::path dir = out_dir();
    write(dir / (name + ".pdf"), pdf);
    const std::string ppm = std::string(ONSHI_PDFTOPPM) + " -png -r 100 -singlefile '" + (dir / (name + ".pdf")).string() +
                            "' '" + (dir / name).string() + "'";
    EXPECT_EQ(std::system(ppm.c_str()), 0) << ppm;
    EXPECT_TRUE(fs::exists(dir / (name + ".png")));
    const std::string txt = std::string(ONSHI_PDFTOTEXT) + " -layout -enc UTF-8 " + (crop ? "-x 200 -y 0 -W 360 -H 842 " : "") + "'" + (dir / (name + ".pdf")).string() +
                            "' '" + (dir / (name + ".txt")).string() + "'";
    EXPECT_EQ(std::system(txt.c_str()), 0) << txt;
    return read(dir / (name + ".txt"));
}

}  // namespace

TEST(ApplicationPdf, EveryValueIsPrintedButNotThePassword) {
    const auto form = filled();
    const std::string text = render_and_extract(form, {}, "filled");
    const std::string compact = strip_spaces(text);
    for (const std::string &value :
         {form.application_date, form.contact_name, form.institution_name, form.founder_name, form.phone, form.email,
          form.account_last4, form.staff_count, form.terminal_count, form.planned_end_date}) {
        EXPECT_NE(compact.find(strip_spaces(value)), std::string::npos) << value << "\n" << text;
    }
    // The code boxes: 都道府県 / 点数表 / 医療機関コード, one digit per box.
    EXPECT_NE(compact.find(form.prefecture + form.score_table + form.institution_code7), std::string::npos) << text;
    // The form's own labels.
    for (const char *label : {"利用申請書", "申請区分", "ポータルサイトユーザー登録申請", "マイナ資格確認アプリ利用開始申請",
                              "利用終了・変更申請", "都道府県", "点数表", "医療機関コード", "取り消し", "変更"})
        EXPECT_NE(text.find(label), std::string::npos) << label;
    EXPECT_EQ(text.find(form.password), std::string::npos) << "the password was printed";
    EXPECT_EQ(compact.find(form.password), std::string::npos) << "the password was printed";
    EXPECT_EQ(compact.find("Secret2026"), std::string::npos) << "the password was printed";
    EXPECT_NE(text.find("印字していません"), std::string::npos);
}

TEST(ApplicationPdf, PasswordOnlyWhenAskedFor) {
    const auto form = filled();
    const auto options = parse_pdf_options(R"({"include_password": true})");
    EXPECT_TRUE(options.include_password);
    const std::string text = render_and_extract(form, options, "with-password");
    EXPECT_NE(text.find(std::string(form.password)), std::string::npos) << text;
    EXPECT_EQ(text.find("印字していません"), std::string::npos);

    const std::string no = render_and_extract(form, parse_pdf_options(R"({"include_password": false})"), "no-password");
    EXPECT_EQ(strip_spaces(no).find(std::string(form.password)), std::string::npos);
}

TEST(ApplicationPdf, OptionsAreChecked) {
    EXPECT_FALSE(parse_pdf_options(nullptr).include_password);
    EXPECT_FALSE(parse_pdf_options("").include_password);
    EXPECT_FALSE(parse_pdf_options("{}").include_password);
    for (const char *bad : {R"({"include_pasword": true})", R"({"include_password": "yes"})", "[]", "{", "true"}) {
        try {
            parse_pdf_options(bad);
            ADD_FAILURE() << bad << " was accepted";
        } catch (const onshi::Error &e) {
            EXPECT_EQ(e.status(), ONSHI_E_INVALID_ARGUMENT) << bad;
        }
    }
}

TEST(ApplicationPdf, SameFormSameBytes) {
    const auto form = filled();
    const auto a = render_application_pdf(form);
    const auto b = render_application_pdf(form);
    EXPECT_EQ(a, b);
    PdfOptions dated;
    dated.created = std::chrono::system_clock::time_point(std::chrono::seconds(1795000000));
    const auto c = render_application_pdf(form, dated);
    EXPECT_EQ(c, render_application_pdf(form, dated));
    const std::string s(c.begin(), c.end());
    EXPECT_NE(s.find("/CreationDate (20261118"), std::string::npos) << "creation date not from the injected clock";
}

TEST(ApplicationPdf, FontIsEmbedded) {
    const auto pdf = render_application_pdf(filled());
    const std::string s(pdf.begin(), pdf.end());
    EXPECT_NE(s.find("/FontFile"), std::string::npos) << "no embedded font program";
}

TEST(ApplicationPdf, LongValuesArePrintedWhole) {
    auto form = filled();
    form.email = std::string(60, 'a') + "@" + std::string(60, 'b') + ".example.jp";
    form.institution_name = "医療法人社団架空会みなと内科クリニック附属とても長い名前の分院第二診療所（架空）";
    const std::string password(100, 'Z');
    form.password = password;
    const std::string compact =
        strip_spaces(render_and_extract(form, parse_pdf_options(R"({"include_password": true})"), "long", true));
    EXPECT_NE(compact.find(form.email), std::string::npos);
    EXPECT_NE(compact.find(form.institution_name), std::string::npos);
    EXPECT_NE(compact.find(password), std::string::npos);
}

TEST(ApplicationPdf, SizeIsBounded) {
    PdfOptions tiny;
    tiny.max_bytes = 1000;
    try {
        render_application_pdf(filled(), tiny);
        ADD_FAILURE() << "a PDF larger than max_bytes was returned";
    } catch (const onshi::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_INTERNAL);
    }
}

// ---- from the host's JSON: onshi_application_render_pdf's path ---------------------------------

namespace {

const char *kFormJson = R"({
  "application_types": [2, 3],
  "application_date": "2026-11-20",
  "contact_name": "受付　花子",
  "institution_code": "3410712362",
  "institution_name": "さくら通り整形外科クリニック",
  "founder_name": "桜井　太郎",
  "phone": "082-555-0123",
  "email": "uketsuke@sakura-clinic.example.jp",
  "password": "Sakura2026Clinic",
  "account_last4": "1234",
  "staff_count": 12,
  "terminal_count": 2,
  "end_date": "2027-03-31",
  "end_date_change": true
})";

// 2026-11-24 12:00 JST
const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1795489200));

std::string strip_all_spaces(std::string s) {
    s = strip_spaces(std::move(s));
    for (std::size_t at; (at = s.find("\u3000")) != std::string::npos;) s.erase(at, 3);
    return s;
}

std::string pdf_text(const std::vector<std::uint8_t> &pdf, const std::string &name) {
    const fs::path path = out_dir() / (name + ".pdf");
    write(path, pdf);
    const std::string cmd = std::string(ONSHI_PDFTOTEXT) + " -layout -enc UTF-8 '" + path.string() + "' '" +
                            (out_dir() / (name + ".txt")).string() + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    return read(out_dir() / (name + ".txt"));
}

}  // namespace

TEST(ApplicationPdf, FromTheHostsJson) {
    using onshi::registration::render_application_form;
    const auto pdf = render_application_form(kFormJson, nullptr, kNow);
    EXPECT_EQ(pdf, render_application_form(kFormJson, "{}", kNow)) << "same form, same bytes";
    const std::string compact = strip_all_spaces(pdf_text(pdf, "from-json"));
    for (const char *value : {"2026年11月20日", "受付花子", "3410712362", "さくら通り整形外科クリニック", "桜井太郎",
                              "082-555-0123", "uketsuke@sakura-clinic.example.jp", "1234", "12人", "2台", "2027年3月31日"})
        EXPECT_NE(compact.find(value), std::string::npos) << value << "\n" << compact;
    EXPECT_EQ(compact.find("Sakura2026Clinic"), std::string::npos);
    EXPECT_NE(std::string(pdf.begin(), pdf.end()).find("/CreationDate (20261119150000Z)"), std::string::npos)
        << "creation date = 申請日 00:00 JST";

    const auto with = render_application_form(kFormJson, R"({"include_password": true})", kNow);
    EXPECT_NE(strip_all_spaces(pdf_text(with, "from-json-password")).find("Sakura2026Clinic"), std::string::npos);
}

TEST(ApplicationPdf, InvalidFormIsNotRendered) {
    using onshi::registration::render_application_form;
    std::string bad = kFormJson;
    bad.replace(bad.find("3410712362"), 10, "3410712363");  // check digit
    bad.replace(bad.find("\"end_date_change\": true"), 23, "\"end_date_change\": true, \"end_date_cancel\": true");
    try {
        render_application_form(bad, nullptr, kNow);
        ADD_FAILURE() << "an invalid form was rendered";
    } catch (const onshi::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_VALIDATION);
        EXPECT_NE(e.detail().en.find("institution_code"), std::string::npos) << e.detail().en;
        EXPECT_NE(e.detail().en.find("end_date"), std::string::npos) << e.detail().en;
        EXPECT_FALSE(e.detail().ja.empty());
    }
    try {
        render_application_form(kFormJson, R"({"include_passwords": true})", kNow);
        ADD_FAILURE() << "an unknown option was accepted";
    } catch (const onshi::Error &e) {
        EXPECT_EQ(e.status(), ONSHI_E_INVALID_ARGUMENT);
        EXPECT_NE(e.detail().en.find("include_passwords"), std::string::npos) << e.detail().en;
    }
}
