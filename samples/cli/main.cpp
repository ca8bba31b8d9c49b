// onshi-check — a small command-line host for reception staff and for scripts. It loads libonshi
// at run time through the host SDK (Boost.DLL), so it also tells you when the library is missing
// or too old.
//
//   onshi-check [--library PATH] [--config FILE] [--json] ACTION
//
//   ACTION is one of
//     --readers                          list the card readers
//     --register --setup FILE            register this terminal (ユーザー設定情報 JSON)
//     --pin-stdin [--reader NAME]        資格確認 with the PIN read from the first line of stdin
//     --visual [--photo OUT.png] [--collation-b-stdin] [--reader NAME]
//                                        目視確認; --photo also reads the chip's face photo, which
//                                        needs 照合番号B (from stdin, or asked for)
//     --import-xml FILE                  read an official result XML (OQSsiquc01res_*.xml)
//     --insurance FILE.json              個別照会 by insurance numbers through the 資格確認端末's
//                                        folders ("terminal_folders" in the config); the JSON has
//                                        the official names (InsurerNumber, ..., Birthdate)
//     --import-app-text FILE             read the マイナ資格確認アプリ's result text (UTF-8), as
//                                        staff copy it out of the app
//     --application FILE.json            validate a 利用申請書 (docs/registration.md); lists every
//                                        error in Japanese and English, exit status 1 when invalid
//       [--pdf OUT.pdf [--include-password]]  and, when valid, print it to an A4 PDF (the password
//                                        only with --include-password)
//     --diagnose [--reader NAME]         reader diagnosis for a support ticket: the reader, its driver,
//                                        the card or phone, tries left, certificate expiry, timings;
//                                        no secret spent, no personal data (docs/support-diagnosis.md)
//     --status                           the terminal's registration status
//     --unregister                       利用終了: end this terminal's use now (frees the slot, wipes the key)
//     --end-date YYYY-MM-DD | --cancel-end  set / change or cancel the planned end of use
//     --watch-face DIR [--watch-mode auto|notify|poll] [--poll-ms N] [--watch-state FILE]
//       [--move-processed-to DIR] [--max N] [--for-seconds S]
//                                        print each 資格確認結果 file that arrives in DIR (the 外来型
//                                        face folder) as one JSON line, until Ctrl+C (watch_face.h)
//   --face-export DIR [--encoding shift_jis|utf-8]
//                                        with --pin-stdin / --visual: also write the result into DIR as
//                                        the receipt program's face-folder file (OQSsiquc01res_face_*.xml)
//   --limit-consent                      the patient consents to 限度額適用認定証 information
//   --allow-last-attempt                 the patient agreed to spend the PIN's last try (without it,
//                                        a card with one try left ends with ONSHI_E_LAST_TRY_REFUSED)
//   --json                               print the result JSON instead of the Japanese summary
//   --help                               this usage, on stdout
//
// Exit status: 0 the check completed and the verdict is "eligible" (other actions: they worked);
// 1 the check completed with another verdict, or something failed (the message says which);
// 2 usage error. --help prints the usage to stdout and exits with 0.
#include <onshi/host_sdk.hpp>

#include "watch_face.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace sdk = onshi::sdk;

namespace {

#ifdef ONSHI_SAMPLE_DEFAULT_LIBRARY
const char *const kDefaultLibrary = ONSHI_SAMPLE_DEFAULT_LIBRARY;
#else
const char *const kDefaultLibrary = sdk::default_library_name;
#endif

// The configuration's "locale": "en" prints English labels and texts; anything else Japanese.
bool g_english = false;

const char *tr(const char *ja, const char *en) { return g_english ? en : ja; }

std::string tries_left_text(int tries) {
    const std::string n = std::to_string(tries);
    if (!g_english) return "残り" + n + "回";
    return n + (tries == 1 ? " try left" : " tries left");
}

constexpr int kEligible = 0;
constexpr int kNotOk = 1;
constexpr int kUsage = 2;

enum class Action { none, readers, enroll, pin, visual, import_xml, import_app_text, insurance, status, unregister, end_date, application, diagnose, watch_face };

struct Options {
    std::string library = kDefaultLibrary;
    std::string config_file;
    std::string setup_file;
    std::string import_file;
    std::string face_export_dir;      // --face-export DIR
    std::string face_export_encoding; // --encoding
    std::string application_file;  // --application FILE.json
    std::string pdf_file;          // --pdf OUT.pdf
    bool include_password = false; // --include-password
    std::string reader;
    std::string photo_file;
    std::optional<std::string> end_date;  // --end-date DATE; nullopt with --cancel-end
    Action action = Action::none;
    bool json = false;
    bool collation_b_stdin = false;
    bool limit_consent = false;
    bool allow_last_attempt = false;
    WatchFaceOptions watch;  // --watch-face and its options
};

const char *const kUsageText =
    "usage: onshi-check [--library PATH] [--config FILE] [--json] ACTION\n"
    "  --readers\n"
    "  --diagnose [--reader NAME]\n"
    "  --register --setup FILE\n"
    "  --pin-stdin [--reader NAME] [--limit-consent] [--allow-last-attempt]\n"
    "  --visual [--photo OUT.png] [--collation-b-stdin] [--reader NAME] [--limit-consent]\n"
    "  --pin-stdin | --visual ... [--face-export DIR [--encoding shift_jis|utf-8]]\n"
    "  --watch-face DIR [--watch-mode auto|notify|poll] [--poll-ms N] [--watch-state FILE]\n"
    "               [--move-processed-to DIR] [--max N] [--for-seconds S]   (JSON lines)\n"
    "  --import-xml FILE\n"
    "  --insurance FILE.json    (個別照会 through the terminal's req/res folders)\n"
    "  --import-app-text FILE   (the マイナ資格確認アプリ's result text, UTF-8)\n"
    "  --application FILE.json [--pdf OUT.pdf [--include-password]]\n"
    "  --status | --unregister | --end-date YYYY-MM-DD | --cancel-end\n"
    "  --help\n"
    "--allow-last-attempt: the patient agreed to spend the PIN's last try (otherwise a card with one\n"
    "  try left ends with ONSHI_E_LAST_TRY_REFUSED, and the card stays usable)\n"
    "exit status: 0 eligible (or the action worked), 1 other verdict or failure, 2 usage error\n";

struct UsageError {
    std::string message;
    bool show_usage = true;  // false when the message alone says what to fix
};

struct HelpRequested {};

// A configuration is JSON text in a file; the library would take an empty read (a directory) for
// "all defaults" and then fail far from the cause, so a wrong path is refused here.
void require_config_file(const std::string &path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (status.type() == std::filesystem::file_type::not_found)
        throw UsageError{"--config " + path + ": no such file / ファイルがありません", false};
    if (status.type() == std::filesystem::file_type::directory)
        throw UsageError{"--config " + path + " is a directory; give the configuration JSON file in it (e.g. " +
                         (std::filesystem::path(path) / "plugin.json").string() +
                         ") / ディレクトリではなく設定ファイル (JSON) を指定してください",
                         false};
}

// A positive number option (--poll-ms, --max, --for-seconds).
double number(const std::string &text, const std::string &arg) {
    char *end = nullptr;
    const double n = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !(n > 0) || n > 1e9) throw UsageError{arg + " needs a positive number"};
    return n;
}

Options parse(int argc, char **argv) {
    Options o;
    auto set_action = [&](Action a, const std::string &arg) {
        if (o.action != Action::none) throw UsageError{"only one action at a time (" + arg + ")"};
        o.action = a;
    };
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc || std::string(argv[i + 1]).empty()) throw UsageError{arg + " needs a value"};
            return argv[++i];
        };
        if (arg == "--library") o.library = value();
        else if (arg == "--config") o.config_file = value();
        else if (arg == "--setup") o.setup_file = value();
        else if (arg == "--reader") o.reader = value();
        else if (arg == "--photo") o.photo_file = value();
        else if (arg == "--json") o.json = true;
        else if (arg == "--collation-b-stdin") o.collation_b_stdin = true;
        else if (arg == "--limit-consent") o.limit_consent = true;
        else if (arg == "--allow-last-attempt") o.allow_last_attempt = true;
        else if (arg == "--pdf") o.pdf_file = value();
        else if (arg == "--include-password") o.include_password = true;
        else if (arg == "--face-export") o.face_export_dir = value();
        else if (arg == "--encoding") o.face_export_encoding = value();
        else if (arg == "--watch-mode") o.watch.mode = value();
        else if (arg == "--watch-state") o.watch.state_file = value();
        else if (arg == "--move-processed-to") o.watch.move_processed_to = value();
        else if (arg == "--poll-ms") o.watch.poll_ms = static_cast<int>(number(value(), arg));
        else if (arg == "--max") o.watch.max_results = static_cast<long>(number(value(), arg));
        else if (arg == "--for-seconds") o.watch.for_seconds = number(value(), arg);
        else if (arg == "--watch-face") {
            set_action(Action::watch_face, arg);
            o.watch.dir = value();
        } else if (arg == "--readers") set_action(Action::readers, arg);
        else if (arg == "--diagnose") set_action(Action::diagnose, arg);
        else if (arg == "--register") set_action(Action::enroll, arg);
        else if (arg == "--status") set_action(Action::status, arg);
        else if (arg == "--unregister") set_action(Action::unregister, arg);
        else if (arg == "--cancel-end") set_action(Action::end_date, arg);
        else if (arg == "--end-date") {
            set_action(Action::end_date, arg);
            o.end_date = value();
        }
        else if (arg == "--pin-stdin") set_action(Action::pin, arg);
        else if (arg == "--visual") set_action(Action::visual, arg);
        else if (arg == "--application") {
            set_action(Action::application, arg);
            o.application_file = value();
        } else if (arg == "--import-xml") {
            set_action(Action::import_xml, arg);
            o.import_file = value();
        } else if (arg == "--insurance") {
            set_action(Action::insurance, arg);
            o.import_file = value();
        } else if (arg == "--import-app-text") {
            set_action(Action::import_app_text, arg);
            o.import_file = value();
        } else if (arg == "--help" || arg == "-h") throw HelpRequested{};
        else throw UsageError{"unknown option " + arg};
    }
    if (o.action == Action::none) throw UsageError{"no action given"};
    const bool watch_option = !o.watch.mode.empty() || !o.watch.state_file.empty() || !o.watch.move_processed_to.empty() ||
                              o.watch.poll_ms || o.watch.max_results || o.watch.for_seconds > 0;
    if (o.action != Action::watch_face && watch_option)
        throw UsageError{"--watch-mode, --poll-ms, --watch-state, --move-processed-to, --max and --for-seconds go with --watch-face"};
    if (o.action == Action::enroll && o.setup_file.empty()) throw UsageError{"--register needs --setup FILE"};
    if (o.action != Action::enroll && !o.setup_file.empty()) throw UsageError{"--setup goes with --register"};
    const bool check = o.action == Action::pin || o.action == Action::visual;
    if (!check && o.action != Action::diagnose && !o.reader.empty())
        throw UsageError{"--reader goes with --pin-stdin, --visual or --diagnose"};
    if (!check && o.limit_consent) throw UsageError{"--limit-consent goes with --pin-stdin or --visual"};
    if (!check && !o.face_export_dir.empty()) throw UsageError{"--face-export goes with --pin-stdin or --visual"};
    if (!o.face_export_encoding.empty() && o.face_export_dir.empty()) throw UsageError{"--encoding goes with --face-export"};
    if (o.action != Action::pin && o.allow_last_attempt) throw UsageError{"--allow-last-attempt goes with --pin-stdin"};
    if (!o.config_file.empty()) require_config_file(o.config_file);
    if (o.action != Action::visual && (!o.photo_file.empty() || o.collation_b_stdin))
        throw UsageError{"--photo and --collation-b-stdin go with --visual"};
    if (o.action != Action::application && !o.pdf_file.empty()) throw UsageError{"--pdf goes with --application"};
    if (o.include_password && o.pdf_file.empty()) throw UsageError{"--include-password goes with --pdf"};
    if (o.collation_b_stdin && o.photo_file.empty()) throw UsageError{"--collation-b-stdin needs --photo (照合番号B opens the photo)"};
    return o;
}

std::string read_file(const std::string &path) {
    if (std::filesystem::is_directory(path)) throw std::runtime_error(path + " is a directory / ディレクトリです");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path + " / ファイルを読めません");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string quoted(const std::string &text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
    return out + "\"";
}

// A line from stdin without its line end; the caller wipes it.
std::string secret_line() {
    std::string line;
    std::getline(std::cin, line);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
    return line;
}

void wipe(std::string &s) {
    std::fill(s.begin(), s.end(), '\0');
    s.clear();
}

// What answers on a reader (docs/smartphones.md), for staff.
std::string medium_ja(const std::string &medium) {
    if (medium == "card") return tr("マイナンバーカード", "My Number Card");
    if (medium == "android") return tr("スマートフォン (Android)", "smartphone (Android)");
    if (medium == "iphone") return tr("スマートフォン (iPhone)", "smartphone (iPhone)");
    if (medium == "juki") return tr("住民基本台帳カード", "Juki card");
    if (medium == "other") return tr("マイナンバーカード以外のカード", "not a My Number Card");
    return tr("媒体不明", "medium unknown");
}

// The checks a medium allows, as onshi-check's options.
std::string methods_ja(const std::string &medium) {
    if (medium == "card") return tr("  — 暗証番号 (--pin-stdin) / 目視確認 (--visual)", "  — PIN (--pin-stdin) / visual (--visual)");
    if (medium == "android")
        return tr("  — 暗証番号のみ (--pin-stdin; スマホ用電子証明書の暗証番号)", "  — PIN only (--pin-stdin; the smartphone certificate's PIN)");
    if (medium == "iphone") return tr("  — 未対応: マイナンバーカードをお使いください", "  — not supported: ask for the My Number Card");
    if (medium == "juki" || medium == "other") return tr("  — 資格確認には使えません", "  — cannot be used for checks");
    return "";
}

// ---- the Japanese summary of a result --------------------------------------------------------

using Json = rapidjson::Value;

const Json *member(const Json &v, const char *name) {
    if (!v.IsObject()) return nullptr;
    auto it = v.FindMember(name);
    return it == v.MemberEnd() ? nullptr : &it->value;
}

std::string str(const Json *v) { return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : ""; }

// (element, code) -> Japanese label, from the result's "labels" (one object, or one entry per
// occurrence in document order: paired with the values found in the same order).
class Labels {
public:
    explicit Labels(const Json &root) {
        std::map<std::string, std::vector<std::string>> values;
        collect(*member(root, "XmlMsg"), "", values);
        const Json *labels = member(root, "labels");
        if (!labels || !labels->IsObject()) return;
        for (auto it = labels->MemberBegin(); it != labels->MemberEnd(); ++it) {
            const std::string name = it->name.GetString();
            const auto &vals = values[name];
            if (it->value.IsObject() && !vals.empty()) {
                ja_[{name, vals.front()}] = str(member(it->value, tr("ja", "en")));
            } else if (it->value.IsArray()) {
                for (rapidjson::SizeType i = 0; i < it->value.Size() && i < vals.size(); ++i)
                    if (it->value[i].IsObject()) ja_[{name, vals[i]}] = str(member(it->value[i], tr("ja", "en")));
            }
        }
    }
    // "有効" for ("QualificationValidity", "1"), or "" when there is none.
    std::string of(const std::string &element, const std::string &code) const {
        auto it = ja_.find({element, code});
        return it == ja_.end() ? "" : it->second;
    }

private:
    static void collect(const Json &v, const std::string &name, std::map<std::string, std::vector<std::string>> &out) {
        if (v.IsString()) out[name].push_back(str(&v));
        else if (v.IsObject())
            for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) collect(it->value, it->name.GetString(), out);
        else if (v.IsArray())
            for (const auto &e : v.GetArray()) collect(e, name, out);
    }
    std::map<std::pair<std::string, std::string>, std::string> ja_;
};

std::string trim(const std::string &s) {
    const auto first = s.find_first_not_of(' ');
    if (first == std::string::npos) return "";
    return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

class Summary {
public:
    Summary(const Json &root, std::ostream &out) : labels_(root), out_(out) {}

    // "資格有効性: 有効 (1)"; nothing when the element is absent.
    void coded(const char *title, const Json &where, const char *element) {
        const Json *v = member(where, element);
        if (!v || !v->IsString()) return;
        const std::string code = str(v);
        const std::string label = labels_.of(element, code);
        line(title, label.empty() ? code : label + " (" + code + ")");
    }
    void plain(const char *title, const Json &where, const char *element) {
        const Json *v = member(where, element);
        if (v && v->IsString() && v->GetStringLength() > 0) line(title, str(v));
    }
    void line(const std::string &title, const std::string &value) { out_ << "  " << title << ": " << value << "\n"; }
    std::ostream &out() { return out_; }

private:
    Labels labels_;
    std::ostream &out_;
};

void print_person(Summary &s, const Json &r) {
    s.coded(tr("被保険者証区分", "Card type"), r, "InsuredCardClassification");
    if (const Json *insurer = member(r, "InsurerNumber")) s.line(tr("保険者番号", "Insurer number"), trim(str(insurer)));
    s.plain(tr("保険者名称", "Insurer name"), r, "InsurerName");
    std::string number = str(member(r, "InsuredCardSymbol"));
    const std::string id = str(member(r, "InsuredIdentificationNumber"));
    if (!number.empty() && !id.empty()) number += "・";
    number += id;
    const std::string branch = str(member(r, "InsuredBranchNumber"));
    if (!branch.empty()) number += tr("（枝番 ", " (branch ") + branch + tr("）", ")");
    if (!number.empty()) s.line(tr("被保険者証記号・番号", "Symbol and number"), number);
    s.coded(tr("本人・家族", "Insured or family"), r, "PersonalFamilyClassification");
    s.plain(tr("氏名", "Name"), r, "Name");
    s.plain(tr("氏名カナ", "Name (kana)"), r, "NameKana");
    s.coded(tr("性別", "Sex"), r, "Sex1");
    s.plain(tr("生年月日", "Date of birth"), r, "Birthdate");
    s.coded(tr("負担割合", "Co-payment rate"), r, "InsuredPartialContributionRatio");
    if (const Json *elderly = member(r, "ElderlyRecipientCertificateInfo"); elderly && elderly->IsObject())
        s.coded(tr("負担割合（高齢受給者証）", "Co-payment rate (elderly)"), *elderly, "ElderlyRecipientContributionRatio");
    s.plain(tr("資格取得年月日", "Qualified on"), r, "QualificationDate");
    s.plain(tr("資格喪失年月日", "Disqualified on"), r, "DisqualificationDate");
    s.coded(tr("資格喪失事由", "Reason of loss"), r, "ReasonOfLoss");
    s.plain(tr("有効終了年月日", "Card valid until"), r, "InsuredCardExpirationDate");
    if (const Json *limit = member(r, "LimitApplicationCertificateRelatedInfo"); limit && limit->IsObject()) {
        s.coded(tr("限度額適用認定証区分", "Limit certificate type"), *limit, "LimitApplicationCertificateClassification");
        s.coded(tr("限度額適用区分", "Limit classification"), *limit, "LimitApplicationCertificateClassificationFlag");
    }
    s.coded(tr("処方箋発行形態", "Prescription form"), r, "PrescriptionIssueSelect");
    // 医療扶助 (docs/public-assistance.md): the welfare office's 医療券・調剤券.
    if (const Json *pe = member(r, "PublicExpenseResultList"); pe && pe->IsObject()) {
        std::vector<const Json *> tickets;
        if (const Json *t = member(*pe, "MedicalTicketInfo")) {
            if (t->IsArray())
                for (const auto &e : t->GetArray()) tickets.push_back(&e);
            else
                tickets.push_back(t);
        }
        for (const Json *t : tickets) {
            if (!t->IsObject()) continue;
            s.coded(tr("医療券・調剤券", "Medical ticket"), *t, "TicketType");
            s.line(tr("  有効期間", "  Valid"), str(member(*t, "MedicalTicketValidDate")) + "〜" + str(member(*t, "MedicalTicketExpirationDate")));
            s.plain(tr("  交付番号", "  Issue number"), *t, "IssueNumber");
            s.coded(tr("  診療別", "  Treatment type"), *t, "MedicalTreatmentType");
            s.plain(tr("  指定医療機関", "  Designated institution"), *t, "DesignatedMedicalInstitutionName");
            s.coded(tr("  指定医療機関確認", "  Designated institution check"), *t, "DesignatedMedicalInstitutionFlag");
            s.plain(tr("  本人支払額", "  Patient pays"), *t, "SelfPayAmount");
        }
    }
}

const char *verdict_ja(const std::string &verdict) {
    if (verdict == "eligible") return tr("資格あり", "eligible");
    if (verdict == "not_eligible") return tr("資格なし", "not eligible");
    return tr("要確認", "needs attention");
}

// Prints the summary and returns the exit status for the verdict.
int report_result(const std::string &json, bool as_json) {
    rapidjson::Document doc;
    doc.Parse(json.c_str(), json.size());
    if (doc.HasParseError() || !doc.IsObject() || !member(doc, "XmlMsg")) {
        std::cerr << "onshi-check: the library returned an unexpected result JSON\n";
        if (as_json) std::cout << json << "\n";
        return kNotOk;
    }
    const std::string verdict = str(member(doc, "verdict"));
    if (as_json) {
        std::cout << json << "\n";
    } else {
        Summary s(doc, std::cout);
        const Json &xml = *member(doc, "XmlMsg");
        const Json *header = member(xml, "MessageHeader");
        const Json *body = member(xml, "MessageBody");
        std::cout << tr("判定: ", "Verdict: ") << verdict_ja(verdict) << " (" << verdict << ")\n";
        if (const Json *c = member(doc, "confirmation"); c && c->IsObject())
            s.line(tr("確認番号", "Confirmation"), str(member(*c, "id")) + " (" + (str(member(*c, "method")) == "visual" ? tr("目視確認", "visual check") : tr("暗証番号", "PIN")) + ")");
        if (str(member(doc, "source")) == "xml") s.line(tr("取得元", "Source"), tr("資格確認結果XML", "eligibility result XML"));
        if (const std::string medium = str(member(doc, "medium")); !medium.empty())
            s.line(tr("媒体", "Medium"), medium_ja(medium) + " (" + medium + ")");
        // Notices first: what staff must act on (renew the certificate, check a 医療券 number).
        if (const Json *notices = member(doc, "notices"); notices && notices->IsArray())
            for (const auto &n : notices->GetArray())
                s.line(tr("お知らせ", "Notice"), str(member(n, g_english ? "en" : "ja")) + " [" + str(member(n, "code")) + "]");
        if (header) {
            s.coded(tr("照会区分", "Reference type"), *header, "ReferenceClassification");
            s.coded(tr("処理結果区分", "Result segment"), *header, "SegmentOfResult");
            s.plain(tr("エラーコード", "Error code"), *header, "ErrorCode");
            s.plain(tr("エラーメッセージ", "Error message"), *header, "ErrorMessage");
            s.plain(tr("資格確認日", "Confirmation date"), *header, "QualificationConfirmationDate");
        }
        if (body && body->IsObject()) {
            s.coded(tr("処理結果状況", "Processing status"), *body, "ProcessingResultStatus");
            s.plain(tr("処理結果コード", "Processing code"), *body, "ProcessingResultCode");
            s.plain(tr("処理結果メッセージ", "Processing message"), *body, "ProcessingResultMessage");
            s.coded(tr("資格有効性", "Qualification validity"), *body, "QualificationValidity");
            std::vector<const Json *> people;
            if (const Json *list = member(*body, "ResultList")) {
                if (const Json *r = member(*list, "ResultOfQualificationConfirmation")) {
                    if (r->IsArray())
                        for (const auto &e : r->GetArray()) people.push_back(&e);
                    else
                        people.push_back(r);
                }
            }
            for (std::size_t i = 0; i < people.size(); ++i) {
                if (people.size() > 1) std::cout << tr("  -- 資格確認結果 ", "  -- Result ") << (i + 1) << "/" << people.size() << "\n";
                if (people[i]->IsObject()) print_person(s, *people[i]);
            }
            s.coded(tr("処方箋発行形態", "Prescription form"), *body, "PrescriptionIssueSelect");
        }
    }
    if (verdict == "eligible") return kEligible;
    std::cerr << "onshi-check: the check completed, verdict " << verdict << " (" << verdict_ja(verdict) << ")\n";
    return kNotOk;
}

int report_job_error(const sdk::JobError &e, bool as_json) {
    std::cerr << "onshi-check: failed: " << e.name() << " (" << e.status() << "): " << e.message();
    if (e.tries_left() >= 0) std::cerr << " [" << tries_left_text(e.tries_left()) << "]";
    std::cerr << "\n";
    // The result's next action for staff and its detail for IT (docs/abi.md §7).
    rapidjson::Document failure;
    failure.Parse(e.result_json().c_str(), e.result_json().size());
    if (!failure.HasParseError() && failure.IsObject()) {
        if (const std::string action = str(member(failure, "action")); !action.empty())
            std::cerr << tr("  次にすること: ", "  next: ") << action << "\n";
        if (const std::string detail = str(member(failure, "detail")); !detail.empty())
            std::cerr << tr("  詳細: ", "  detail: ") << detail << "\n";
    }
    if (as_json && !e.result_json().empty()) std::cout << e.result_json() << "\n";
    return kNotOk;
}

// The sandbox's readers live on a private pcscd that libpcsclite finds only through
// PCSCLITE_CSOCK_NAME (its DIR/env). Without it, the system's pcscd is asked, which is absent or
// has other readers: say so when the configuration sits in a sandbox directory.
void pcsc_hint(const Options &o, onshi_status status) {
    if (status != ONSHI_E_PCSC_UNAVAILABLE && status != ONSHI_E_NO_READER && status != ONSHI_E_NO_CARD) return;
    const char *socket = std::getenv("PCSCLITE_CSOCK_NAME");
    if (o.config_file.empty() || (socket && *socket)) return;
    const std::filesystem::path env = std::filesystem::path(o.config_file).parent_path() / "env";
    std::ifstream in(env);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("PCSCLITE_CSOCK_NAME=", 0) != 0) continue;
        std::cerr << "onshi-check: hint: " << env.string()
                  << " names the sandbox's pcscd, but PCSCLITE_CSOCK_NAME is not set, so the system's pcscd was"
                     " asked. Run: set -a; . "
                  << env.string()
                  << "; set +a\n"
                     "  ヒント: サンドボックスのカードリーダーを使うには、先に上のコマンドで PCSCLITE_CSOCK_NAME を設定してください\n";
        return;
    }
}

int list_readers(sdk::Context &context, const Options &o) {
    const std::string json = context.list_readers();
    rapidjson::Document doc;
    doc.Parse(json.c_str(), json.size());
    if (!doc.HasParseError() && doc.IsArray() && doc.Empty()) pcsc_hint(o, ONSHI_E_NO_READER);
    if (o.json) {
        std::cout << json << "\n";
        return 0;
    }
    if (doc.HasParseError() || !doc.IsArray()) {
        std::cout << json << "\n";
        return 0;
    }
    if (doc.Empty()) std::cout << tr("カードリーダーがありません (no card reader)", "no card reader") << "\n";
    for (const auto &r : doc.GetArray()) {
        const Json *card = member(r, "card_present");
        const bool present = card && card->IsBool() && card->GetBool();
        std::cout << str(member(r, "name")) << "  " << (present ? tr("カードあり", "card present") : tr("カードなし", "no card"));
        if (present) {
            const std::string medium = str(member(r, "medium"));
            std::cout << "  " << medium_ja(medium) << " (" << (medium.empty() ? "unknown" : medium) << ")"
                      << methods_ja(medium);
        }
        std::cout << "\n";
    }
    return 0;
}

// --diagnose: the report as lines for a support ticket (or the JSON). It holds no personal data.
int diagnose(sdk::Context &context, const Options &o) {
    try {
        std::string request = "{}";
        if (!o.reader.empty()) request = "{\"reader\":" + quoted(o.reader) + "}";
        const sdk::Result result = context.reader_diagnose(request).future().get();
        if (o.json) {
            std::cout << result.json() << "\n";
            return 0;
        }
        rapidjson::Document doc;
        doc.Parse(result.json().c_str());
        const Json *d = doc.IsObject() ? member(doc, "diagnosis") : nullptr;
        if (!d || !d->IsObject()) {
            std::cout << result.json() << "\n";
            return 0;
        }
        auto text = [](const Json *v) -> std::string {
            if (!v || v->IsNull()) return "-";
            if (v->IsString()) return str(v);
            if (v->IsBool()) return v->GetBool() ? "yes" : "no";
            if (v->IsInt64()) return std::to_string(v->GetInt64());
            if (v->IsNumber()) {
                std::ostringstream out;
                out.precision(3);
                out << std::fixed << v->GetDouble();
                return out.str();
            }
            return "?";
        };
        auto at = [&](const char *object, const char *name) -> const Json * {
            const Json *o2 = member(*d, object);
            return o2 && o2->IsObject() ? member(*o2, name) : nullptr;
        };
        auto line = [&](const char *label, const std::string &value) { std::cout << "  " << label << ": " << value << "\n"; };
        auto tries = [&](const char *object) {
            const std::string state = text(at(object, "state"));
            std::string out = state == "counted" ? text(at(object, "tries_left")) : state;
            if (const Json *detail = at(object, "detail")) out += " (" + text(detail) + ")";
            return out;
        };
        std::cout << tr("リーダー診断 (reader diagnosis)", "reader diagnosis") << "\n";
        line("reader", text(at("reader", "name")));
        line("vendor / ifd_type / ifd_version",
             text(at("reader", "vendor")) + " / " + text(at("reader", "ifd_type")) + " / " + text(at("reader", "ifd_version")));
        line("protocol / transport", text(at("reader", "protocol")) + " / " + text(at("reader", "transport")));
        line("pin_pad", text(at("reader", "pin_pad")));
        line("atr", text(at("card", "atr")));
        line("medium", text(at("card", "medium")));
        line("jpki_ap / kenkaku_ap", text(at("card", "jpki_ap")) + " / " + text(at("card", "kenkaku_ap")));
        line(tr("暗証番号の残り回数 (PIN tries)", "PIN tries left"), tries("pin"));
        line(tr("照合番号Bの残り回数 (照合番号B tries)", "照合番号B tries left"), tries("collation_b"));
        const std::string cert_state = text(at("certificate", "state"));
        std::string cert = cert_state == "read" ? tr("有効期限 ", "expires ") + text(at("certificate", "expires_month")) : cert_state;
        if (const Json *notice = at("certificate", "notice"); notice && notice->IsObject())
            cert += std::string(", ") + str(member(*notice, "code")) + ": " + str(member(*notice, g_english ? "en" : "ja"));
        else if (cert_state == "read") cert += tr(", お知らせなし", ", no notice");
        if (cert_state != "read") cert += " (" + text(at("certificate", "detail")) + ")";
        line(tr("利用者証明用電子証明書 (auth certificate)", "auth certificate"), cert);
        line("apdus / round trip median, max (ms) / largest response (bytes)",
             text(at("apdus", "count")) + " / " + text(at("apdus", "round_trip_median_ms")) + ", " +
                 text(at("apdus", "round_trip_max_ms")) + " / " + text(at("apdus", "largest_response_bytes")));
        line("extended_length", text(at("extended_length", "state")) + " (" + text(at("extended_length", "detail")) + ")");
        std::cout << "  " << text(at("personal_data", g_english ? "en" : "ja")) << "\n";
        return 0;
    } catch (const sdk::JobError &e) {
        return report_job_error(e, o.json);
    }
}

// --status, --unregister, --end-date / --cancel-end: one terminal job, a Japanese summary.
int terminal_action(sdk::Context &context, const Options &o) {
    try {
        sdk::Job job = o.action == Action::status       ? context.terminal_status()
                       : o.action == Action::unregister ? context.terminal_unenroll()
                                                        : context.terminal_set_end_date(o.end_date);
        const sdk::Result result = job.future().get();
        if (o.json) {
            std::cout << result.json() << "\n";
            return 0;
        }
        rapidjson::Document d;
        d.Parse(result.json().c_str());
        auto str = [&](const char *k) -> std::string {
            return d.IsObject() && d.HasMember(k) && d[k].IsString() ? d[k].GetString() : "";
        };
        auto facility_line = [&] {
            if (!d.IsObject() || !d.HasMember("facility") || !d["facility"].IsObject()) return;
            const auto &f = d["facility"];
            if (f.HasMember("code") && f["code"].IsString())
                std::cout << "  医療機関等: " << f["code"].GetString()
                          << (f.HasMember("name") && f["name"].IsString() ? std::string(" ") + f["name"].GetString() : "") << "\n";
            if (f.HasMember("terminals_used") && f["terminals_used"].IsInt64() && f.HasMember("terminals_allowed") &&
                f["terminals_allowed"].IsInt64())
                std::cout << "  利用台数: " << f["terminals_used"].GetInt64() << " / " << f["terminals_allowed"].GetInt64() << " 台\n";
        };
        if (o.action == Action::unregister) {
            std::cout << "利用終了しました。端末の鍵を削除しました (terminal ended)\n";
            if (!str("terminal_id").empty()) std::cout << "  端末ID: " << str("terminal_id") << "\n";
            facility_line();
            return 0;
        }
        if (d.IsObject() && d.HasMember("enrolled") && d["enrolled"].IsBool() && !d["enrolled"].GetBool()) {
            std::cout << "この端末は登録されていません (not registered)\n";
            return 0;
        }
        if (o.action == Action::end_date)
            std::cout << (o.end_date ? "利用終了予定年月日を設定しました" : "利用終了予定年月日を取り消しました") << "\n";
        else
            std::cout << "この端末は登録済みです (registered)\n";
        if (!str("terminal_id").empty()) std::cout << "  端末ID: " << str("terminal_id") << "\n";
        facility_line();
        if (!str("certificate_expires_at").empty()) std::cout << "  証明書有効期限: " << str("certificate_expires_at") << "\n";
        const std::string planned = str("planned_end_date");
        std::cout << "  利用終了予定年月日: " << (planned.empty() ? "なし" : planned) << "\n";
        return 0;
    } catch (const sdk::JobError &e) {
        return report_job_error(e, o.json);
    }
}

int enroll(sdk::Context &context, const Options &o) {
    std::string setup = read_file(o.setup_file);
    sdk::Job job = context.terminal_enroll(setup);
    wipe(setup);
    try {
        const sdk::Result result = job.future().get();
        if (o.json) {
            std::cout << result.json() << "\n";
        } else {
            std::cout << "端末を登録しました (terminal registered)\n";
            if (auto id = result.field("terminal_id")) std::cout << "  端末ID: " << *id << "\n";
            if (auto expires = result.field("certificate_expires_at")) std::cout << "  証明書有効期限: " << *expires << "\n";
        }
        return 0;
    } catch (const sdk::JobError &e) {
        return report_job_error(e, o.json);
    }
}

// After ONSHI_E_NO_READER: the readers that do exist, so that a mistyped --reader is easy to fix.
void print_readers_for_error(sdk::Context &context) {
    try {
        rapidjson::Document doc;
        const std::string json = context.list_readers();
        doc.Parse(json.c_str(), json.size());
        if (doc.HasParseError() || !doc.IsArray()) return;
        if (doc.Empty()) {
            std::cerr << "onshi-check: PC/SC sees no card reader at all / カードリーダーが1台もありません\n";
            return;
        }
        std::cerr << "onshi-check: the readers are / カードリーダー:\n";
        for (const auto &r : doc.GetArray()) {
            const Json *card = member(r, "card_present");
            std::cerr << "  \"" << str(member(r, "name")) << "\""
                      << (card && card->IsBool() && card->GetBool() ? "  (カードあり / card present)" : "") << "\n";
        }
    } catch (const sdk::Error &) {
        // No service any more: the failure above already says what went wrong.
    }
}

int check(sdk::Context &context, const Options &o) {
    const bool visual = o.action == Action::visual;
    std::string request = std::string("{\"method\": ") + (visual ? "\"visual\"" : "\"pin\"");
    if (!o.reader.empty()) request += ", \"reader\": " + quoted(o.reader);
    if (!o.photo_file.empty()) request += ", \"photo\": true";
    if (o.limit_consent) request += ", \"consents\": {\"limit_application_certificate\": true}";
    if (o.allow_last_attempt) request += ", \"allow_last_attempt\": true";
    request += "}";

    std::string secret;
    if ((!visual) || o.collation_b_stdin) secret = secret_line();
    // Asked when the card wants a secret that was not given (or a format was refused).
    sdk::PinProvider ask = [&o](const sdk::PinRequest &r) -> std::optional<sdk::PinAnswer> {
        const bool collation = r.secret == ONSHI_SECRET_COLLATION_B;
        if (r.previous_error != ONSHI_OK)
            std::cerr << (collation ? tr("照合番号Bは14桁です\n", "Collation number B is 14 digits\n")
                                    : tr("暗証番号は4桁の数字です\n", "The PIN is 4 digits\n"));
        std::cerr << (collation ? tr("照合番号B", "Collation number B") : tr("暗証番号", "PIN")) << " ("
                  << tries_left_text(r.tries_left) << tr("、空行で中止): ", ", empty line to stop): ");
        std::string line = secret_line();
        if (line.empty()) return std::nullopt;
        sdk::PinAnswer answer(line, o.allow_last_attempt);
        wipe(line);
        return answer;
    };
    // The face-folder file comes after the check's DONE, as its own event.
    auto exported = std::make_shared<std::promise<sdk::Event>>();
    auto exported_once = std::make_shared<std::once_flag>();
    if (!o.face_export_dir.empty())
        context.on_event([exported, exported_once](const sdk::Event &e) {
            if (e.type == ONSHI_EVENT_FACE_EXPORTED) std::call_once(*exported_once, [&] { exported->set_value(e); });
        });
    std::future<sdk::Result> future = context.check_eligibility(request, secret, ask);
    wipe(secret);
    try {
        const sdk::Result result = future.get();
        if (!o.photo_file.empty()) {
            const std::vector<std::uint8_t> png = result.photo_png();
            if (png.empty()) {
                std::cerr << "onshi-check: no face photo in the result / 顔写真がありません\n";
            } else {
                std::ofstream out(o.photo_file, std::ios::binary);
                out.write(reinterpret_cast<const char *>(png.data()), static_cast<std::streamsize>(png.size()));
                if (!out) {
                    std::cerr << "onshi-check: cannot write " << o.photo_file << "\n";
                    return kNotOk;
                }
                std::cerr << "顔写真: " << o.photo_file << " (" << png.size() << " bytes)\n";
            }
        }
        const int verdict = report_result(result.json(), o.json);
        if (!o.face_export_dir.empty()) {
            std::future<sdk::Event> file = exported->get_future();
            if (file.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
                std::cerr << "onshi-check: the face export did not report within 30 s\n";
                return kNotOk;
            }
            const sdk::Event e = file.get();
            if (e.status != ONSHI_OK) {
                std::cerr << "onshi-check: face export failed: " << e.text << "\n";
                return kNotOk;
            }
            std::cerr << tr("顔認証フォルダーへ書き出しました: ", "Written to the face folder: ") << e.text << "\n";
        }
        return verdict;
    } catch (const sdk::JobError &e) {
        const int status = report_job_error(e, o.json);
        if (e.status() == ONSHI_E_NO_READER) print_readers_for_error(context);
        pcsc_hint(o, e.status());
        return status;
    }
}

int import_xml(const sdk::Library &library, const Options &o) {
    const std::string xml = read_file(o.import_file);
    const sdk::Result result = library.result_from_xml(xml.data(), xml.size());
    return report_result(result.json(), o.json);
}

// The configuration file's JSON, with --face-export merged in as "face_export".
std::string context_config(const Options &o) {
    std::string text = o.config_file.empty() ? "{}" : read_file(o.config_file);
    if (o.face_export_dir.empty()) return text;
    rapidjson::Document config;
    config.Parse(text.c_str(), text.size());
    if (config.HasParseError() || !config.IsObject()) return text;  // onshi_open says what is wrong
    auto &a = config.GetAllocator();
    rapidjson::Value face(rapidjson::kObjectType);
    face.AddMember("dir", rapidjson::Value(o.face_export_dir.c_str(), a), a);
    if (!o.face_export_encoding.empty())
        face.AddMember("encoding", rapidjson::Value(o.face_export_encoding.c_str(), a), a);
    config.RemoveMember("face_export");
    config.AddMember("face_export", face, a);
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    config.Accept(w);
    return sb.GetString();
}

// --insurance: the 個別照会's answer, printed like any other check's result.
int insurance(sdk::Context &context, const Options &o) {
    const std::string request = read_file(o.import_file);
    const sdk::Result result = context.check_by_insurance(request).future().get();
    return report_result(result.json(), o.json);
}

int import_app_text(const sdk::Library &library, const Options &o) {
    const std::string text = read_file(o.import_file);
    const sdk::Result result = library.result_from_app_text(text);
    return report_result(result.json(), o.json);
}

}  // namespace

// --application: every error of the form, in Japanese and English; 1 when invalid.
// --pdf: the valid form as a printable A4 PDF; the password only with --include-password.
int write_application_pdf(const sdk::Context &context, const std::string &form, const Options &o) {
    const std::vector<std::uint8_t> pdf =
        context.render_application_pdf(form, o.include_password ? R"({"include_password": true})" : "");
    std::ofstream out(o.pdf_file, std::ios::binary);
    out.write(reinterpret_cast<const char *>(pdf.data()), static_cast<std::streamsize>(pdf.size()));
    out.close();
    if (!out) {
        std::cerr << "onshi-check: cannot write " << o.pdf_file << " / ファイルを書けません\n";
        return kNotOk;
    }
    std::cerr << "利用申請書 PDF: " << o.pdf_file << " (" << pdf.size() << " bytes"
              << (o.include_password ? ", パスワードを印字" : ", パスワードは印字していません") << ")\n";
    return kEligible;
}

int application(const sdk::Context &context, const Options &o) {
    std::string form = read_file(o.application_file);  // holds the password: wiped below
    const sdk::Report report = context.validate_application(form);
    int pdf_status = kEligible;
    try {
        if (report.ok() && !o.pdf_file.empty()) pdf_status = write_application_pdf(context, form, o);
    } catch (...) {
        wipe(form);
        throw;
    }
    wipe(form);
    if (o.json) {
        std::cout << report.json << "\n";
        return report.ok() ? pdf_status : kNotOk;
    }
    rapidjson::Document doc;
    doc.Parse(report.json.c_str());
    const Json *errors = member(doc, "errors");
    const Json *warnings = member(doc, "warnings");
    auto print = [](const char *tag, const Json *list) {
        if (!list || !list->IsArray()) return;
        for (const Json &e : list->GetArray())
            std::cout << tag << " [" << str(member(e, "field")) << "] " << str(member(e, "message_ja")) << "\n"
                      << "    " << str(member(e, "message_en")) << "\n";
    };
    if (report.ok()) {
        std::cout << "利用申請書: 誤りはありません (the application form is valid)\n";
        print("注意", warnings);
        return pdf_status;
    }
    const std::size_t n = errors && errors->IsArray() ? errors->Size() : 0;
    std::cout << "利用申請書: " << n << " 件の誤りがあります (the application form has " << n << " error(s))\n";
    print("誤り", errors);
    print("注意", warnings);
    std::cerr << "onshi-check: application form invalid (" << n << " error(s))\n";
    return kNotOk;
}

int main(int argc, char **argv) {
    std::ios::sync_with_stdio(true);
    Options options;
    try {
        options = parse(argc, argv);
    } catch (const HelpRequested &) {
        std::cout << kUsageText;
        return 0;
    } catch (const UsageError &e) {
        if (!e.message.empty()) std::cerr << "onshi-check: " << e.message << "\n";
        if (e.show_usage) std::cerr << kUsageText;
        return kUsage;
    }
    try {
        if (!options.config_file.empty()) {
            rapidjson::Document config;
            const std::string text = read_file(options.config_file);
            config.Parse(text.c_str(), text.size());
            g_english = !config.HasParseError() && config.IsObject() && str(member(config, "locale")) == "en";
        }
        const sdk::Library library(options.library);
        if (options.action == Action::import_xml) return import_xml(library, options);
        if (options.action == Action::import_app_text) return import_app_text(library, options);
        if (options.action == Action::watch_face)
            return watch_face(library, config_with_face_watch(context_config(options), options.watch), options.watch);
        sdk::Context context(library, context_config(options));
        switch (options.action) {
        case Action::readers: return list_readers(context, options);
        case Action::diagnose: return diagnose(context, options);
        case Action::insurance: return insurance(context, options);
        case Action::enroll: return enroll(context, options);
        case Action::application: return application(context, options);
        case Action::status:
        case Action::unregister:
        case Action::end_date: return terminal_action(context, options);
        case Action::pin:
        case Action::visual: return check(context, options);
        default: return kUsage;
        }
    } catch (const sdk::Error &e) {
        std::cerr << "onshi-check: failed: " << e.name() << ": " << e.message() << "\n";
        pcsc_hint(options, e.status());
        return kNotOk;
    } catch (const std::exception &e) {
        std::cerr << "onshi-check: failed: " << e.what() << "\n";
        return kNotOk;
    }
}
