// The one exception type that crosses layers inside onshi. It carries an ABI status code and a
// technical detail in both languages (URL, curl or PC/SC code, the config key: what IT needs).
// What staff read — the clerk's sentence and the next action — comes from the status alone
// (util/status_text.h), so a detail never repeats the sentence in other words.
#pragma once

#include <onshi/onshi.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace onshi {

// A message in both languages the ABI offers; which one a host sees is the context's locale.
struct Text {
    std::string en;
    std::string ja;

    const std::string &in(const std::string &locale) const { return locale == "en" ? en : ja; }
    bool empty() const { return en.empty() && ja.empty(); }
};

class Error : public std::runtime_error {
public:
    Error(onshi_status status, Text detail, int32_t value = -1);

    onshi_status status() const noexcept { return status_; }
    const Text &detail() const noexcept { return *detail_; }
    // Event value that goes with the error (tries left for PIN errors), -1 when none.
    int32_t value() const noexcept { return value_; }

    // The clerk's sentence and the next action of the status (static storage).
    const char *sentence(const std::string &locale) const noexcept;
    const char *action(const std::string &locale) const noexcept;
    // The detail for IT: the call site's detail, or the status's technical meaning when it has none.
    std::string it_detail(const std::string &locale) const;

    // "<clerk sentence>: <detail>" in the given locale, for onshi_last_error and logs.
    std::string message(const std::string &locale) const;

private:
    onshi_status status_;
    // Shared and immutable, so that copying an Error never throws: an exception copied while it
    // is thrown (throw e; a stored error thrown again) must not call std::terminate on bad_alloc.
    std::shared_ptr<const Text> detail_;
    int32_t value_;
};

}  // namespace onshi
