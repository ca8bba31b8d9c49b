// onshi host SDK — internal: wiping the SDK's own copies of a PIN or 照合番号B.
#ifndef ONSHI_SDK_DETAIL_SECRET_HPP
#define ONSHI_SDK_DETAIL_SECRET_HPP

#include <cstddef>
#include <string>
#include <string_view>

namespace onshi::sdk::detail {

inline void wipe(std::string &secret) noexcept {
    volatile char *bytes = secret.data(); // volatile: the stores are not optimised away
    for (std::size_t i = 0; i < secret.size(); ++i)
        bytes[i] = '\0';
    secret.clear();
}

// A NUL-terminated copy of a secret for one C call, wiped when it goes out of scope.
class SecretCopy {
public:
    explicit SecretCopy(std::string_view secret) : text_(secret) {}
    ~SecretCopy() { wipe(text_); }
    SecretCopy(const SecretCopy &) = delete;
    SecretCopy &operator=(const SecretCopy &) = delete;

    const char *c_str_or_null() const noexcept { return text_.empty() ? nullptr : text_.c_str(); }

private:
    std::string text_;
};

} // namespace onshi::sdk::detail

#endif
