#include "gateway/app_text_import.h"

#include "gateway/code_tables.h"
#include "gateway/eligibility_result.h"
#include "gateway/era_date.h"
#include "gateway/xml_result_import.h"
#include "util/error.h"
#include "util/json.h"

#include <rapidjson/document.h>

#include <array>
#include <map>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

namespace onshi::gateway {
namespace {

[[noreturn]] void fail(const std::string &en, const std::string &ja) {
    throw Error(ONSHI_E_PARSE, {"app text: " + en, "資格確認アプリの結果テキスト: " + ja});
}

// Where a value lands in the official result.
enum class Block { header, body, result, limit, elderly };

// How the text's value becomes the official value.
enum class Kind {
    text,    // as copied (trimmed): names, 記号, 番号 (which may hold full-width characters)
    digits,  // full-width digits made ASCII, then digits only (保険者番号, 枝番)
    ascii,   // full-width ASCII made ASCII (郵便番号)
    date,    // 和暦 or Western -> YYYYMMDD
    code,    // a code table's Japanese label -> its code; a code itself is kept
    ratio,   // "3割", "30%" -> "030"
};

struct Field {
    Block block;
    std::string_view element;
    Kind kind;
    std::vector<std::string_view> labels;  // normalised (ascii_width, no spaces)
    std::vector<std::string_view> codes;   // Kind::code: the codes whose labels are tried
};

// The fields a heading's section holds; a label that no section field has is looked up in the
// main table, so that a missing heading does not lose a line.
enum class Section { main, limit, elderly };

// Field order is the order of the official elements in the result (docs/eligibility-format.md).
const std::vector<Field> &main_fields() {
    static const std::vector<Field> fields{
        {Block::header, "QualificationConfirmationDate", Kind::date, {"確認日", "資格確認日", "確認年月日"}, {}},
        {Block::body, "QualificationValidity", Kind::code, {"資格有効性", "資格の有効性", "資格状況"}, {"1", "2", "3", "4", "5", "6"}},
        {Block::result, "InsuredCardClassification", Kind::code, {"被保険者証区分", "保険証区分"},
         {"01", "02", "03", "04", "05", "06", "07", "A1"}},
        {Block::result, "InsurerNumber", Kind::digits, {"保険者番号"}, {}},
        {Block::result, "InsuredCardSymbol", Kind::text, {"記号", "被保険者証記号"}, {}},
        {Block::result, "InsuredIdentificationNumber", Kind::text, {"番号", "被保険者証番号"}, {}},
        {Block::result, "InsuredBranchNumber", Kind::digits, {"枝番", "被保険者証枝番"}, {}},
        {Block::result, "PersonalFamilyClassification", Kind::code, {"本人・家族の別", "本人家族の別", "本人・家族", "本人家族区分"}, {"1", "2"}},
        {Block::result, "InsuredName", Kind::text, {"被保険者氏名", "世帯主氏名", "被保険者氏名(世帯主氏名)"}, {}},
        {Block::result, "Name", Kind::text, {"氏名"}, {}},
        {Block::result, "NameKana", Kind::text, {"フリガナ", "氏名カナ", "カナ氏名", "氏名(カナ)", "ふりがな"}, {}},
        {Block::result, "Sex1", Kind::code, {"性別"}, {"1", "2", "3"}},
        {Block::result, "Birthdate", Kind::date, {"生年月日"}, {}},
        {Block::result, "Address", Kind::text, {"住所"}, {}},
        {Block::result, "PostNumber", Kind::ascii, {"郵便番号"}, {}},
        {Block::result, "QualificationDate", Kind::date, {"資格取得年月日", "資格取得日"}, {}},
        {Block::result, "DisqualificationDate", Kind::date, {"資格喪失年月日", "資格喪失日"}, {}},
        {Block::result, "InsuredCertificateIssuanceDate", Kind::date, {"交付年月日", "発行年月日"}, {}},
        {Block::result, "InsuredCardValidDate", Kind::date, {"有効開始日", "有効開始年月日"}, {}},
        {Block::result, "InsuredCardExpirationDate", Kind::date, {"有効終了日", "有効終了年月日", "有効期限"}, {}},
        {Block::result, "InsuredPartialContributionRatio", Kind::ratio, {"一部負担金割合", "負担割合", "一部負担割合"}, {}},
        {Block::result, "InsurerName", Kind::text, {"保険者名", "保険者名称"}, {}},
    };
    return fields;
}

const std::vector<Field> &limit_fields() {
    static const std::vector<Field> fields{
        {Block::limit, "LimitApplicationCertificateClassification", Kind::code, {"種類", "種別", "認定証区分", "証区分"}, {"01", "02", "03"}},
        {Block::limit, "LimitApplicationCertificateClassificationFlag", Kind::code,
         {"区分", "適用区分", "所得区分", "限度額適用区分"},
         {"A01", "A02", "A03", "A04", "A05", "A06", "B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B09", "B10"}},
        {Block::limit, "LimitApplicationCertificateDate", Kind::date, {"交付年月日", "発行年月日"}, {}},
        {Block::limit, "LimitApplicationCertificateValidStartDate", Kind::date, {"有効開始年月日", "有効開始日"}, {}},
        {Block::limit, "LimitApplicationCertificateValidEndDate", Kind::date, {"有効終了年月日", "有効終了日", "有効期限"}, {}},
        {Block::limit, "LimitApplicationCertificateLongTermDate", Kind::date, {"長期入院該当年月日", "長期入院該当日"}, {}},
    };
    return fields;
}

const std::vector<Field> &elderly_fields() {
    static const std::vector<Field> fields{
        {Block::elderly, "ElderlyRecipientCertificateDate", Kind::date, {"交付年月日", "発行年月日"}, {}},
        {Block::elderly, "ElderlyRecipientValidStartDate", Kind::date, {"有効開始年月日", "有効開始日"}, {}},
        {Block::elderly, "ElderlyRecipientValidEndDate", Kind::date, {"有効終了年月日", "有効終了日", "有効期限"}, {}},
        {Block::elderly, "ElderlyRecipientContributionRatio", Kind::ratio, {"一部負担金割合", "負担割合", "一部負担割合"}, {}},
    };
    return fields;
}

const std::vector<Field> &fields_of(Section s) {
    switch (s) {
    case Section::limit: return limit_fields();
    case Section::elderly: return elderly_fields();
    case Section::main: break;
    }
    return main_fields();
}

const Field *find_field(Section section, std::string_view label) {
    for (Section s : {section, Section::main})
        for (const Field &f : fields_of(s))
            for (std::string_view l : f.labels)
                if (l == label) return &f;
    return nullptr;
}

// ---- text handling -----------------------------------------------------------------------------

// U+3000 IDEOGRAPHIC SPACE (全角スペース) in UTF-8.
constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";

bool is_space_at(std::string_view s, std::size_t i, std::size_t &width) {
    if (s[i] == ' ' || s[i] == '\t') return width = 1, true;
    if (s.substr(i, kIdeographicSpace.size()) == kIdeographicSpace) return width = kIdeographicSpace.size(), true;
    return false;
}

std::string_view trim(std::string_view s) {
    std::size_t w = 0;
    while (!s.empty() && is_space_at(s, 0, w)) s.remove_prefix(w);
    while (!s.empty()) {
        if (s.back() == ' ' || s.back() == '\t') {
            s.remove_suffix(1);
        } else if (s.ends_with(kIdeographicSpace)) {
            s.remove_suffix(kIdeographicSpace.size());
        } else {
            break;
        }
    }
    return s;
}

// Decorations around headings and labels: 【限度額適用認定証】, ■氏名, [記号].
constexpr std::array<std::string_view, 14> kDecorations{"【", "】", "■", "□", "●", "○", "◆", "◇", "〔", "〕", "[", "]", "<", ">"};

std::string_view undecorate(std::string_view s) {
    for (bool changed = true; changed;) {
        changed = false;
        s = trim(s);
        for (std::string_view d : kDecorations) {
            if (s.substr(0, d.size()) == d) s.remove_prefix(d.size()), changed = true;
            if (s.size() >= d.size() && s.substr(s.size() - d.size()) == d) s.remove_suffix(d.size()), changed = true;
        }
    }
    return s;
}

// A label as the tables spell it: decorations gone, full-width ASCII made ASCII, no spaces.
std::string normalised_label(std::string_view raw) {
    std::string out;
    for (char c : ascii_width(undecorate(raw)))
        if (c != ' ' && c != '\t') out += c;
    return out;
}

struct Line {
    std::size_t number;
    std::string_view label;  // raw, trimmed
    std::string_view value;  // raw, trimmed; empty for a heading
    bool has_separator = false;
};

// Splits at the first colon (half- or full-width) or tab; without one, at the first run of spaces
// when the first word is a label onshi knows.
Line split_line(std::size_t number, std::string_view raw, Section section) {
    Line line{number, trim(raw), {}, false};
    for (std::size_t i = 0; i < line.label.size(); ++i) {
        std::size_t sep = 0;
        if (line.label[i] == ':' || line.label[i] == '\t') sep = 1;
        if (line.label.substr(i, 3) == "：") sep = 3;
        if (sep) {
            line.value = trim(line.label.substr(i + sep));
            line.label = trim(line.label.substr(0, i));
            line.has_separator = true;
            return line;
        }
    }
    for (std::size_t i = 0, w = 0; i < line.label.size(); ++i) {
        if (!is_space_at(line.label, i, w)) continue;
        if (!find_field(section, normalised_label(line.label.substr(0, i)))) break;
        line.value = trim(line.label.substr(i));
        line.label = line.label.substr(0, i);
        line.has_separator = true;
        break;
    }
    return line;
}

std::optional<Section> heading_section(std::string_view label) {
    const std::string l = normalised_label(label);
    if (l.find("限度額") != std::string::npos) return Section::limit;
    if (l.find("高齢受給者") != std::string::npos) return Section::elderly;
    return std::nullopt;
}

// ---- values ------------------------------------------------------------------------------------

bool all_digits(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }

std::optional<std::string> ratio_of(std::string_view raw) {
    std::string v;
    for (char c : ascii_width(raw))
        if (c != ' ') v += c;
    if (v.size() == 3 && all_digits(v)) return v;  // already the official "030"
    int percent = -1;
    if (v.size() > 3 && v.substr(v.size() - 3) == "割" && all_digits(v.substr(0, v.size() - 3)) && v.size() - 3 <= 2)
        percent = std::stoi(v.substr(0, v.size() - 3)) * 10;
    if (v.size() > 1 && v.back() == '%' && all_digits(v.substr(0, v.size() - 1)) && v.size() - 1 <= 3)
        percent = std::stoi(v.substr(0, v.size() - 1));
    if (percent < 0 || percent > 100) return std::nullopt;
    const std::string digits = std::to_string(percent);
    return std::string(3 - digits.size(), '0') + digits;
}

std::optional<std::string> code_of(const Field &f, std::string_view raw) {
    const std::string v = ascii_width(raw);
    for (std::string_view code : f.codes)
        if (v == code) return std::string(code);
    // The label, also with 性 after 男/女 ("男性") and without the brackets of a written-out label.
    std::string_view label = raw;
    if (f.element == "Sex1" && (raw == "男性" || raw == "女性")) label = raw.substr(0, 3);
    for (std::string_view code : f.codes)
        if (auto l = code_label(f.element, code); l && l->ja == label) return std::string(code);
    return std::nullopt;
}

// "なし" and dashes mean the app has nothing there: the element is left out.
bool says_nothing(std::string_view v) {
    static constexpr std::array<std::string_view, 7> kNothing{"", "なし", "-", "－", "―", "ー", "—"};
    for (std::string_view n : kNothing)
        if (v == n) return true;
    return false;
}

std::optional<std::string> official_value(const Field &f, std::string_view raw) {
    switch (f.kind) {
    case Kind::text: return std::string(raw);
    case Kind::ascii: return ascii_width(raw);
    case Kind::digits: {
        std::string v = ascii_width(raw);
        if (!all_digits(v) || v.size() > 16) return std::nullopt;
        return v;
    }
    case Kind::date: return western_date(raw);
    case Kind::code: return code_of(f, raw);
    case Kind::ratio: return ratio_of(raw);
    }
    return std::nullopt;
}

const char *what_en(Kind k) {
    switch (k) {
    case Kind::date: return "a date (和暦 such as 令和元年5月1日, or YYYYMMDD)";
    case Kind::digits: return "digits";
    case Kind::code: return "one of the values this field has";
    case Kind::ratio: return "a ratio such as 3割";
    default: return "text";
    }
}
const char *what_ja(Kind k) {
    switch (k) {
    case Kind::date: return "日付(令和元年5月1日 のような和暦、または YYYYMMDD)";
    case Kind::digits: return "数字";
    case Kind::code: return "この項目の値のいずれか";
    case Kind::ratio: return "3割 のような割合";
    default: return "文字";
    }
}

// ---- the parse ---------------------------------------------------------------------------------

struct Unmapped {
    std::size_t line;
    std::string section;
    std::string label;
    std::string value;
};

struct Parsed {
    std::map<std::string_view, std::string> values;  // element -> official value
    std::vector<Unmapped> unmapped;
    std::vector<std::string_view> inferred;
};

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && text[i] != '\n' && text[i] != '\r') continue;
        lines.push_back(text.substr(start, i - start));
        if (i + 1 < text.size() && text[i] == '\r' && text[i + 1] == '\n') ++i;
        start = i + 1;
        if (lines.size() > kMaxAppTextLines)
            fail("more than " + std::to_string(kMaxAppTextLines) + " lines",
                 "行数が多すぎます(上限 " + std::to_string(kMaxAppTextLines) + " 行)");
    }
    return lines;
}

Parsed parse(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    if (text.size() > kMaxAppTextBytes)
        fail("the text is larger than " + std::to_string(kMaxAppTextBytes) + " bytes",
             "テキストが大きすぎます(上限 " + std::to_string(kMaxAppTextBytes) + " バイト)");
    if (const std::size_t bad = invalid_utf8_at(text); bad != std::string_view::npos)
        fail("not UTF-8 (or a control character) at byte offset " + std::to_string(bad) + "; save the text as UTF-8",
             std::to_string(bad) + "バイト目が UTF-8 ではないか制御文字です(UTF-8 で保存してください)");

    Parsed p;
    Section section = Section::main;
    std::string section_name;
    const std::vector<std::string_view> lines = lines_of(text);
    bool blank = true;
    for (std::string_view l : lines) blank = blank && trim(l).empty();
    if (blank) fail("the text is empty", "テキストが空です");
    for (std::size_t n = 0; n < lines.size(); ++n) {
        if (trim(lines[n]).empty()) continue;
        const Line line = split_line(n + 1, lines[n], section);
        const std::string label = normalised_label(line.label);
        if (!line.has_separator || line.value.empty()) {
            // A heading: it opens a known section, or goes back to the main one.
            if (auto s = heading_section(line.label); s && !find_field(Section::main, label)) {
                section = *s;
                section_name = std::string(undecorate(line.label));
                continue;
            }
            if (!line.has_separator) {
                section = Section::main;
                section_name = std::string(undecorate(line.label));
                p.unmapped.push_back({line.number, section_name, std::string(line.label), ""});
                continue;
            }
        }
        const Field *field = find_field(section, label);
        if (!field || p.values.count(field->element)) {  // unknown, or said twice: keep the line
            p.unmapped.push_back({line.number, section_name, std::string(line.label), std::string(line.value)});
            if (auto s = heading_section(line.label); s && !field) {  // "限度額適用認定証：あり"
                section = *s;
                section_name = std::string(undecorate(line.label));
            }
            continue;
        }
        if (says_nothing(line.value)) continue;
        std::optional<std::string> value = official_value(*field, line.value);
        if (!value) {
            const std::string at = "line " + std::to_string(line.number) + " (" + label + ")";
            fail(at + ": the value is not " + what_en(field->kind),
                 std::to_string(line.number) + "行目(" + label + "): 値が" + what_ja(field->kind) + "ではありません");
        }
        p.values.emplace(field->element, std::move(*value));
    }
    if (!p.values.count("InsurerNumber") || !(p.values.count("Name") || p.values.count("Birthdate")))
        fail("no 保険者番号 with a 氏名 or 生年月日: not a result of the マイナ資格確認アプリ",
             "保険者番号と氏名または生年月日がありません(マイナ資格確認アプリの結果ではありません)");
    return p;
}

using Alloc = rapidjson::Document::AllocatorType;

rapidjson::Value string_value(std::string_view s, Alloc &a) {
    return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

void add(rapidjson::Value &object, std::string_view name, std::string_view value, Alloc &a) {
    object.AddMember(string_value(name, a), string_value(value, a), a);
}

// Adds every value of `fields` that the text gave to `object`, in the table's order.
void add_fields(rapidjson::Value &object, const std::vector<Field> &fields, Block block, const Parsed &p, Alloc &a) {
    for (const Field &f : fields) {
        if (f.block != block) continue;
        auto it = p.values.find(f.element);
        if (it != p.values.end()) add(object, f.element, it->second, a);
    }
}

rapidjson::Document official_document(Parsed &p) {
    rapidjson::Document doc(rapidjson::kObjectType);
    Alloc &a = doc.GetAllocator();
    // What the app does not print but a result it shows implies (docs/folder-interface.md):
    // it was processed, and a qualification was found and is valid unless the text says otherwise.
    p.inferred = {"SegmentOfResult", "ProcessingResultStatus"};
    if (!p.values.count("QualificationValidity")) p.inferred.push_back("QualificationValidity");

    rapidjson::Value header(rapidjson::kObjectType);
    add_fields(header, main_fields(), Block::header, p, a);
    add(header, "SegmentOfResult", "1", a);

    rapidjson::Value result(rapidjson::kObjectType);
    add_fields(result, main_fields(), Block::result, p, a);
    for (auto [block, name, fields] : {std::tuple{Block::elderly, "ElderlyRecipientCertificateInfo", &elderly_fields()},
                                       std::tuple{Block::limit, "LimitApplicationCertificateRelatedInfo", &limit_fields()}}) {
        rapidjson::Value info(rapidjson::kObjectType);
        add_fields(info, *fields, block, p, a);
        if (info.MemberCount()) result.AddMember(rapidjson::StringRef(name), info, a);
    }
    rapidjson::Value results(rapidjson::kArrayType);
    results.PushBack(result, a);
    rapidjson::Value list(rapidjson::kObjectType);
    list.AddMember("ResultOfQualificationConfirmation", results, a);

    rapidjson::Value body(rapidjson::kObjectType);
    add(body, "ProcessingResultStatus", "1", a);
    auto validity = p.values.find("QualificationValidity");
    add(body, "QualificationValidity", validity != p.values.end() ? std::string_view(validity->second) : "1", a);
    body.AddMember("ResultList", list, a);

    rapidjson::Value xml_msg(rapidjson::kObjectType);
    xml_msg.AddMember("MessageHeader", header, a);
    xml_msg.AddMember("MessageBody", body, a);
    doc.AddMember("XmlMsg", xml_msg, a);
    return doc;
}

void write_app_text_member(json::Writer &w, const Parsed &p) {
    w.key("app_text").begin_object();
    w.key("inferred").begin_array();
    for (std::string_view e : p.inferred) w.String(e.data(), static_cast<rapidjson::SizeType>(e.size()), true);
    w.end_array();
    w.key("unmapped").begin_array();
    for (const Unmapped &u : p.unmapped)
        w.begin_object()
            .member("line", static_cast<std::int64_t>(u.line))
            .member("section", u.section)
            .member("label", u.label)
            .member("value", u.value)
            .end_object();
    w.end_array();
    w.end_object();
}

}  // namespace

std::string official_json_from_app_text(std::string_view text) {
    Parsed p = parse(text);
    return json::serialize(official_document(p));
}

void write_result_from_app_text(json::Writer &out, std::string_view text) {
    Parsed p = parse(text);
    const rapidjson::Document doc = official_document(p);
    ResultDetails details;
    details.source = "app_text";
    details.write_extra = [&p](json::Writer &w) { write_app_text_member(w, p); };
    write_eligibility_result(out, doc, details, ONSHI_E_PARSE);
}

std::string result_json_from_app_text(std::string_view text) {
    json::Writer w;
    write_result_from_app_text(w, text);
    return w.text();
}

}  // namespace onshi::gateway
