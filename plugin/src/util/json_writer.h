// Writing JSON in one pass (RapidJSON's Writer underneath): one call per member instead of runs of
// Key() / String() pairs, and, when given a FieldIndex, the index of string values built in the
// same pass (json_field_index.h), so nothing is parsed back after it was written.
//
//   json::Writer w;
//   w.begin_object().member("terminal_id", id).member("enrolled", true).end_object();
//   std::string text = w.text();
//
// It is a RapidJSON SAX handler too: `document.Accept(w)` copies a parsed value in at the point
// the writer stands (after key(), or as an array item).
#pragma once

#include "util/json_field_index.h"
#include "util/secure_buffer.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace onshi::json {

class Writer {
public:
    // `fields`, when given, sees everything written (it must outlive the writer).
    explicit Writer(FieldIndex *fields = nullptr) : writer_(buffer_), fields_(fields) {}
    Writer(const Writer &) = delete;
    Writer &operator=(const Writer &) = delete;

    // One member of the object being written. `const char *` has its own overload: a string
    // literal would otherwise convert to bool.
    Writer &member(std::string_view key, std::string_view value);
    Writer &member(std::string_view key, const char *value) { return member(key, std::string_view(value)); }
    Writer &member(std::string_view key, bool value);
    Writer &member(std::string_view key, int value) { return member(key, std::int64_t{value}); }
    Writer &member(std::string_view key, std::int64_t value);
    Writer &member(std::string_view key, double value);
    Writer &null_member(std::string_view key);

    // The name of a member whose value follows (begin_object(), begin_array(), null(), Accept).
    Writer &key(std::string_view key);
    Writer &begin_object();
    Writer &end_object();
    Writer &begin_array();
    Writer &end_array();
    Writer &null();

    // The JSON written so far.
    std::string text() const { return {buffer_.GetString(), buffer_.GetSize()}; }
    // The JSON in wiped memory, for texts that carry a secret; the writer's own buffer is wiped.
    SecureBuffer take_secure();

    // RapidJSON's handler interface (for Value::Accept).
    bool Null();
    bool Bool(bool b);
    bool Int(int i);
    bool Uint(unsigned u);
    bool Int64(std::int64_t i);
    bool Uint64(std::uint64_t u);
    bool Double(double d);
    bool RawNumber(const char *text, rapidjson::SizeType length, bool copy);
    bool String(const char *text, rapidjson::SizeType length, bool copy = false);
    bool StartObject();
    bool Key(const char *text, rapidjson::SizeType length, bool copy = false);
    bool EndObject(rapidjson::SizeType members = 0);
    bool StartArray();
    bool EndArray(rapidjson::SizeType items = 0);

private:
    rapidjson::StringBuffer buffer_;
    rapidjson::Writer<rapidjson::StringBuffer> writer_;
    FieldIndex *fields_;
};

}  // namespace onshi::json
