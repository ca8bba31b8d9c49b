// What a job (or an imported result XML) produced, immutable once built and shared by every
// onshi_result handle that points at it.
#pragma once

#include "util/error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace onshi::core {

class ResultData {
public:
    // Indexes every string value in the JSON by its member name, in document order, so that hosts
    // without a JSON parser can ask for "InsurerNumber" directly.
    static std::shared_ptr<const ResultData> from_json(std::string json, std::vector<std::uint8_t> photo_png = {});
    // {"status": "ONSHI_E_...", "code": n, "message": clerk sentence, "action": next action,
    //  "detail": for IT, "tries_left": n}
    static std::shared_ptr<const ResultData> from_error(const Error &error, const std::string &locale);

    const std::string &json() const { return json_; }
    const std::string *field(std::string_view name, std::uint32_t index) const;
    const std::vector<std::uint8_t> &photo_png() const { return photo_png_; }

private:
    std::string json_;
    std::vector<std::pair<std::string, std::string>> fields_;
    std::vector<std::uint8_t> photo_png_;
};

}  // namespace onshi::core
