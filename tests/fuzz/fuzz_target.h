// What every fuzz target shares: the libFuzzer entry point, and the one rule all our parsers
// promise for bytes from a card, a server or a host — they return or throw onshi::Error, nothing
// else. Any other exception escapes the target and counts as a crash (libFuzzer and the replay
// driver both abort on it).
#pragma once

#include "util/error.h"
#include "util/json.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace onshi::fuzz {

inline std::string_view as_text(const std::uint8_t *data, std::size_t size) {
    return {reinterpret_cast<const char *>(data), size};
}

// Runs fn; an onshi::Error is the documented refusal of bad input and is swallowed.
template <class F>
void refusal_allowed(F &&fn) {
    try {
        fn();
    } catch (const Error &) {
    }
}

// A property the code promises that failed: crash loudly so the input is kept as an artifact.
[[noreturn]] inline void property_failed() { std::abort(); }

// JSON we hand to hosts must parse (generous limits: output may be longer than its input).
inline rapidjson::Document must_parse(std::string_view produced) {
    try {
        return json::parse(produced, "fuzz output", ONSHI_E_INTERNAL, {64u << 20, 256});
    } catch (const Error &) {
        property_failed();
    }
}

}  // namespace onshi::fuzz
