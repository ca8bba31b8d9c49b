#include "util/json_field_index.h"

namespace onshi::json {

FieldIndex FieldIndex::of(const rapidjson::Value &document) {
    FieldIndex index;
    document.Accept(index);
    return index;
}

const std::string *FieldIndex::find(std::string_view name, std::uint32_t index) const {
    for (const auto &[key, value] : fields_)
        if (key == name && index-- == 0) return &value;
    return nullptr;
}

const std::string &FieldIndex::name_of_next() const {
    static const std::string kNone;
    if (open_.empty()) return kNone;
    return open_.back().array ? open_.back().name : key_;
}

bool FieldIndex::String(const char *text, rapidjson::SizeType length, bool) {
    const std::string &name = name_of_next();
    if (!name.empty()) fields_.emplace_back(name, std::string(text, length));
    return true;
}

bool FieldIndex::Key(const char *text, rapidjson::SizeType length, bool) {
    key_.assign(text, length);
    return true;
}

bool FieldIndex::open(bool array) {
    std::string name = name_of_next();
    open_.push_back({array, std::move(name)});
    return true;
}

bool FieldIndex::close() {
    if (!open_.empty()) open_.pop_back();
    return true;
}

}  // namespace onshi::json
