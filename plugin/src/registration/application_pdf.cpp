#include "registration/application_pdf.h"

#include "registration/application_form.h"

#include "util/error.h"
#include "util/json.h"

#if ONSHI_HAVE_PDF
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#endif

#include <cmath>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>

namespace onshi::registration {

#if ONSHI_HAVE_PDF
namespace {

// ---- owning wrappers ---------------------------------------------------------------------------

struct SurfaceDeleter {
    void operator()(cairo_surface_t *s) const { cairo_surface_destroy(s); }
};
struct CairoDeleter {
    void operator()(cairo_t *c) const { cairo_destroy(c); }
};
struct GObjectDeleter {
    void operator()(void *o) const { g_object_unref(o); }
};
struct FontDescriptionDeleter {
    void operator()(PangoFontDescription *d) const { pango_font_description_free(d); }
};
using Layout = std::unique_ptr<PangoLayout, GObjectDeleter>;

[[noreturn]] void internal(const std::string &what) {
    throw Error(ONSHI_E_INTERNAL, {"application form PDF: " + what, "利用申請書の PDF: " + what});
}

// ---- output into memory, bounded ----------------------------------------------------------------

struct Sink {
    std::vector<std::uint8_t> bytes;
    std::size_t max_bytes = 0;
    bool overflow = false;
};

cairo_status_t write_to_sink(void *closure, const unsigned char *data, unsigned int length) {
    auto *sink = static_cast<Sink *>(closure);
    if (length > sink->max_bytes - sink->bytes.size()) {
        sink->overflow = true;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    sink->bytes.insert(sink->bytes.end(), data, data + length);
    return CAIRO_STATUS_SUCCESS;
}

// ---- page geometry (points; A4 portrait) --------------------------------------------------------

constexpr double kPageWidth = 595.276;
constexpr double kPageHeight = 841.890;
constexpr double kLeft = 45.0;
constexpr double kRight = kPageWidth - 45.0;
constexpr double kLabelWidth = 150.0;
// Japanese first; the second family is the other Debian CJK package.
constexpr const char *kFontFamily = "IPAexGothic,IPAゴシック,Noto Sans CJK JP,sans-serif";

enum class Align { left, center, right };

class Page {
public:
    explicit Page(cairo_t *cr) : cr_(cr) {
        font_map_.reset(pango_cairo_font_map_new());
        if (!font_map_) internal("no font map");
        context_.reset(pango_font_map_create_context(font_map_.get()));
        // Unhinted outlines and unrounded positions: the layout does not depend on a device.
        cairo_font_options_t *fo = cairo_font_options_create();
        cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
        cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
        cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
        pango_cairo_context_set_font_options(context_.get(), fo);
        cairo_font_options_destroy(fo);
        pango_context_set_round_glyph_positions(context_.get(), FALSE);
        pango_cairo_update_context(cr_, context_.get());
        cairo_set_line_join(cr_, CAIRO_LINE_JOIN_MITER);
    }

    // Text in the box (x, y, w, h), wrapped at w; the size shrinks (not below 5 pt) until it fits,
    // so a long value is always printed whole.
    void text(double x, double y, double w, double h, std::string_view s, double size,
              Align align = Align::left, double gray = 0.0) {
        if (s.empty()) return;
        Layout layout(pango_layout_new(context_.get()));
        pango_layout_set_text(layout.get(), s.data(), static_cast<int>(s.size()));
        pango_layout_set_width(layout.get(), static_cast<int>(w * PANGO_SCALE));
        pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
        // No hyphen where a word is broken: a "-" would become part of a printed address.
        PangoAttrList *attrs = pango_attr_list_new();
        pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
        pango_layout_set_attributes(layout.get(), attrs);
        pango_attr_list_unref(attrs);
        pango_layout_set_alignment(layout.get(), align == Align::left     ? PANGO_ALIGN_LEFT
                                                 : align == Align::center ? PANGO_ALIGN_CENTER
                                                                          : PANGO_ALIGN_RIGHT);
        int text_w = 0, text_h = 0;
        for (;;) {
            set_font(layout.get(), size);
            pango_layout_get_size(layout.get(), &text_w, &text_h);
            if (static_cast<double>(text_h) / PANGO_SCALE <= h || size <= 5.0) break;
            size = std::max(5.0, size - 0.5);
        }
        if (pango_layout_get_unknown_glyphs_count(layout.get()) > 0)
            throw Error(ONSHI_E_NOT_SUPPORTED,
                        {"no Japanese font is installed (fonts-ipaexfont-gothic or fonts-noto-cjk)",
                         "日本語フォントがインストールされていません（fonts-ipaexfont-gothic または fonts-noto-cjk）"});
        const double th = static_cast<double>(text_h) / PANGO_SCALE;
        cairo_save(cr_);
        cairo_set_source_rgb(cr_, gray, gray, gray);
        cairo_move_to(cr_, x, y + (h - th) / 2.0);
        pango_cairo_show_layout(cr_, layout.get());
        cairo_restore(cr_);
    }

    void rect(double x, double y, double w, double h, double line = 0.8, double fill = -1.0) {
        cairo_save(cr_);
        cairo_rectangle(cr_, x, y, w, h);
        if (fill >= 0.0) {
            cairo_set_source_rgb(cr_, fill, fill, fill);
            cairo_fill_preserve(cr_);
        }
        cairo_set_source_rgb(cr_, 0, 0, 0);
        cairo_set_line_width(cr_, line);
        cairo_stroke(cr_);
        cairo_restore(cr_);
    }

    void line(double x0, double y0, double x1, double y1, double width = 0.6, bool dashed = false) {
        cairo_save(cr_);
        if (dashed) {
            const double dash[] = {2.0, 2.0};
            cairo_set_dash(cr_, dash, 2, 0);
        }
        cairo_set_source_rgb(cr_, 0, 0, 0);
        cairo_set_line_width(cr_, width);
        cairo_move_to(cr_, x0, y0);
        cairo_line_to(cr_, x1, y1);
        cairo_stroke(cr_);
        cairo_restore(cr_);
    }

    // A square check box at (x, y) with a tick when checked.
    void checkbox(double x, double y, double size, bool checked) {
        rect(x, y, size, size, 1.0);
        if (!checked) return;
        cairo_save(cr_);
        cairo_set_source_rgb(cr_, 0, 0, 0);
        cairo_set_line_width(cr_, size * 0.16);
        cairo_set_line_cap(cr_, CAIRO_LINE_CAP_ROUND);
        cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
        cairo_move_to(cr_, x + size * 0.18, y + size * 0.52);
        cairo_line_to(cr_, x + size * 0.42, y + size * 0.78);
        cairo_line_to(cr_, x + size * 0.86, y + size * 0.20);
        cairo_stroke(cr_);
        cairo_restore(cr_);
    }

    // One box per character of `value` (count boxes), each character centred in its box.
    void digit_boxes(double x, double y, std::size_t count, double box, std::string_view value) {
        // Split into UTF-8 characters so a stray non-ASCII character still lands in one box.
        std::vector<std::string_view> chars;
        for (std::size_t i = 0; i < value.size();) {
            std::size_t n = 1;
            const auto c = static_cast<unsigned char>(value[i]);
            if (c >= 0xF0) n = 4;
            else if (c >= 0xE0) n = 3;
            else if (c >= 0xC0) n = 2;
            n = std::min(n, value.size() - i);
            chars.push_back(value.substr(i, n));
            i += n;
        }
        rect(x, y, box * static_cast<double>(count), box, 1.0);
        for (std::size_t i = 1; i < count; ++i)
            line(x + box * static_cast<double>(i), y, x + box * static_cast<double>(i), y + box, 0.5, true);
        if (chars.size() > count) {  // never drop characters: print the value whole, small
            text(x + 1, y, box * static_cast<double>(count) - 2, box, value, box * 0.55, Align::center);
            return;
        }
        for (std::size_t i = 0; i < chars.size(); ++i)
            text(x + box * static_cast<double>(i), y, box, box, chars[i], box * 0.62, Align::center);
    }

    cairo_t *cr() const { return cr_; }

private:
    void set_font(PangoLayout *layout, double size) {
        std::unique_ptr<PangoFontDescription, FontDescriptionDeleter> desc(
            pango_font_description_from_string(kFontFamily));
        pango_font_description_set_absolute_size(desc.get(), size * PANGO_SCALE);
        pango_layout_set_font_description(layout, desc.get());
    }

    cairo_t *cr_;
    std::unique_ptr<PangoFontMap, GObjectDeleter> font_map_;
    std::unique_ptr<PangoContext, GObjectDeleter> context_;
};

// ---- the form -----------------------------------------------------------------------------------

// A section heading: a grey band across the page.
double section(Page &page, double y, std::string_view title, std::string_view note = {}) {
    const double h = 20.0;
    page.rect(kLeft, y, kRight - kLeft, h, 1.0, 0.82);
    page.text(kLeft + 8, y, 260, h, title, 11.0);
    if (!note.empty()) page.text(kLeft + 260, y, kRight - kLeft - 268, h, note, 8.0, Align::right);
    return y + h;
}

// A labelled row: grey label cell, white value cell; returns the next row's top.
double row(Page &page, double y, double h, std::string_view label, std::string_view sublabel) {
    page.rect(kLeft, y, kLabelWidth, h, 0.8, 0.93);
    page.rect(kLeft + kLabelWidth, y, kRight - kLeft - kLabelWidth, h, 0.8);
    if (sublabel.empty()) {
        page.text(kLeft + 8, y, kLabelWidth - 12, h, label, 10.0);
    } else {
        page.text(kLeft + 8, y + 3, kLabelWidth - 12, h * 0.55 - 3, label, 10.0);
        page.text(kLeft + 8, y + h * 0.55, kLabelWidth - 12, h * 0.45 - 3, sublabel, 7.0, Align::left, 0.25);
    }
    return y + h;
}

double value_x() { return kLeft + kLabelWidth + 10; }
double value_w() { return kRight - kLeft - kLabelWidth - 20; }

void draw_form(Page &page, const ApplicationPrintout &f, const PdfOptions &options) {
    double y = 40.0;

    // 申請日 at the top right, as on the official form.
    page.rect(kRight - 250, y, 90, 22, 0.8, 0.93);
    page.rect(kRight - 160, y, 160, 22, 0.8);
    page.text(kRight - 245, y, 82, 22, "申請日（西暦）", 9.0);
    page.text(kRight - 155, y, 150, 22, f.application_date, 11.0, Align::center);
    // 受付欄 at the top left, for the office that receives the form.
    {
        const double h = 18;
        page.text(kLeft, y - 14, 150, 12, "受付欄（記入不要）", 7.0, Align::left, 0.3);
        for (int i = 0; i < 2; ++i) {
            page.rect(kLeft, y + h * i, 56, h, 0.5, 0.93);
            page.rect(kLeft + 56, y + h * i, 130, h, 0.5);
        }
        page.text(kLeft + 5, y, 50, h, "受付日", 7.5);
        page.text(kLeft + 5, y + h, 50, h, "受付番号", 7.5);
    }
    y += 50;

    page.text(kLeft, y, kRight - kLeft, 30, "マイナ資格確認アプリ 利用申請書", 20.0, Align::center);
    y += 30;
    page.text(kLeft, y, kRight - kLeft, 16, "（オンライン資格確認 資格確認限定型）", 10.5, Align::center);
    y += 30;

    // 申請区分
    y = section(page, y, "申請区分", "該当するものすべてに印を付けてください");
    const struct {
        bool checked;
        const char *text;
    } kinds[] = {{f.apply_portal_user, "1. ポータルサイトユーザー登録申請"},
                 {f.apply_app_start, "2. マイナ資格確認アプリ利用開始申請"},
                 {f.apply_end_or_change, "3. 利用終了・変更申請"}};
    const double kind_h = 24.0;
    page.rect(kLeft, y, kRight - kLeft, kind_h * 3 + 8, 0.8);
    y += 4;
    for (const auto &kind : kinds) {
        page.checkbox(kLeft + 16, y + 5, 14, kind.checked);
        page.text(kLeft + 40, y, 400, kind_h, kind.text, 11.0);
        y += kind_h;
    }
    y += 4 + 14;

    // 申請者・医療機関等
    y = section(page, y, "医療機関等・申請者の情報");
    y = row(page, y, 28, "担当者名", "");
    page.text(value_x(), y - 28, value_w(), 28, f.contact_name, 11.0);

    // 医療機関等コード: 都道府県 (2) / 点数表 (1) / 医療機関コード (7), one box per digit.
    {
        const double h = 52.0, box = 20.0;
        y = row(page, y, h, "医療機関等コード", "10桁（最後の桁は検証番号）");
        const double top = y - h, boxes_y = top + 22;
        double x = value_x();
        page.text(x, top + 5, box * 2, 14, "都道府県", 7.5, Align::center);
        page.digit_boxes(x, boxes_y, 2, box, f.prefecture);
        x += box * 2 + 14;
        page.text(x - 6, top + 5, box + 12, 14, "点数表", 7.5, Align::center);
        page.digit_boxes(x, boxes_y, 1, box, f.score_table);
        x += box + 14;
        page.text(x, top + 5, box * 7, 14, "医療機関コード", 7.5, Align::center);
        page.digit_boxes(x, boxes_y, 7, box, f.institution_code7);
        x += box * 7 + 14;
        page.text(x, top + 4, kRight - x - 4, h - 8, "点数表\n1 医科\n3 歯科\n4 調剤", 7.5, Align::left, 0.25);
    }

    const double text_row = 28.0;
    const struct {
        const char *label;
        const char *sublabel;
        const std::string &value;
    } rows[] = {{"医療機関等名", "", f.institution_name},
                {"開設者氏名（漢字）", "", f.founder_name},
                {"電話番号", "", f.phone},
                {"メールアドレス", "", f.email}};
    for (const auto &r : rows) {
        y = row(page, y, text_row, r.label, r.sublabel);
        page.text(value_x(), y - text_row, value_w(), text_row - 4, r.value, 11.0);
    }

    y = row(page, y, text_row + 6, "パスワード", "英数字 8〜100 文字");
    if (options.include_password && !f.password.empty()) {
        page.text(value_x(), y - text_row - 6, value_w(), text_row + 2, f.password, 11.0);
    } else if (!f.password.empty() || f.password_withheld) {
        page.text(value_x(), y - text_row - 6, value_w(), text_row + 2,
                  "（印字していません。必要な場合はご記入ください）", 9.0, Align::left, 0.35);
    }

    {
        const double h = 30.0, box = 20.0;
        y = row(page, y, h, "口座番号の下4桁", "");
        page.digit_boxes(value_x(), y - h + 5, 4, box, f.account_last4);
    }

    // 職員数 and 申請台数 side by side in one row.
    {
        const double h = text_row;
        y = row(page, y, h, "職員数", "");
        const double mid = kLeft + kLabelWidth + (kRight - kLeft - kLabelWidth) / 2.0;
        page.text(value_x(), y - h, mid - value_x() - 30, h, f.staff_count, 11.0, Align::right);
        page.text(mid - 26, y - h, 20, h, "人", 10.0);
        page.rect(mid, y - h, 90, h, 0.8, 0.93);
        page.text(mid + 8, y - h, 80, h, "申請台数", 10.0);
        page.text(mid + 96, y - h, kRight - mid - 130, h, f.terminal_count, 11.0, Align::right);
        page.text(kRight - 28, y - h, 20, h, "台", 10.0);
    }
    y += 14;

    // 利用終了・変更
    y = section(page, y, "利用終了・変更", "申請区分 3 のとき記入してください");
    y = row(page, y, text_row + 4, "利用終了予定年月日", "");
    page.text(value_x(), y - text_row - 4, value_w(), text_row + 4, f.planned_end_date, 11.0);
    {
        const double h = 30.0;
        y = row(page, y, h, "利用終了予定日の", "取り消し・変更（どちらか一方）");
        const double x = value_x();
        page.checkbox(x, y - h + 8, 14, f.end_cancel);
        page.text(x + 20, y - h, 80, h, "取り消し", 11.0);
        page.checkbox(x + 110, y - h + 8, 14, f.end_change);
        page.text(x + 130, y - h, 80, h, "変更", 11.0);
    }
    y += 16;

    // Notes, as on the official form.
    const char *notes[] = {
        "※ 申請区分 2 を申請する場合、メールアドレスとパスワードの記入が必要です（申請区分 1 を同時に申請する場合を除く）。",
        "※ 医療機関等コードの最後の桁は検証番号です。申請台数はこのアプリを利用する端末の台数です。",
        "※ 取り消しと変更はどちらか一方のみ選択できます。利用終了予定年月日は申請日以降の日付を記入してください。",
        "※ パスワードは、ホストが明示的に指定した場合のみ印字されます。",
    };
    for (const char *note : notes) {
        page.text(kLeft, y, kRight - kLeft, 14, note, 8.0, Align::left, 0.2);
        y += 15;
    }

    page.line(kLeft, kPageHeight - 48, kRight, kPageHeight - 48, 0.4);
    page.text(kLeft, kPageHeight - 44, kRight - kLeft, 12, "onshi で作成した利用申請書です。内容をご確認のうえ提出してください。",
              7.0, Align::left, 0.4);
    page.text(kLeft, kPageHeight - 44, kRight - kLeft, 12, "1 / 1", 7.0, Align::right, 0.4);
}

// "YYYY-MM-DDThh:mm:ssZ" for cairo's PDF metadata.
std::string iso_date(std::chrono::system_clock::time_point t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
#ifdef _WIN32
    gmtime_s(&tm, &tt);
#else
    gmtime_r(&tt, &tm);
#endif
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace
#endif  // ONSHI_HAVE_PDF

namespace {

// "YYYY-MM-DD" → "2026年11月24日" (as given when it is not a date; a valid form has dates).
std::string japanese_date(const std::string &text) {
    const auto date = Date::parse(text);
    if (!date) return text;
    return std::to_string(date->year) + "年" + std::to_string(date->month) + "月" + std::to_string(date->day) + "日";
}

std::string count(const std::optional<std::int64_t> &n) { return n ? std::to_string(*n) : std::string(); }

}  // namespace

ApplicationPrintout to_printout(const ApplicationForm &form, bool include_password) {
    ApplicationPrintout p;
    p.apply_portal_user = form.apply_portal_user;
    p.apply_app_start = form.apply_app_start;
    p.apply_end_or_change = form.apply_end_or_change;
    p.application_date = japanese_date(form.application_date);
    p.contact_name = form.contact_name;
    p.prefecture = form.prefecture();
    p.score_table = form.score_table();
    p.institution_code7 = form.code7();
    p.institution_name = form.institution_name;
    p.founder_name = form.founder_name;
    p.phone = form.phone;
    p.email = form.email;
    if (include_password) p.password = form.password.view();
    else p.password_withheld = form.password.size() > 0;
    p.account_last4 = form.account_last4;
    p.staff_count = count(form.staff_count);
    p.terminal_count = count(form.terminal_count);
    p.planned_end_date = japanese_date(form.end_date);
    p.end_cancel = form.end_date_cancel;
    p.end_change = form.end_date_change;
    return p;
}

PdfOptions parse_pdf_options(const char *options_json) {
    PdfOptions options;
    if (!options_json || !*options_json) return options;
    const auto doc = json::parse(options_json, "options_json", ONSHI_E_INVALID_ARGUMENT, {64 * 1024, 8});
    json::ObjectReader reader(doc, "options_json", ONSHI_E_INVALID_ARGUMENT);
    if (auto include = reader.boolean("include_password")) options.include_password = *include;
    reader.finish();
    return options;
}

#if ONSHI_HAVE_PDF
std::vector<std::uint8_t> render_application_pdf(const ApplicationPrintout &form, const PdfOptions &options) {
    // One form at a time: fontconfig, harfbuzz and cairo share process-wide caches whose thread
    // safety varies by version, and printing a form is rare and quick (~50 ms).
    static std::mutex render_mutex;
    std::lock_guard lock(render_mutex);
    Sink sink;
    sink.max_bytes = options.max_bytes;
    std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
        cairo_pdf_surface_create_for_stream(write_to_sink, &sink, kPageWidth, kPageHeight));
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        internal(cairo_status_to_string(cairo_surface_status(surface.get())));
    cairo_pdf_surface_restrict_to_version(surface.get(), CAIRO_PDF_VERSION_1_5);
    // A fixed creation date unless one is injected: the same form gives the same bytes.
    const std::string created = options.created ? iso_date(*options.created) : "2000-01-01T00:00:00Z";
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, created.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, "利用申請書");
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "onshi");
    {
        std::unique_ptr<cairo_t, CairoDeleter> cr(cairo_create(surface.get()));
        Page page(cr.get());
        draw_form(page, form, options);
        cairo_show_page(cr.get());
        if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) internal(cairo_status_to_string(cairo_status(cr.get())));
    }
    cairo_surface_finish(surface.get());
    if (sink.overflow)
        internal("the PDF exceeds " + std::to_string(options.max_bytes) + " bytes");
    if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        internal(cairo_status_to_string(cairo_surface_status(surface.get())));
    return std::move(sink.bytes);
}
#else

std::vector<std::uint8_t> render_application_pdf(const ApplicationPrintout &, const PdfOptions &) {
    throw Error(ONSHI_E_NOT_SUPPORTED, {"this build of onshi cannot print application forms (built without cairo/pango)",
                                        "このビルドの onshi は利用申請書を印刷できません（cairo/pango なしでビルド）"});
}

#endif  // ONSHI_HAVE_PDF

std::vector<std::uint8_t> render_application_form(std::string_view form_json, const char *options_json,
                                                  std::chrono::system_clock::time_point now) {
    PdfOptions options = parse_pdf_options(options_json);
    Report report;
    const ApplicationForm form = ApplicationForm::from_json(form_json, report);
    form.validate(Date::in_japan(now), report);
    if (!report.valid()) {
        // The first few errors, each naming its field; onshi_application_validate lists them all.
        constexpr std::size_t kShown = 3;
        Text detail;
        for (std::size_t i = 0; i < report.errors.size() && i < kShown; ++i) {
            const Issue &issue = report.errors[i];
            detail.en += (i ? "; " : "") + issue.field + ": " + issue.message.en;
            detail.ja += (i ? "、" : "") + issue.field + ": " + issue.message.ja;
        }
        if (report.errors.size() > kShown) {
            const std::string more = std::to_string(report.errors.size() - kShown);
            detail.en += "; and " + more + " more (see onshi_application_validate)";
            detail.ja += "、ほか " + more + " 件（onshi_application_validate で確認できます）";
        }
        throw Error(ONSHI_E_VALIDATION, detail);
    }
    if (const auto date = Date::parse(form.application_date)) {
        using namespace std::chrono;
        const auto day = sys_days(year_month_day(year(date->year), month(static_cast<unsigned>(date->month)),
                                                 std::chrono::day(static_cast<unsigned>(date->day))));
        options.created = system_clock::time_point(day - hours(9));
    }
    return render_application_pdf(to_printout(form, options.include_password), options);
}

}  // namespace onshi::registration
