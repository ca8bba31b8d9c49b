// The host's eligibility-check request JSON (onshi_check_eligibility): refused with
// ONSHI_E_INVALID_ARGUMENT naming the member, or read into a request.
#include "core/check_request.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace onshi;
    try {
        (void)core::CheckRequest::parse(fuzz::as_text(data, size));
    } catch (const Error &e) {
        if (e.status() != ONSHI_E_INVALID_ARGUMENT) fuzz::property_failed();
    }
    return 0;
}
