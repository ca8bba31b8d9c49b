#include "util/json.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

namespace onshi::json {
namespace {

// RapidJSON 1.1.0 decodes a lone low-surrogate escape ("\uDE23") into the bytes of a surrogate
// code point (ED B8 A3), which is not UTF-8: a host, or our own parser, would choke on it when we
// hand the string on. In UTF-8, ED followed by A0..BF is exactly a surrogate.
bool has_surrogate(const char *s, rapidjson::SizeType n) {
    for (rapidjson::SizeType i = 0; i + 1 < n; ++i)
        if (static_cast<unsigned char>(s[i]) == 0xED && static_cast<unsigned char>(s[i + 1]) >= 0xA0) return true;
    return false;
}

// Forwards SAX events to the document while counting nesting depth.
template <typename Handler>
struct DepthGuard : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, DepthGuard<Handler>> {
    DepthGuard(Handler &h, unsigned max) : handler(h), max_depth(max) {}
    bool Null() { return handler.Null(); }
    bool Bool(bool b) { return handler.Bool(b); }
    bool Int(int i) { return handler.Int(i); }
    bool Uint(unsigned u) { return handler.Uint(u); }
    bool Int64(int64_t i) { return handler.Int64(i); }
    bool Uint64(uint64_t u) { return handler.Uint64(u); }
    // RapidJSON (without full precision) turns a too large literal such as 575e307 into inf, which
    // its Writer then cannot write back: refuse it here, like any other invalid number.
    bool Double(double d) {
        if (!std::isfinite(d)) {
            non_finite = true;
            return false;
        }
        return handler.Double(d);
    }
    bool RawNumber(const char *s, rapidjson::SizeType n, bool c) { return handler.RawNumber(s, n, c); }
    bool String(const char *s, rapidjson::SizeType n, bool c) {
        if (has_surrogate(s, n)) {
            bad_unicode = true;
            return false;
        }
        return handler.String(s, n, c);
    }
    bool Key(const char *s, rapidjson::SizeType n, bool c) {
        if (has_surrogate(s, n)) {
            bad_unicode = true;
            return false;
        }
        return handler.Key(s, n, c);
    }
    bool StartObject() { return ++depth <= max_depth && handler.StartObject(); }
    bool EndObject(rapidjson::SizeType n) { --depth; return handler.EndObject(n); }
    bool StartArray() { return ++depth <= max_depth && handler.StartArray(); }
    bool EndArray(rapidjson::SizeType n) { --depth; return handler.EndArray(n); }

    Handler &handler;
    unsigned max_depth;
    unsigned depth = 0;
    bool non_finite = false;
    bool bad_unicode = false;
    bool too_deep() const { return depth > max_depth; }
};

}  // namespace

rapidjson::Document parse(std::string_view text, const std::string &what, onshi_status status,
                          Limits limits) {
    if (text.size() > limits.max_bytes)
        throw Error(status, {what + " is larger than " + std::to_string(limits.max_bytes) + " bytes",
                             what + " が大きすぎます(上限 " + std::to_string(limits.max_bytes) + " バイト)"});
    rapidjson::Document doc;
    auto generate = [&](auto &handler) {
        rapidjson::Reader reader;
        rapidjson::MemoryStream ms(text.data(), text.size());
        rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(ms);
        DepthGuard<std::remove_reference_t<decltype(handler)>> guard(handler, limits.max_depth);
        constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
        rapidjson::ParseResult r = reader.Parse<kFlags>(in, guard);
        if (r.IsError()) {
            if (guard.too_deep())
                throw Error(status, {what + " is nested deeper than " + std::to_string(limits.max_depth) + " levels",
                                     what + " の入れ子が深すぎます(上限 " + std::to_string(limits.max_depth) + ")"});
            if (guard.bad_unicode)
                throw Error(status, {what + " has a string that is not valid Unicode (a lone surrogate escape, near byte " +
                                         std::to_string(r.Offset()) + ")",
                                     what + " に不正なUnicode文字列があります(" + std::to_string(r.Offset()) + " バイト目付近)"});
            if (guard.non_finite)
                throw Error(status, {what + " has a number too large for a double (at byte " + std::to_string(r.Offset()) + ")",
                                     what + " に大きすぎる数値があります(" + std::to_string(r.Offset()) + " バイト目)"});
            throw Error(status, {what + " is not valid JSON (" + rapidjson::GetParseError_En(r.Code()) +
                                     " at byte " + std::to_string(r.Offset()) + ")",
                                 what + " がJSONとして正しくありません(" + std::to_string(r.Offset()) + " バイト目)"});
        }
        return true;
    };
    doc.Populate(generate);
    return doc;
}

std::string serialize(const rapidjson::Value &value) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
    value.Accept(writer);
    return {buf.GetString(), buf.GetSize()};
}

ObjectReader::ObjectReader(const rapidjson::Value &value, std::string path, onshi_status status)
    : value_(value), path_(std::move(path)), status_(status) {
    if (!value_.IsObject())
        throw Error(status_, {path_ + " must be a JSON object", path_ + " はJSONオブジェクトである必要があります"});
}

void ObjectReader::fail(const char *key, const std::string &en, const std::string &ja) const {
    std::string where = key ? path_ + "." + key : path_;
    throw Error(status_, {where + ": " + en, where + ": " + ja});
}

const rapidjson::Value *ObjectReader::member(const char *key) {
    seen_.insert(key);
    auto it = value_.FindMember(key);
    if (it == value_.MemberEnd() || it->value.IsNull()) return nullptr;
    return &it->value;
}

std::optional<std::string> ObjectReader::string(const char *key, std::size_t max_length) {
    const rapidjson::Value *v = member(key);
    if (!v) return std::nullopt;
    if (!v->IsString()) fail(key, "must be a string", "文字列である必要があります");
    if (v->GetStringLength() > max_length)
        fail(key, "is longer than " + std::to_string(max_length) + " bytes",
             std::to_string(max_length) + " バイト以内である必要があります");
    return std::string(v->GetString(), v->GetStringLength());
}

std::optional<bool> ObjectReader::boolean(const char *key) {
    const rapidjson::Value *v = member(key);
    if (!v) return std::nullopt;
    if (!v->IsBool()) fail(key, "must be true or false", "true または false である必要があります");
    return v->GetBool();
}

std::optional<std::int64_t> ObjectReader::integer(const char *key, std::int64_t min, std::int64_t max) {
    const rapidjson::Value *v = member(key);
    if (!v) return std::nullopt;
    if (!v->IsInt64()) fail(key, "must be an integer", "整数である必要があります");
    std::int64_t n = v->GetInt64();
    if (n < min || n > max)
        fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max),
             std::to_string(min) + " から " + std::to_string(max) + " の範囲である必要があります");
    return n;
}

const rapidjson::Value *ObjectReader::object(const char *key) {
    const rapidjson::Value *v = member(key);
    if (v && !v->IsObject()) fail(key, "must be a JSON object", "JSONオブジェクトである必要があります");
    return v;
}

const rapidjson::Value *ObjectReader::any(const char *key) { return member(key); }

void ObjectReader::finish() const {
    for (auto it = value_.MemberBegin(); it != value_.MemberEnd(); ++it) {
        std::string name(it->name.GetString(), it->name.GetStringLength());
        if (!seen_.count(name))
            fail(name.c_str(), "is not a known setting", "は不明な項目です");
    }
}

}  // namespace onshi::json
