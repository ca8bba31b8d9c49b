#include "gateway/eligibility_result.h"

#include "gateway/code_tables.h"
#include "util/json.h"

#include <utility>
#include <vector>

namespace onshi::gateway {
namespace {

std::string_view view(const rapidjson::Value &v) { return {v.GetString(), v.GetStringLength()}; }

[[noreturn]] void bad_shape(onshi_status status, const std::string &where, const std::string &en, const std::string &ja) {
    throw Error(status, {"資格確認結果 " + where + ": " + en, "資格確認結果 " + where + ": " + ja});
}

const rapidjson::Value *member(const rapidjson::Value &object, const char *name) {
    if (!object.IsObject()) return nullptr;
    auto it = object.FindMember(name);
    return it == object.MemberEnd() ? nullptr : &it->value;
}

struct Parts {
    const rapidjson::Value *xml_msg = nullptr;
    const rapidjson::Value *header = nullptr;
    const rapidjson::Value *body = nullptr;  // nullptr when absent or empty
};

// Checks {"XmlMsg": {"MessageHeader": {...}, "MessageBody": {...}}} and that every leaf below is a
// string (iteratively: the depth is bounded by whoever parsed the document, not by our stack).
Parts split(const rapidjson::Value &result, onshi_status status) {
    if (!result.IsObject()) bad_shape(status, "(root)", "must be a JSON object", "JSONオブジェクトではありません");
    Parts p;
    p.xml_msg = member(result, "XmlMsg");
    if (!p.xml_msg || !p.xml_msg->IsObject())
        bad_shape(status, "XmlMsg", "missing or not an object", "がないかオブジェクトではありません");
    p.header = member(*p.xml_msg, "MessageHeader");
    if (!p.header || !p.header->IsObject())
        bad_shape(status, "XmlMsg.MessageHeader", "missing or not an object", "がないかオブジェクトではありません");
    if (const rapidjson::Value *body = member(*p.xml_msg, "MessageBody")) {
        if (body->IsObject())
            p.body = body;
        else if (!(body->IsString() && body->GetStringLength() == 0))
            bad_shape(status, "XmlMsg.MessageBody", "must be an object", "はオブジェクトである必要があります");
    }
    std::vector<std::pair<const rapidjson::Value *, std::string_view>> stack{{p.xml_msg, "XmlMsg"}};
    while (!stack.empty()) {
        auto [v, name] = stack.back();
        stack.pop_back();
        if (v->IsObject()) {
            for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) stack.emplace_back(&it->value, view(it->name));
        } else if (v->IsArray()) {
            for (const auto &e : v->GetArray()) stack.emplace_back(&e, name);
        } else if (!v->IsString()) {
            bad_shape(status, std::string(name), "values must be strings (official values keep their leading zeros)",
                      "値は文字列である必要があります(先頭の0や空白を保つため)");
        }
    }
    return p;
}

std::optional<std::string_view> leaf(const rapidjson::Value *object, const char *name) {
    if (!object) return std::nullopt;
    const rapidjson::Value *v = member(*object, name);
    if (!v || !v->IsString()) return std::nullopt;
    return view(*v);
}

// Number of ResultOfQualificationConfirmation under MessageBody.ResultList (object or array at
// either level).
std::size_t result_count(const rapidjson::Value *body) {
    const rapidjson::Value *list = body ? member(*body, "ResultList") : nullptr;
    if (!list) return 0;
    auto count_in = [](const rapidjson::Value &l) -> std::size_t {
        const rapidjson::Value *r = member(l, "ResultOfQualificationConfirmation");
        if (!r) return 0;
        if (r->IsArray()) return r->Size();
        return r->IsObject() ? 1 : 0;
    };
    if (list->IsArray()) {
        std::size_t n = 0;
        for (const auto &l : list->GetArray()) n += count_in(l);
        return n;
    }
    return count_in(*list);
}

Verdict verdict_from(const Parts &p) {
    if (leaf(p.header, "SegmentOfResult") != "1") return Verdict::needs_attention;
    auto validity = leaf(p.body, "QualificationValidity");
    if (validity == "2" || validity == "4") return Verdict::not_eligible;
    if (validity == "1" && leaf(p.body, "ProcessingResultStatus") == "1" && result_count(p.body) == 1)
        return Verdict::eligible;
    return Verdict::needs_attention;
}

struct Labelled {
    std::string_view element;
    std::vector<std::optional<Label>> occurrences;
};

// Every coded element in document order, with the label of each occurrence.
std::vector<Labelled> collect_labels(const rapidjson::Value &xml_msg) {
    std::vector<Labelled> out;
    std::vector<std::pair<const rapidjson::Value *, std::string_view>> stack{{&xml_msg, ""}};
    while (!stack.empty()) {
        auto [v, name] = stack.back();
        stack.pop_back();
        if (v->IsString()) {
            if (!is_coded_element(name)) continue;
            Labelled *entry = nullptr;
            for (auto &l : out)
                if (l.element == name) entry = &l;
            if (!entry) entry = &out.emplace_back(Labelled{name, {}});
            entry->occurrences.push_back(code_label(name, view(*v)));
        } else if (v->IsObject()) {
            for (auto it = v->MemberEnd(); it != v->MemberBegin();) {
                --it;
                stack.emplace_back(&it->value, view(it->name));
            }
        } else if (v->IsArray()) {
            for (auto i = v->Size(); i > 0; --i) stack.emplace_back(&(*v)[i - 1], name);
        }
    }
    return out;
}

void write_label(json::Writer &w, const Label &l) { w.begin_object().member("ja", l.ja).member("en", l.en).end_object(); }

void write_labels(json::Writer &w, const std::vector<Labelled> &labels) {
    w.begin_object();
    for (const auto &l : labels) {
        bool any = false;
        for (const auto &o : l.occurrences) any = any || o.has_value();
        if (!any) continue;
        w.key(l.element);
        if (l.occurrences.size() == 1) {
            write_label(w, *l.occurrences.front());
            continue;
        }
        w.begin_array();
        for (const auto &o : l.occurrences) {
            if (o)
                write_label(w, *o);
            else
                w.null();
        }
        w.end_array();
    }
    w.end_object();
}

void write_timing(json::Writer &w, const CheckTiming &t) {
    auto ms = [](std::chrono::steady_clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
    const double other = ms(t.total) - ms(t.card) - ms(t.warm_up_wait) - ms(t.network);
    w.key("timing")
        .begin_object()
        .member("card_ms", ms(t.card))
        .member("warm_up_wait_ms", ms(t.warm_up_wait))
        .member("network_ms", ms(t.network))
        .member("other_ms", other)
        .member("total_ms", ms(t.total))
        .end_object();
}

}  // namespace

const char *verdict_name(Verdict verdict) {
    switch (verdict) {
    case Verdict::eligible: return "eligible";
    case Verdict::not_eligible: return "not_eligible";
    case Verdict::needs_attention: return "needs_attention";
    }
    return "needs_attention";
}

void require_processed(const rapidjson::Value &result, onshi_status bad_shape_status) {
    const Parts p = split(result, bad_shape_status);
    const auto segment = leaf(p.header, "SegmentOfResult");
    const auto status = leaf(p.body, "ProcessingResultStatus");
    const bool segment_ok = segment == "1";
    if (segment_ok && (!status || status == "1")) return;
    // Which part failed, with its own code and text as the result gives them.
    const char *element = segment_ok ? "ProcessingResultStatus" : "SegmentOfResult";
    const std::string value(segment_ok ? *status : segment.value_or("(none)"));
    const std::string code(segment_ok ? leaf(p.body, "ProcessingResultCode").value_or("") : leaf(p.header, "ErrorCode").value_or(""));
    const std::string text(segment_ok ? leaf(p.body, "ProcessingResultMessage").value_or("")
                                      : leaf(p.header, "ErrorMessage").value_or(""));
    std::string ja_label, en_label;
    if (auto l = code_label(element, value)) ja_label = "（" + l->ja + "）", en_label = " (" + l->en + ")";
    std::string en = std::string(element) + " " + value + en_label;
    std::string ja = std::string(element) + " " + value + ja_label;
    if (!code.empty() || !text.empty()) {
        const char *code_name = segment_ok ? "ProcessingResultCode" : "ErrorCode";
        en += ", " + std::string(code_name) + " " + (code.empty() ? "(none)" : code) + (text.empty() ? "" : ": " + text);
        ja += "、" + std::string(code_name) + " " + (code.empty() ? "（なし）" : code) + (text.empty() ? "" : "：" + text);
    }
    throw Error(ONSHI_E_ELIGIBILITY_ERROR, {"the result says the check was not processed: " + en,
                                           "資格確認結果は処理されなかったことを示しています: " + ja});
}

Verdict verdict_of(const rapidjson::Value &result, onshi_status bad_shape_status) {
    return verdict_from(split(result, bad_shape_status));
}

void write_eligibility_result(json::Writer &w, const rapidjson::Value &result, const ResultDetails &details,
                              onshi_status bad_shape_status) {
    const Parts p = split(result, bad_shape_status);
    w.begin_object().member("verdict", verdict_name(verdict_from(p)));
    if (!details.source.empty()) w.member("source", details.source);
    if (const auto &c = details.confirmation)
        w.key("confirmation").begin_object().member("id", c->id).member("method", c->method).member("time", c->time).end_object();
    if (!details.medium.empty()) w.member("medium", details.medium);
    w.key("XmlMsg");
    p.xml_msg->Accept(w);
    w.key("labels");
    write_labels(w, collect_labels(*p.xml_msg));
    std::vector<Notice> notices = details.notices;
    for (Notice &n : public_assistance_notices(*p.xml_msg, details.check_digit)) notices.push_back(std::move(n));
    write_notices(w, notices);
    if (details.timing) write_timing(w, *details.timing);
    if (details.write_extra) details.write_extra(w);
    w.end_object();
}

std::string eligibility_result_json(const rapidjson::Value &result, const ResultDetails &details,
                                    onshi_status bad_shape_status) {
    json::Writer w;
    write_eligibility_result(w, result, details, bad_shape_status);
    return w.text();
}

std::string eligibility_result_json(std::string_view result_json, const ResultDetails &details,
                                    onshi_status bad_shape_status) {
    rapidjson::Document doc =
        json::parse(result_json, "資格確認結果 / eligibility result", bad_shape_status, {.max_bytes = 4u << 20, .max_depth = 64});
    return eligibility_result_json(doc, details, bad_shape_status);
}

}  // namespace onshi::gateway
