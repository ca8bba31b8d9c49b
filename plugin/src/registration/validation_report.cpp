#include "registration/validation_report.h"

#include "util/json_writer.h"

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

void write_issues(json::Writer &w, const std::vector<Issue> &issues) {
    w.begin_array();
    for (const Issue &issue : issues)
        w.begin_object()
            .member("field", issue.field)
            .member("code", issue.code)
            .member("message_ja", issue.message.ja)
            .member("message_en", issue.message.en)
            .end_object();
    w.end_array();
}

}  // namespace

std::string Report::to_json() const {
    json::Writer w;
    w.begin_object().member("valid", valid()).key("errors");
    write_issues(w, errors);
    w.key("warnings");
    write_issues(w, warnings);
    w.end_object();
    return w.text();
}

}  // namespace onshi::registration
