// Import of the マイナ資格確認アプリ's result text (app_text_import.h): line splitting, labels,
// sections, 和暦 dates and codes. Whatever is accepted must come out as valid JSON, and the
// official part must be a result the model itself accepts.
#include "fuzz_target.h"
#include "gateway/app_text_import.h"
#include "gateway/era_date.h"
#include "util/json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace onshi;
    const std::string_view text = fuzz::as_text(data, size);
    fuzz::refusal_allowed([&] {
        const std::string host = gateway::result_json_from_app_text(text);
        const rapidjson::Document doc = fuzz::must_parse(host);
        if (!doc.HasMember("app_text") || !doc.HasMember("XmlMsg")) fuzz::property_failed();
    });
    // A date that converts is eight digits.
    if (size < 64) {
        if (auto d = gateway::western_date(text); d && (d->size() != 8 || d->find_first_not_of("0123456789") != std::string::npos))
            fuzz::property_failed();
    }
    return 0;
}
