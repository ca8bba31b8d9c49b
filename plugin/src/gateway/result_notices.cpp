#include "gateway/result_notices.h"

#include "util/error.h"

#include <algorithm>

namespace onshi::gateway {
namespace {

constexpr std::size_t kMaxNotices = 16;
constexpr std::size_t kMaxDetails = 8;

[[noreturn]] void bad(const std::string &where, const std::string &en, const std::string &ja) {
    throw Error(ONSHI_E_GATEWAY_PROTOCOL, {"gateway answer " + where + ": " + en, "ゲートウェイの応答 " + where + ": " + ja});
}

std::string_view view(const rapidjson::Value &v) { return {v.GetString(), v.GetStringLength()}; }

bool is_code(std::string_view s) {
    return !s.empty() && s.size() <= 64 &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; });
}

const rapidjson::Value *member(const rapidjson::Value &o, const char *name) {
    if (!o.IsObject()) return nullptr;
    auto it = o.FindMember(name);
    return it == o.MemberEnd() ? nullptr : &it->value;
}

std::string trimmed(std::string_view s) {
    const auto first = s.find_first_not_of(' ');
    if (first == std::string_view::npos) return {};
    return std::string(s.substr(first, s.find_last_not_of(' ') - first + 1));
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<Notice> parse_notices(const rapidjson::Value *notices, const char *where) {
    std::vector<Notice> out;
    if (!notices || notices->IsNull()) return out;
    const std::string at = std::string(where) + ".notices";
    if (!notices->IsArray()) bad(at, "must be an array", "は配列である必要があります");
    if (notices->Size() > kMaxNotices) bad(at, "has too many entries", "の要素が多すぎます");
    for (const auto &n : notices->GetArray()) {
        if (!n.IsObject()) bad(at, "entries must be objects", "の要素はオブジェクトである必要があります");
        Notice notice;
        for (auto it = n.MemberBegin(); it != n.MemberEnd(); ++it) {
            const std::string name(view(it->name));
            if (!it->value.IsString() || it->value.GetStringLength() > 2048)
                bad(at + "." + name, "must be a string of at most 2048 bytes", "は2048バイト以下の文字列である必要があります");
            const std::string_view value = view(it->value);
            if (name == "code") notice.code = value;
            else if (name == "message_ja") notice.ja = value;
            else if (name == "message_en") notice.en = value;
            else if (name != "ja" && name != "en" && notice.details.size() < kMaxDetails && name.size() <= 64 && value.size() <= 256)
                notice.details.emplace_back(name, value);
            else
                bad(at + "." + name, "is one detail too many or too long", "は多すぎるか長すぎる項目です");
        }
        if (!is_code(notice.code)) bad(at + ".code", "must be 1-64 of A-Z, 0-9 and _", "は A-Z・0-9・_ の1〜64文字である必要があります");
        if (notice.ja.empty() || notice.en.empty())
            bad(at, "entries need message_ja and message_en", "の要素には message_ja と message_en が必要です");
        out.push_back(std::move(notice));
    }
    return out;
}

std::vector<Notice> public_assistance_notices(const rapidjson::Value &xml_msg, const CheckDigitRule &check_digit_ok) {
    std::vector<Notice> out;
    if (!check_digit_ok) return out;
    const rapidjson::Value *body = member(xml_msg, "MessageBody");
    const rapidjson::Value *list = body ? member(*body, "ResultList") : nullptr;
    if (!list) return out;
    std::vector<const rapidjson::Value *> results;
    auto collect = [&](const rapidjson::Value &l) {
        const rapidjson::Value *r = member(l, "ResultOfQualificationConfirmation");
        if (!r) return;
        if (r->IsArray())
            for (const auto &e : r->GetArray()) results.push_back(&e);
        else
            results.push_back(r);
    };
    if (list->IsArray())
        for (const auto &l : list->GetArray()) collect(l);
    else
        collect(*list);

    struct Number {
        const char *code;
        const char *ja, *en;
        std::size_t digits;
        const char *elements[2];
    };
    const Number numbers[] = {
        {"PUBLIC_EXPENSE_NUMBER_CHECK_DIGIT", "公費負担者番号", "public-expense payer number (公費負担者番号)", 8,
         {"PublicExpenseNumber", "InsurerNumber"}},
        {"BENEFICIARY_NUMBER_CHECK_DIGIT", "受給者番号", "beneficiary number (受給者番号)", 7,
         {"BeneficiaryNumber", "InsuredIdentificationNumber"}},
    };
    for (const rapidjson::Value *r : results) {
        const rapidjson::Value *card_class = member(*r, "InsuredCardClassification");
        if (!card_class || !card_class->IsString() || view(*card_class) != "A1") continue;
        for (const Number &n : numbers) {
            // The dedicated element when the result has it, else the insurance element that carries
            // the number for 医療扶助 (docs/public-assistance.md).
            const char *element = nullptr;
            const rapidjson::Value *value = nullptr;
            for (const char *e : n.elements) {
                value = member(*r, e);
                if (value && value->IsString()) {
                    element = e;
                    break;
                }
            }
            if (!element) continue;
            const std::string digits = trimmed(view(*value));
            if (digits.size() == n.digits && all_digits(digits) && check_digit_ok(digits)) continue;
            Notice notice;
            notice.code = n.code;
            notice.ja = std::string(n.ja) + "（" + digits + "）の検証番号が合いません。医療券の記載と照らし合わせてください";
            notice.en = std::string("the check digit of the ") + n.en + " " + digits +
                        " does not check; compare it with the medical ticket";
            notice.details = {{"element", element}, {"value", digits}};
            out.push_back(std::move(notice));
        }
    }
    return out;
}

void write_notices(json::Writer &w, const std::vector<Notice> &notices) {
    if (notices.empty()) return;
    w.key("notices").begin_array();
    for (const Notice &n : notices) {
        w.begin_object().member("code", n.code).member("ja", n.ja).member("en", n.en);
        for (const auto &[name, value] : n.details) w.member(name, value);
        w.end_object();
    }
    w.end_array();
}

}  // namespace onshi::gateway
