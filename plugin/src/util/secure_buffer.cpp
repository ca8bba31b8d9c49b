#include "util/secure_buffer.h"

#include <openssl/crypto.h>

#include <atomic>
#include <utility>

namespace onshi {

SecureBuffer::SecureBuffer(const void *data, std::size_t size) {
    // reserve exactly, so that no reallocation leaves an unwiped copy behind
    bytes_.reserve(size);
    const auto *p = static_cast<const std::uint8_t *>(data);
    bytes_.assign(p, p + size);
}

SecureBuffer::SecureBuffer(SecureBuffer &&other) noexcept : bytes_(std::move(other.bytes_)) {
    other.bytes_.clear();
}

SecureBuffer &SecureBuffer::operator=(SecureBuffer &&other) noexcept {
    if (this != &other) {
        wipe();
        bytes_ = std::move(other.bytes_);
        other.bytes_.clear();
    }
    return *this;
}

void SecureBuffer::wipe() noexcept {
    if (!bytes_.empty()) secure_wipe(bytes_.data(), bytes_.size());
    bytes_.clear();
    bytes_.shrink_to_fit();
}

namespace {
std::atomic<WipeObserver> g_wipe_observer{nullptr};
}  // namespace

void secure_wipe(void *data, std::size_t size) noexcept {
    if (!data || !size) return;
    OPENSSL_cleanse(data, size);
    if (WipeObserver observe = g_wipe_observer.load(std::memory_order_acquire)) observe(data, size);
}

void set_wipe_observer(WipeObserver observer) noexcept { g_wipe_observer.store(observer, std::memory_order_release); }

}  // namespace onshi
