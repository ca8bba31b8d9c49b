// Import of a face-recognition terminal's 資格確認結果 XML (UTF-8 or Shift_JIS/CP932, as the
// declaration and CharacterCodeIdentifier say): encoding, XML, depth and shape checks, then the
// result model. Whatever is accepted must come out as valid JSON.
#include "fuzz_target.h"
#include "gateway/xml_result_import.h"
#include "util/json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace onshi;
    const std::string_view xml = fuzz::as_text(data, size);
    fuzz::refusal_allowed([&] {
        const std::string official = gateway::official_json_from_xml(xml);
        fuzz::must_parse(official);
    });
    fuzz::refusal_allowed([&] {
        const std::string host = gateway::result_json_from_xml(xml);
        fuzz::must_parse(host);
    });
    return 0;
}
