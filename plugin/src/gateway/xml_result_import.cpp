#include "gateway/xml_result_import.h"

#include "gateway/eligibility_result.h"
#include "util/error.h"
#include "util/json.h"

#include <pugixml.hpp>
#include <rapidjson/document.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <iconv.h>
#endif

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <unordered_map>

namespace onshi::gateway {

// Offset of the first byte that is not well-formed UTF-8 or is a control character XML forbids,
// or npos.
std::size_t invalid_utf8_at(std::string_view s) {
    const auto *b = reinterpret_cast<const unsigned char *>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned c = b[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return i;
            ++i;
            continue;
        }
        std::size_t len;
        unsigned min;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2, min = 0x80, cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3, min = 0x800, cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4, min = 0x10000, cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n) return i;
        for (std::size_t k = 1; k < len; ++k) {
            if ((b[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (b[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return i;
        i += len;
    }
    return std::string_view::npos;
}

namespace {

[[noreturn]] void fail(const std::string &en, const std::string &ja) {
    throw Error(ONSHI_E_PARSE, {"result XML: " + en, "資格確認結果XML: " + ja});
}

std::size_t line_at(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::string where_en(std::string_view text, std::size_t offset) {
    return "line " + std::to_string(line_at(text, offset)) + ", byte offset " + std::to_string(offset);
}
std::string where_ja(std::string_view text, std::size_t offset) {
    return std::to_string(line_at(text, offset)) + "行目(" + std::to_string(offset) + "バイト目)";
}

enum class Encoding { utf8, cp932, euc_jp };

std::string lower(std::string_view s) {
    std::string out(s);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::optional<Encoding> encoding_named(std::string_view name) {
    const std::string n = lower(name);
    static const std::array<std::string_view, 3> utf8{"utf-8", "utf8", "us-ascii"};
    static const std::array<std::string_view, 10> sjis{"shift_jis", "shift-jis", "sjis",   "x-sjis",      "windows-31j",
                                                       "cp932",     "ms932",     "ms_kanji", "csshiftjis", "csWindows31J"};
    static const std::array<std::string_view, 3> euc{"euc-jp", "eucjp", "x-euc-jp"};
    for (auto e : utf8)
        if (n == e) return Encoding::utf8;
    for (auto e : sjis)
        if (n == lower(e)) return Encoding::cp932;
    for (auto e : euc)
        if (n == e) return Encoding::euc_jp;
    return std::nullopt;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// encoding="..." of the XML declaration (ASCII in every encoding we accept); nullopt when the
// file has no declaration or the declaration names no encoding.
std::optional<std::string> declared_encoding(std::string_view text) {
    if (text.substr(0, 5) != "<?xml" || text.size() < 6 || !is_space(text[5])) return std::nullopt;
    const std::size_t end = text.substr(0, 1024).find("?>");
    if (end == std::string_view::npos) fail("the XML declaration is not closed (" + where_en(text, 0) + ")",
                                            "XML宣言が閉じていません(" + where_ja(text, 0) + ")");
    std::string_view decl = text.substr(0, end);
    std::size_t p = decl.find("encoding");
    if (p == std::string_view::npos) return std::nullopt;
    p += 8;
    while (p < decl.size() && is_space(decl[p])) ++p;
    if (p >= decl.size() || decl[p] != '=') fail("malformed encoding in the XML declaration", "XML宣言の encoding が正しくありません");
    ++p;
    while (p < decl.size() && is_space(decl[p])) ++p;
    if (p >= decl.size() || (decl[p] != '"' && decl[p] != '\'')) fail("malformed encoding in the XML declaration", "XML宣言の encoding が正しくありません");
    const char quote = decl[p++];
    const std::size_t close = decl.find(quote, p);
    if (close == std::string_view::npos) fail("malformed encoding in the XML declaration", "XML宣言の encoding が正しくありません");
    return std::string(decl.substr(p, close - p));
}

// The value of <CharacterCodeIdentifier>, found byte-wise: '<' never occurs inside a CP932 or
// EUC-JP multi-byte character, so the search is safe before decoding.
std::optional<std::string> character_code_identifier(std::string_view text) {
    constexpr std::string_view open = "<CharacterCodeIdentifier>";
    const std::size_t p = text.find(open);
    if (p == std::string_view::npos) return std::nullopt;
    const std::size_t start = p + open.size();
    const std::size_t end = text.find('<', start);
    if (end == std::string_view::npos || end - start > 8) return std::nullopt;
    std::string value(text.substr(start, end - start));
    value.erase(std::remove_if(value.begin(), value.end(), is_space), value.end());
    return value;
}

#ifdef _WIN32
// Windows: the system's code pages (932 = CP932, 20932 = EUC-JP) instead of iconv.
std::string to_utf8(std::string_view text, unsigned code_page, const char *label) {
    if (text.empty()) return {};
    const int in_size = static_cast<int>(text.size());
    const int wide_size = MultiByteToWideChar(code_page, MB_ERR_INVALID_CHARS, text.data(), in_size, nullptr, 0);
    if (wide_size <= 0)
        fail(std::string("byte sequence not valid in ") + label, std::string(label) + " として不正なバイト列があります");
    std::wstring wide(static_cast<std::size_t>(wide_size), L'\0');
    MultiByteToWideChar(code_page, MB_ERR_INVALID_CHARS, text.data(), in_size, wide.data(), wide_size);
    const int out_size = WideCharToMultiByte(CP_UTF8, 0, wide.data(), wide_size, nullptr, 0, nullptr, nullptr);
    std::string out(static_cast<std::size_t>(out_size), '\0');
    WideCharToMultiByte(CP_UTF8, 0, wide.data(), wide_size, out.data(), out_size, nullptr, nullptr);
    return out;
}
constexpr unsigned kCp932 = 932;
constexpr unsigned kEucJp = 20932;
#else
struct IconvHandle {
    iconv_t cd;
    ~IconvHandle() { iconv_close(cd); }
};

std::string to_utf8(std::string_view text, const char *from, const char *label) {
    iconv_t cd = iconv_open("UTF-8", from);
    // (iconv_t)-1 is iconv_open's documented failure value, not a pointer we make up.
    if (cd == reinterpret_cast<iconv_t>(-1))  // NOLINT(performance-no-int-to-ptr)
        throw Error(ONSHI_E_NOT_SUPPORTED, {std::string("result XML: the C library cannot convert ") + label,
                                            std::string("資格確認結果XML: ") + label + " を変換できません(iconv)"});
    IconvHandle handle{cd};
    std::string out(text.size() * 3 + 16, '\0');  // CP932 / EUC-JP: at most 3 UTF-8 bytes per byte
    char *in = const_cast<char *>(text.data());
    std::size_t in_left = text.size();
    char *dst = out.data();
    std::size_t out_left = out.size();
    if (iconv(handle.cd, &in, &in_left, &dst, &out_left) == static_cast<std::size_t>(-1)) {
        const std::size_t at = text.size() - in_left;
        fail(std::string("byte sequence not valid in ") + label + " at " + where_en(text, at),
             std::string(label) + " として不正なバイト列があります(" + where_ja(text, at) + ")");
    }
    out.resize(out.size() - out_left);
    return out;
}
constexpr const char *kCp932 = "CP932";
constexpr const char *kEucJp = "EUC-JP";
#endif

// Decodes the file into UTF-8 following docs/eligibility-format.md §Encoding.
std::string decode(std::string_view bytes) {
    if (bytes.empty()) fail("the file is empty", "ファイルが空です");
    if (bytes.size() > kMaxResultXmlBytes)
        fail("the file is larger than " + std::to_string(kMaxResultXmlBytes) + " bytes",
             "ファイルが大きすぎます(上限 " + std::to_string(kMaxResultXmlBytes) + " バイト)");
    if (bytes.size() >= 2 && ((bytes[0] == '\xFE' && bytes[1] == '\xFF') || (bytes[0] == '\xFF' && bytes[1] == '\xFE')))
        fail("UTF-16 is not a result XML encoding (expected UTF-8 or Shift_JIS)",
             "UTF-16 には対応していません(UTF-8 または Shift_JIS)");
    bool bom = bytes.substr(0, 3) == "\xEF\xBB\xBF";
    std::string_view text = bom ? bytes.substr(3) : bytes;

    std::optional<Encoding> encoding;
    const std::optional<std::string> declared = declared_encoding(text);
    if (declared) {
        encoding = encoding_named(*declared);
        if (!encoding) fail("unsupported encoding \"" + *declared + "\" in the XML declaration (expected UTF-8 or Shift_JIS)",
                            "XML宣言の文字コード \"" + *declared + "\" には対応していません(UTF-8 または Shift_JIS)");
    }
    const std::optional<std::string> cci = character_code_identifier(text);
    // 1 = Shift_JIS (myclinic, face files); 2 = Shift_JIS in the one source numbering 1 UTF-8 / 2 Shift_JIS.
    const bool cci_sjis = cci && (*cci == "1" || *cci == "2");
    // Without a declaration, bytes that are valid UTF-8 are UTF-8 (which also covers the source that
    // numbers 1 as UTF-8: CP932 text with kanji is practically never valid UTF-8); otherwise
    // CharacterCodeIdentifier decides.
    if (!encoding) encoding = Encoding::utf8;

    if (*encoding == Encoding::utf8) {
        const std::size_t bad = invalid_utf8_at(text);
        if (bad == std::string_view::npos) return std::string(text);
        // A writer that declares UTF-8 but writes Shift_JIS bytes, as CharacterCodeIdentifier says.
        if (cci_sjis && !bom) return to_utf8(text, kCp932, "Shift_JIS (CP932)");
        fail("not valid UTF-8 (or a control character) at " + where_en(text, bad),
             "UTF-8 として不正なバイトまたは制御文字があります(" + where_ja(text, bad) + ")");
    }
    std::string utf8 = *encoding == Encoding::cp932 ? to_utf8(text, kCp932, "Shift_JIS (CP932)") : to_utf8(text, kEucJp, "EUC-JP");
    const std::size_t bad = invalid_utf8_at(utf8);
    if (bad != std::string_view::npos)
        fail("a control character XML does not allow at line " + std::to_string(line_at(utf8, bad)),
             std::to_string(line_at(utf8, bad)) + "行目にXMLで使えない制御文字があります");
    return utf8;
}

std::string_view local_name(const char *name) {
    std::string_view n(name);
    const std::size_t colon = n.rfind(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

bool always_array(std::string_view name) {
    return name == "ResultOfQualificationConfirmation" || name == "SpecificDiseasesCertificateInfo" ||
           name == "MedicalTicketInfo" || name == "BulkConfirmUnit";
}

// Depth check before conversion (pugixml's traversal is iterative; ours below recurses).
struct DepthCheck : pugi::xml_tree_walker {
    pugi::xml_node too_deep;
    bool for_each(pugi::xml_node &node) override {
        if (depth() + 1 > static_cast<int>(kMaxResultXmlDepth) && node.type() == pugi::node_element) {
            too_deep = node;
            return false;
        }
        return true;
    }
};

using Alloc = rapidjson::Document::AllocatorType;

void convert(const pugi::xml_node &element, rapidjson::Value &out, Alloc &alloc) {
    bool has_elements = false;
    for (pugi::xml_node child = element.first_child(); child; child = child.next_sibling())
        if (child.type() == pugi::node_element) has_elements = true;
    if (!has_elements) {
        std::string text;
        for (pugi::xml_node child = element.first_child(); child; child = child.next_sibling())
            if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) text += child.value();
        out.SetString(text.data(), static_cast<rapidjson::SizeType>(text.size()), alloc);
        return;
    }
    out.SetObject();
    std::unordered_map<std::string_view, rapidjson::SizeType> index;  // member name -> position
    for (pugi::xml_node child = element.first_child(); child; child = child.next_sibling()) {
        if (child.type() != pugi::node_element) continue;  // text between elements is layout
        const std::string_view name = local_name(child.name());
        rapidjson::Value value;
        convert(child, value, alloc);
        auto found = index.find(name);
        if (found == index.end()) {
            if (always_array(name)) {
                rapidjson::Value array(rapidjson::kArrayType);
                array.PushBack(value, alloc);
                value = std::move(array);
            }
            index.emplace(name, out.MemberCount());
            out.AddMember(rapidjson::Value(name.data(), static_cast<rapidjson::SizeType>(name.size()), alloc), value, alloc);
            continue;
        }
        rapidjson::Value &existing = (out.MemberBegin() + found->second)->value;
        if (!existing.IsArray()) {  // a repeated element: make it an array in its first position
            rapidjson::Value array(rapidjson::kArrayType);
            array.PushBack(existing, alloc);
            existing = std::move(array);
        }
        existing.PushBack(value, alloc);
    }
}

rapidjson::Document official_document(std::string_view bytes) {
    std::string text = decode(bytes);
    pugi::xml_document xml;
    constexpr unsigned kFlags = pugi::parse_default | pugi::parse_ws_pcdata_single | pugi::parse_doctype;
    const pugi::xml_parse_result parsed = xml.load_buffer_inplace(text.data(), text.size(), kFlags, pugi::encoding_utf8);
    if (!parsed) {
        const auto at = static_cast<std::size_t>(std::max<std::ptrdiff_t>(parsed.offset, 0));
        fail(std::string("not well-formed XML (") + parsed.description() + ") at " + where_en(text, at),
             "XMLの形式が正しくありません(" + where_ja(text, at) + ": " + parsed.description() + ")");
    }
    pugi::xml_node root;
    for (pugi::xml_node node = xml.first_child(); node; node = node.next_sibling()) {
        switch (node.type()) {
        case pugi::node_doctype:
            fail("a DOCTYPE is not allowed (no DTDs or entities in result files)",
                 "DOCTYPE は使用できません(DTD・エンティティは不可)");
        case pugi::node_element:
            if (root) fail("more than one root element", "ルート要素が複数あります");
            root = node;
            break;
        case pugi::node_pcdata:
        case pugi::node_cdata:
            fail("text outside the root element", "ルート要素の外に文字があります");
        default:
            break;
        }
    }
    if (!root) fail("no root element", "ルート要素がありません");
    if (local_name(root.name()) != "XmlMsg")
        fail("the root element is <" + std::string(root.name()) + ">, expected <XmlMsg>",
             "ルート要素が <" + std::string(root.name()) + "> です(<XmlMsg> が必要です)");
    DepthCheck depth;
    root.traverse(depth);
    if (depth.too_deep) {
        const auto at = static_cast<std::size_t>(std::max<std::ptrdiff_t>(depth.too_deep.offset_debug(), 0));
        fail("elements nested deeper than " + std::to_string(kMaxResultXmlDepth) + " levels at " + where_en(text, at),
             "要素の入れ子が深すぎます(上限 " + std::to_string(kMaxResultXmlDepth) + "、" + where_ja(text, at) + ")");
    }
    rapidjson::Document doc(rapidjson::kObjectType);
    rapidjson::Value xml_msg;
    convert(root, xml_msg, doc.GetAllocator());
    if (!xml_msg.IsObject()) fail("<XmlMsg> has no elements", "<XmlMsg> に要素がありません");
    doc.AddMember("XmlMsg", xml_msg, doc.GetAllocator());
    return doc;
}

}  // namespace

std::string official_json_from_xml(std::string_view xml_bytes) { return json::serialize(official_document(xml_bytes)); }

void write_result_from_xml(json::Writer &out, std::string_view xml_bytes, const CheckDigitRule &check_digit,
                           std::string source) {
    rapidjson::Document doc = official_document(xml_bytes);
    require_processed(doc, ONSHI_E_PARSE);  // a file's existence is no success
    ResultDetails details;
    details.source = std::move(source);
    details.check_digit = check_digit;
    write_eligibility_result(out, doc, details, ONSHI_E_PARSE);
}

std::string result_json_from_xml(std::string_view xml_bytes, const CheckDigitRule &check_digit) {
    json::Writer w;
    write_result_from_xml(w, xml_bytes, check_digit);
    return w.text();
}

}  // namespace onshi::gateway
