// The status a call ends with: ONSHI_OK when it returns, the onshi::Error's status when it throws.
// Unit tests of every layer compare statuses this way (their CMakeLists add this folder).
#pragma once

#include "util/error.h"

#include <string>

namespace onshi::test {

// `en`, when given, receives the English detail of the error (empty when none was thrown).
template <typename Call>
onshi_status status_of(Call &&call, std::string *en = nullptr) {
    try {
        call();
    } catch (const Error &e) {
        if (en) *en = e.detail().en;
        return e.status();
    }
    return ONSHI_OK;
}

}  // namespace onshi::test
