#include "registration/validation_report.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace onshi::registration {

void Report::error(std::string field, std::string code, std::string en, std::string ja) {
    errors.push_back({std::move(field), std::move(code), {std::move(en), std::move(ja)}});
}

void Report::warning(std::string field, std::string code, std::string en, std::string ja) {
    warnings.push_back({std::move(field), std::move(code), {std::move(en), std::move(ja)}});
}

bool Report::has_error(const std::string &field) const {
    for (const Issue &e : errors)
        if (e.field == field) return true;
    return false;
}

namespace {

void write_issues(rapidjson::Writer<rapidjson::StringBuffer> &w, const std::vector<Issue> &issues) {
    w.StartArray();
    for (const Issue &issue : issues) {
        w.StartObject();
        w.Key("field");
        w.String(issue.field);
        w.Key("code");
        w.String(issue.code);
        w.Key("message_ja");
        w.String(issue.message.ja);
        w.Key("message_en");
        w.String(issue.message.en);
        w.EndObject();
    }
    w.EndArray();
}

}  // namespace

std::string Report::to_json() const {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("valid");
    w.Bool(valid());
    w.Key("errors");
    write_issues(w, errors);
    w.Key("warnings");
    write_issues(w, warnings);
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace onshi::registration
