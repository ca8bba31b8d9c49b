#include "util/error.h"

#include "util/status_text.h"

#include <type_traits>

namespace onshi {

static_assert(std::is_nothrow_copy_constructible_v<Error>, "an exception must copy without throwing");

Error::Error(onshi_status status, Text detail, int32_t value)
    : std::runtime_error(detail.en.empty() ? status_name(status) : detail.en),
      status_(status), detail_(std::make_shared<const Text>(std::move(detail))), value_(value) {}

const char *Error::sentence(const std::string &locale) const noexcept { return status_message(status_, locale); }

const char *Error::action(const std::string &locale) const noexcept { return status_action(status_, locale); }

std::string Error::it_detail(const std::string &locale) const {
    const std::string &specific = detail_->in(locale);
    return specific.empty() ? std::string(status_meaning(status_, locale)) : specific;
}

std::string Error::message(const std::string &locale) const {
    std::string generic = status_message(status_, locale);
    const std::string &specific = detail_->in(locale);
    if (specific.empty()) return generic;
    return generic + (locale == "en" ? ": " : "：") + specific;
}

}  // namespace onshi
