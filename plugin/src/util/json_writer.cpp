#include "util/json_writer.h"

#include <openssl/crypto.h>

namespace onshi::json {
namespace {

rapidjson::SizeType size_of(std::string_view s) { return static_cast<rapidjson::SizeType>(s.size()); }

}  // namespace

Writer &Writer::member(std::string_view key, std::string_view value) {
    Key(key.data(), size_of(key));
    String(value.data(), size_of(value));
    return *this;
}

Writer &Writer::member(std::string_view key, bool value) {
    Key(key.data(), size_of(key));
    Bool(value);
    return *this;
}

Writer &Writer::member(std::string_view key, std::int64_t value) {
    Key(key.data(), size_of(key));
    Int64(value);
    return *this;
}

Writer &Writer::member(std::string_view key, double value) {
    Key(key.data(), size_of(key));
    Double(value);
    return *this;
}

Writer &Writer::null_member(std::string_view key) {
    Key(key.data(), size_of(key));
    Null();
    return *this;
}

Writer &Writer::key(std::string_view key) {
    Key(key.data(), size_of(key));
    return *this;
}

Writer &Writer::begin_object() {
    StartObject();
    return *this;
}

Writer &Writer::end_object() {
    EndObject();
    return *this;
}

Writer &Writer::begin_array() {
    StartArray();
    return *this;
}

Writer &Writer::end_array() {
    EndArray();
    return *this;
}

Writer &Writer::null() {
    Null();
    return *this;
}

SecureBuffer Writer::take_secure() {
    SecureBuffer out(buffer_.GetString(), buffer_.GetSize());
    OPENSSL_cleanse(const_cast<char *>(buffer_.GetString()), buffer_.GetSize());
    buffer_.Clear();
    return out;
}

// Each event goes to the index (when there is one) and to RapidJSON's writer.
bool Writer::Null() {
    if (fields_) fields_->Null();
    return writer_.Null();
}
bool Writer::Bool(bool b) {
    if (fields_) fields_->Bool(b);
    return writer_.Bool(b);
}
bool Writer::Int(int i) {
    if (fields_) fields_->Int(i);
    return writer_.Int(i);
}
bool Writer::Uint(unsigned u) {
    if (fields_) fields_->Uint(u);
    return writer_.Uint(u);
}
bool Writer::Int64(std::int64_t i) {
    if (fields_) fields_->Int64(i);
    return writer_.Int64(i);
}
bool Writer::Uint64(std::uint64_t u) {
    if (fields_) fields_->Uint64(u);
    return writer_.Uint64(u);
}
bool Writer::Double(double d) {
    if (fields_) fields_->Double(d);
    return writer_.Double(d);
}
bool Writer::RawNumber(const char *text, rapidjson::SizeType length, bool copy) {
    if (fields_) fields_->RawNumber(text, length, copy);
    return writer_.RawNumber(text, length, copy);
}
bool Writer::String(const char *text, rapidjson::SizeType length, bool copy) {
    if (fields_) fields_->String(text, length, copy);
    return writer_.String(text, length, copy);
}
bool Writer::StartObject() {
    if (fields_) fields_->StartObject();
    return writer_.StartObject();
}
bool Writer::Key(const char *text, rapidjson::SizeType length, bool copy) {
    if (fields_) fields_->Key(text, length, copy);
    return writer_.Key(text, length, copy);
}
bool Writer::EndObject(rapidjson::SizeType members) {
    if (fields_) fields_->EndObject(members);
    return writer_.EndObject(members);
}
bool Writer::StartArray() {
    if (fields_) fields_->StartArray();
    return writer_.StartArray();
}
bool Writer::EndArray(rapidjson::SizeType items) {
    if (fields_) fields_->EndArray(items);
    return writer_.EndArray(items);
}

}  // namespace onshi::json
