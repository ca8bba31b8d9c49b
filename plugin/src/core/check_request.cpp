#include "core/check_request.h"

#include "util/json.h"

namespace onshi::core {

CheckRequest CheckRequest::parse(std::string_view text) {
    CheckRequest req;
    if (text.empty()) return req;
    rapidjson::Document doc = json::parse(text, "request", ONSHI_E_INVALID_ARGUMENT, {.max_bytes = 16 * 1024, .max_depth = 8});
    json::ObjectReader r(doc, "request", ONSHI_E_INVALID_ARGUMENT);
    if (auto reader = r.string("reader", 256)) req.reader = *reader;
    if (auto method = r.string("method", 16)) {
        if (*method == "pin") req.method = Method::pin;
        else if (*method == "visual") req.method = Method::visual;
        else r.fail("method", "must be \"pin\" or \"visual\"", "\"pin\" または \"visual\" を指定してください");
    }
    if (auto allow = r.boolean("allow_last_attempt")) req.allow_last_attempt = *allow;
    if (auto photo = r.boolean("photo")) req.photo = *photo;
    if (req.photo && req.method != Method::visual)
        r.fail("photo", "is only for method \"visual\"", "は method \"visual\" のときだけ指定できます");
    if (const rapidjson::Value *consents = r.object("consents")) {
        json::ObjectReader c(*consents, "request.consents", ONSHI_E_INVALID_ARGUMENT);
        if (auto limit = c.boolean("limit_application_certificate")) req.consent_limit_certificate = *limit;
        c.finish();
    }
    r.finish();
    return req;
}

}  // namespace onshi::core
