// The context configuration (docs/config.md) as onshi_open receives it from the host or a file:
// every key checked, bad input refused with ONSHI_E_CONFIG naming the key.
#include "core/config.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace onshi;
    try {
        (void)core::Config::parse(fuzz::as_text(data, size));
    } catch (const Error &e) {
        if (e.status() != ONSHI_E_CONFIG) fuzz::property_failed();
    }
    return 0;
}
