#include "registration/check_digit.h"

namespace onshi::registration {

bool all_digits(std::string_view text) noexcept {
    if (text.empty()) return false;
    for (char c : text)
        if (c < '0' || c > '9') return false;
    return true;
}

std::optional<int> check_digit(std::string_view body) noexcept {
    if (!all_digits(body)) return std::nullopt;
    int sum = 0;
    bool twice = true;  // the rightmost body digit is multiplied by 2
    for (auto it = body.rbegin(); it != body.rend(); ++it, twice = !twice) {
        int product = (*it - '0') * (twice ? 2 : 1);
        sum += product / 10 + product % 10;
    }
    return (10 - sum % 10) % 10;
}

bool check_digit_ok(std::string_view number) noexcept {
    if (number.size() < 2 || !all_digits(number)) return false;
    return check_digit(number.substr(0, number.size() - 1)) == number.back() - '0';
}

}  // namespace onshi::registration
