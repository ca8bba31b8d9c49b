// util/json.h, the bounded parser every JSON from a host, card or server goes through (iterative:
// deep nesting is refused, never a stack overflow). What it accepts must serialize to JSON that
// parses again (no broken escapes or UTF-8 handed on to hosts).
#include "fuzz_target.h"
#include "util/json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace onshi;
    fuzz::refusal_allowed([&] {
        const rapidjson::Document document = json::parse(fuzz::as_text(data, size), "fuzz", ONSHI_E_INVALID_ARGUMENT);
        (void)fuzz::must_parse(json::serialize(document));
    });
    return 0;
}
