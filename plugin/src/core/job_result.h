// What a job (or an imported result XML) produced, immutable once built and shared by every
// onshi_result handle that points at it: the JSON text, its string values by member name (for
// onshi_result_field, json_field_index.h) and, for visual checks, the chip's face photo.
//
// Not to be confused with gateway/eligibility_result.h, which writes the JSON of one kind of job
// result, a check's (verdict, XmlMsg, labels, timing).
#pragma once

#include "util/error.h"
#include "util/json_field_index.h"
#include "util/json_writer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace onshi::core {

class JobResult {
public:
    // Writes a result once: the JSON and its field index in the same pass.
    //   JobResult::Builder result;
    //   result.json().begin_object().member("enrolled", true).end_object();
    //   return result.build();
    class Builder {
    public:
        Builder() : writer_(&fields_) {}
        json::Writer &json() { return writer_; }
        std::shared_ptr<const JobResult> build(std::vector<std::uint8_t> photo_png = {});

    private:
        json::FieldIndex fields_;  // before writer_, which feeds it
        json::Writer writer_;
    };

    // From JSON text made elsewhere: parsed once to index its fields.
    static std::shared_ptr<const JobResult> from_json(std::string json, std::vector<std::uint8_t> photo_png = {});
    // {"status": "ONSHI_E_...", "code": n, "message": clerk sentence, "action": next action,
    //  "detail": for IT, "tries_left": n}
    static std::shared_ptr<const JobResult> from_error(const Error &error, const std::string &locale);

    JobResult(std::string json, json::FieldIndex fields, std::vector<std::uint8_t> photo_png)
        : json_(std::move(json)), fields_(std::move(fields)), photo_png_(std::move(photo_png)) {}

    const std::string &json() const { return json_; }
    const std::string *field(std::string_view name, std::uint32_t index) const { return fields_.find(name, index); }
    const std::vector<std::uint8_t> &photo_png() const { return photo_png_; }

private:
    std::string json_;
    json::FieldIndex fields_;
    std::vector<std::uint8_t> photo_png_;
};

}  // namespace onshi::core
