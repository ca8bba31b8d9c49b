// The official result as JSON ({"XmlMsg": {...}}, from the gateway or the XML import) turned into
// the host JSON with verdict and labels. Accepted input must give valid JSON whose verdict is the
// one verdict_of() computes.
#include "fuzz_target.h"
#include "gateway/eligibility_result.h"
#include "util/json.h"

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace onshi;
    const std::string_view text = fuzz::as_text(data, size);
    fuzz::refusal_allowed([&] {
        const std::string host = gateway::eligibility_result_json(text, {});
        const rapidjson::Document out = fuzz::must_parse(host);
        const rapidjson::Document in = json::parse(text, "fuzz", ONSHI_E_INTERNAL, {4u << 20, 64});
        const char *verdict = gateway::verdict_name(gateway::verdict_of(in));
        if (!out.IsObject() || !out.HasMember("verdict") || !out["verdict"].IsString() ||
            std::strcmp(out["verdict"].GetString(), verdict) != 0)
            fuzz::property_failed();
    });
    return 0;
}
