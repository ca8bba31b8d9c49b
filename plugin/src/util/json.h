// Bounded JSON input (RapidJSON): every JSON a host, a card or a server hands us goes through
// parse() and ObjectReader, so size, depth, types and unknown keys are checked in one place.
#pragma once

#include "util/error.h"

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace onshi::json {

struct Limits {
    std::size_t max_bytes = 1 << 20;
    unsigned max_depth = 32;
};

// Parses text into a document. Iterative (no recursion), so 10,000-deep input is refused with a
// clear error instead of overflowing the stack. Failures throw Error(status) naming `what`.
rapidjson::Document parse(std::string_view text, const std::string &what, onshi_status status,
                          Limits limits = {});

std::string serialize(const rapidjson::Value &value);

// Reads the members of one object with type and range checks; finish() rejects members that were
// never asked for, so a misspelt key is an error rather than silently ignored.
class ObjectReader {
public:
    ObjectReader(const rapidjson::Value &value, std::string path, onshi_status status);

    std::optional<std::string> string(const char *key, std::size_t max_length);
    std::optional<bool> boolean(const char *key);
    std::optional<std::int64_t> integer(const char *key, std::int64_t min, std::int64_t max);
    // The member as an object (checked), or nullptr when absent.
    const rapidjson::Value *object(const char *key);
    // The member as-is (any type), or nullptr when absent.
    const rapidjson::Value *any(const char *key);
    void finish() const;

    const std::string &path() const { return path_; }
    [[noreturn]] void fail(const char *key, const std::string &en, const std::string &ja) const;

private:
    const rapidjson::Value *member(const char *key);

    const rapidjson::Value &value_;
    std::string path_;
    onshi_status status_;
    std::set<std::string> seen_;
};

}  // namespace onshi::json
