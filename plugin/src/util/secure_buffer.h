// Memory for secrets (PIN, 照合番号B, private keys): never copied implicitly, wiped with
// OPENSSL_cleanse (which the optimiser may not remove) when cleared or destroyed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace onshi {

class SecureBuffer {
public:
    SecureBuffer() = default;
    SecureBuffer(const void *data, std::size_t size);
    static SecureBuffer from_string(std::string_view text) { return {text.data(), text.size()}; }
    ~SecureBuffer() { wipe(); }

    SecureBuffer(const SecureBuffer &) = delete;
    SecureBuffer &operator=(const SecureBuffer &) = delete;
    SecureBuffer(SecureBuffer &&other) noexcept;
    SecureBuffer &operator=(SecureBuffer &&other) noexcept;

    const std::uint8_t *data() const noexcept { return bytes_.data(); }
    std::size_t size() const noexcept { return bytes_.size(); }
    bool empty() const noexcept { return bytes_.empty(); }
    std::string_view view() const noexcept {
        return {reinterpret_cast<const char *>(bytes_.data()), bytes_.size()};
    }

    // Overwrites the contents and releases them.
    void wipe() noexcept;

private:
    std::vector<std::uint8_t> bytes_;
};

// Wipes any caller-owned region (used on the copies that the C shim makes).
void secure_wipe(void *data, std::size_t size) noexcept;

// Test seam: when set, called with every region secure_wipe() has just overwritten, while that
// region is still allocated, so a test can prove the wipe without reading freed memory
// (tests/unit/util/secure_buffer_test.cpp). Null (and never set) in production.
using WipeObserver = void (*)(const void *data, std::size_t size);
void set_wipe_observer(WipeObserver observer) noexcept;

}  // namespace onshi
