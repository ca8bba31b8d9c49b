// The 利用申請書 JSON a host hands to onshi_application_validate: every problem goes into the
// report (never an exception past "not a JSON object"), and the report itself is valid JSON.
#include "fuzz_target.h"
#include "registration/application_form.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace onshi;
    const registration::Date today{2026, 11, 24};
    try {
        const registration::Report report = registration::validate_application(fuzz::as_text(data, size), today);
        (void)fuzz::must_parse(report.to_json());
    } catch (const Error &e) {
        if (e.status() != ONSHI_E_INVALID_ARGUMENT) fuzz::property_failed();
    }
    return 0;
}
