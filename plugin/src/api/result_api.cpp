// Result accessors. Strings and the photo are owned by the result handle.
#include "api/exception_barrier.h"
#include "gateway/app_text_import.h"
#include "gateway/xml_result_import.h"
#include "registration/check_digit.h"

#include <string_view>
#include <utility>

using onshi::Error;
using onshi::api::Answer;
using onshi::api::guard;
using onshi::api::kBilingual;
using onshi::api::require;

namespace {

std::shared_ptr<const onshi::core::JobResult> live_result(const onshi_result *result) {
    auto data = onshi::api::find_result(result);
    if (!data) throw Error(ONSHI_E_INVALID_HANDLE, {"not a live onshi_result", "有効な onshi_result ではありません"});
    return data;
}

// Hosts probe optional elements one by one: an absent one is answered without an exception.
constexpr onshi::api::FixedText kNoSuchElement{"the result has no such element (or fewer occurrences than index + 1)",
                                               "結果にその要素はありません(または index 番目の出現がありません)"};
constexpr onshi::api::FixedText kNoPhoto{"the result has no face photo (only a visual check with \"photo\": true reads it)",
                                         "結果に顔写真はありません(\"photo\": true の目視確認のときだけ読み取ります)"};

}  // namespace

extern "C" {

ONSHI_API onshi_status ONSHI_CALL onshi_result_json(const onshi_result *result, const char **out_json) {
    return guard(nullptr, kBilingual, [&] {
        require(out_json, "out_json");
        *out_json = live_result(result)->json().c_str();
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_result_field(const onshi_result *result, const char *element_name,
                                                     uint32_t index, const char **out_value) {
    return guard(nullptr, kBilingual, [&]() -> Answer {
        require(element_name, "element_name");
        require(out_value, "out_value");
        *out_value = nullptr;
        const std::string *value = live_result(result)->field(element_name, index);
        if (!value) return Answer::refused(ONSHI_E_NOT_FOUND, kNoSuchElement);
        *out_value = value->c_str();
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_result_photo_png(const onshi_result *result, const uint8_t **out_png,
                                                         size_t *out_size) {
    return guard(nullptr, kBilingual, [&]() -> Answer {
        require(out_png, "out_png");
        require(out_size, "out_size");
        *out_png = nullptr;
        *out_size = 0;
        auto data = live_result(result);
        if (data->photo_png().empty()) return Answer::refused(ONSHI_E_NOT_FOUND, kNoPhoto);
        *out_png = data->photo_png().data();
        *out_size = data->photo_png().size();
        return ONSHI_OK;
    });
}

ONSHI_API onshi_status ONSHI_CALL onshi_result_from_xml(onshi_context *context, const void *xml, size_t size,
                                                        onshi_result **out_result) {
    auto body = [&] {
        require(out_result, "out_result");
        *out_result = nullptr;
        if (!xml && size) require(xml, "xml");
        std::string_view bytes(static_cast<const char *>(xml), xml ? size : 0);
        onshi::core::JobResult::Builder result;
        onshi::gateway::write_result_from_xml(result.json(), bytes, onshi::registration::check_digit_ok);
        *out_result = onshi::api::register_result(result.build());
        return ONSHI_OK;
    };
    // Without a context the message is bilingual; with one it follows the context's locale.
    if (!context) return guard(nullptr, kBilingual, body);
    return onshi::api::with_context(context, [&](onshi::core::Context &) { return body(); });
}

ONSHI_API onshi_status ONSHI_CALL onshi_result_from_app_text(onshi_context *context, const char *text, size_t size,
                                                             onshi_result **out_result) {
    auto body = [&] {
        require(out_result, "out_result");
        *out_result = nullptr;
        if (!text && size) require(text, "text");
        onshi::core::JobResult::Builder result;
        onshi::gateway::write_result_from_app_text(result.json(), std::string_view(text, text ? size : 0));
        *out_result = onshi::api::register_result(result.build());
        return ONSHI_OK;
    };
    if (!context) return guard(nullptr, kBilingual, body);
    return onshi::api::with_context(context, [&](onshi::core::Context &) { return body(); });
}

ONSHI_API void ONSHI_CALL onshi_result_free(onshi_result *result) {
    if (result) onshi::api::unregister_result(result);
}

}  // extern "C"
