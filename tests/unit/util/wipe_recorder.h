// Records every region secure_wipe() overwrites (through set_wipe_observer), and whether it read
// all zeros right after the wipe, while the memory was still allocated: the wipe tests prove that
// a secret was wiped without ever reading freed memory (which ASan would rightly refuse).
#pragma once

#include "util/secure_buffer.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace onshi::test {

class WipeRecorder {
public:
    struct Wipe {
        const void *data;
        std::size_t size;
        bool zeroed;
    };

    WipeRecorder() {
        std::lock_guard lock(mutex());
        wipes().clear();
        set_wipe_observer(&observe);
    }
    ~WipeRecorder() { set_wipe_observer(nullptr); }
    WipeRecorder(const WipeRecorder &) = delete;
    WipeRecorder &operator=(const WipeRecorder &) = delete;

    // The region [data, data+size) was wiped, and read all zeros afterwards.
    bool wiped(const void *data, std::size_t size) const {
        std::lock_guard lock(mutex());
        return std::any_of(wipes().begin(), wipes().end(),
                           [&](const Wipe &w) { return w.data == data && w.size == size && w.zeroed; });
    }
    // Wipes of exactly `size` bytes that read all zeros afterwards.
    std::size_t wipes_of_size(std::size_t size) const {
        std::lock_guard lock(mutex());
        return static_cast<std::size_t>(
            std::count_if(wipes().begin(), wipes().end(), [&](const Wipe &w) { return w.size == size && w.zeroed; }));
    }
    std::size_t count() const {
        std::lock_guard lock(mutex());
        return wipes().size();
    }

private:
    static void observe(const void *data, std::size_t size) {
        const auto *p = static_cast<const std::uint8_t *>(data);
        bool zeroed = std::all_of(p, p + size, [](std::uint8_t b) { return b == 0; });
        std::lock_guard lock(mutex());
        wipes().push_back({data, size, zeroed});
    }
    static std::mutex &mutex() {
        static std::mutex m;
        return m;
    }
    static std::vector<Wipe> &wipes() {
        static std::vector<Wipe> w;
        return w;
    }
};

}  // namespace onshi::test
