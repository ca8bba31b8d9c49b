#include "core/job_result.h"

#include "util/json.h"
#include "util/status_text.h"

namespace onshi::core {

std::shared_ptr<const JobResult> JobResult::Builder::build(std::vector<std::uint8_t> photo_png) {
    return std::make_shared<const JobResult>(writer_.text(), std::move(fields_), std::move(photo_png));
}

std::shared_ptr<const JobResult> JobResult::from_json(std::string json, std::vector<std::uint8_t> photo_png) {
    json::FieldIndex fields =
        json::FieldIndex::of(json::parse(json, "result", ONSHI_E_INTERNAL, {.max_bytes = 16u << 20, .max_depth = 64}));
    return std::make_shared<const JobResult>(std::move(json), std::move(fields), std::move(photo_png));
}

std::shared_ptr<const JobResult> JobResult::from_error(const Error &error, const std::string &locale) {
    Builder result;
    json::Writer &w = result.json();
    w.begin_object()
        .member("status", status_name(error.status()))
        .member("code", static_cast<int>(error.status()))
        // The three parts of a failure: what staff read, what they do next, what IT looks at.
        .member("message", error.sentence(locale))
        .member("action", error.action(locale))
        .member("detail", error.it_detail(locale));
    if (error.value() >= 0) w.member("tries_left", static_cast<int>(error.value()));
    w.end_object();
    return result.build();
}

}  // namespace onshi::core
