// The host's request for one eligibility check (the JSON of onshi_check_eligibility).
#pragma once

#include <string>
#include <string_view>

namespace onshi::core {

struct CheckRequest {
    enum class Method { pin, visual };

    std::string reader;               // empty: the reader that has a card (or the only reader)
    Method method = Method::pin;
    bool allow_last_attempt = false;  // the patient may spend the last PIN / 照合番号B try
    bool photo = false;               // visual: read the chip's face photo (needs 照合番号B)
    bool consent_limit_certificate = false;  // 限度額適用認定証 information may be returned

    // Throws Error(ONSHI_E_INVALID_ARGUMENT) naming the offending member.
    static CheckRequest parse(std::string_view json);
};

}  // namespace onshi::core
