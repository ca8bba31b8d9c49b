#include "core/result_data.h"

#include "util/json.h"
#include "util/status_text.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace onshi::core {
namespace {

// Walks the document without recursion (results are bounded, but so is our stack).
void collect_fields(const rapidjson::Value &root, std::vector<std::pair<std::string, std::string>> &out) {
    struct Item {
        const rapidjson::Value *value;
        std::string name;
    };
    std::vector<Item> stack{{&root, ""}};
    while (!stack.empty()) {
        Item item = std::move(stack.back());
        stack.pop_back();
        const rapidjson::Value &v = *item.value;
        if (v.IsString()) {
            if (!item.name.empty()) out.emplace_back(item.name, std::string(v.GetString(), v.GetStringLength()));
        } else if (v.IsObject()) {
            // reverse so that the stack pops members in document order
            for (auto it = v.MemberEnd(); it != v.MemberBegin();) {
                --it;
                stack.push_back({&it->value, std::string(it->name.GetString(), it->name.GetStringLength())});
            }
        } else if (v.IsArray()) {
            for (auto i = v.Size(); i > 0; --i) stack.push_back({&v[i - 1], item.name});
        }
    }
}

}  // namespace

std::shared_ptr<const ResultData> ResultData::from_json(std::string json, std::vector<std::uint8_t> photo_png) {
    auto data = std::make_shared<ResultData>();
    rapidjson::Document doc = json::parse(json, "result", ONSHI_E_INTERNAL, {.max_bytes = 16u << 20, .max_depth = 64});
    collect_fields(doc, data->fields_);
    data->json_ = std::move(json);
    data->photo_png_ = std::move(photo_png);
    return data;
}

std::shared_ptr<const ResultData> ResultData::from_error(const Error &error, const std::string &locale) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("status");
    w.String(status_name(error.status()));
    w.Key("code");
    w.Int(error.status());
    // The three parts of a failure: what staff read, what they do next, what IT looks at.
    w.Key("message");
    w.String(error.sentence(locale));
    w.Key("action");
    w.String(error.action(locale));
    const std::string detail = error.it_detail(locale);
    w.Key("detail");
    w.String(detail.c_str(), static_cast<rapidjson::SizeType>(detail.size()));
    if (error.value() >= 0) {
        w.Key("tries_left");
        w.Int(error.value());
    }
    w.EndObject();
    return from_json(std::string(buf.GetString(), buf.GetSize()));
}

const std::string *ResultData::field(std::string_view name, std::uint32_t index) const {
    for (const auto &[key, value] : fields_)
        if (key == name && index-- == 0) return &value;
    return nullptr;
}

}  // namespace onshi::core
