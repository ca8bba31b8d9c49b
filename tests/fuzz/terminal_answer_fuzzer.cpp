// The 資格確認端末's answer to a 個別照会 (terminal_query.h write_answer) and the name match that
// pairs it with its request. A refused answer is ONSHI_E_TERMINAL_ANSWER or
// ONSHI_E_ELIGIBILITY_ERROR, never another status; an accepted one is valid JSON with
// "source": "terminal".
#include "fuzz_target.h"
#include "gateway/terminal_query.h"
#include "util/json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace onshi;
    const std::string_view bytes = fuzz::as_text(data, size);
    try {
        json::Writer out;
        gateway::write_answer(out, bytes);
        const rapidjson::Document doc = fuzz::must_parse(out.text());
        if (!doc.HasMember("source") || std::string_view(doc["source"].GetString()) != "terminal") fuzz::property_failed();
    } catch (const Error &e) {
        if (e.status() != ONSHI_E_TERMINAL_ANSWER && e.status() != ONSHI_E_ELIGIBILITY_ERROR) fuzz::property_failed();
    }
    // A name that pairs with an id starts with the answer prefix and the id, and ends in .xml.
    if (size < 128) {
        const std::string_view id = "20261205onshi1";
        if (gateway::is_answer_for(bytes, id) &&
            (bytes.substr(0, 14) != "OQSsiquc01res_" || bytes.substr(14, id.size()) != id || bytes.substr(bytes.size() - 4) != ".xml"))
            fuzz::property_failed();
    }
    return 0;
}
