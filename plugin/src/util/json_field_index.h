// The string values of a JSON document by the name of the member that holds them, in document
// order: what onshi_result_field answers from, so that hosts without a JSON parser can ask for
// "InsurerNumber" directly. A string inside an array counts under the array's member name (arrays
// in arrays too); strings without a member name (the root, array items at the root, a member
// named "") are left out. Numbers, booleans and null are not fields.
//
// It is a RapidJSON SAX handler: json::Writer feeds it while it writes (a result is indexed in the
// same pass that writes it, never parsed back), and of() feeds it a parsed document.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace onshi::json {

class FieldIndex {
public:
    static FieldIndex of(const rapidjson::Value &document);

    // The index-th value (0-based) of the member `name`, or nullptr.
    const std::string *find(std::string_view name, std::uint32_t index) const;
    std::size_t size() const { return fields_.size(); }

    // RapidJSON's handler interface.
    bool Null() { return scalar(); }
    bool Bool(bool) { return scalar(); }
    bool Int(int) { return scalar(); }
    bool Uint(unsigned) { return scalar(); }
    bool Int64(std::int64_t) { return scalar(); }
    bool Uint64(std::uint64_t) { return scalar(); }
    bool Double(double) { return scalar(); }
    bool RawNumber(const char *, rapidjson::SizeType, bool) { return scalar(); }
    bool String(const char *text, rapidjson::SizeType length, bool copy);
    bool StartObject() { return open(false); }
    bool Key(const char *text, rapidjson::SizeType length, bool copy);
    bool EndObject(rapidjson::SizeType = 0) { return close(); }
    bool StartArray() { return open(true); }
    bool EndArray(rapidjson::SizeType = 0) { return close(); }

private:
    struct Open {
        bool array;
        std::string name;  // an array's: the name its items are filed under
    };
    // The name the next value is filed under: the last key in an object, the array's own name in
    // an array, none at the root.
    const std::string &name_of_next() const;
    bool scalar() { return true; }
    bool open(bool array);
    bool close();

    std::vector<Open> open_;
    std::string key_;
    std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace onshi::json
