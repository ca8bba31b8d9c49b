// The JPKI AP conversation of a PIN check (identify, certificate, tries, VERIFY, SIGN) against a
// card that answers anything (fuzz_card_channel.h). Besides not crashing, the PinGuard rule is
// checked on every input: the last PIN try is never spent unless the host allowed it
// (docs/design.md §Rules 2) — here the host never allows it, so a VERIFY with the PIN must only
// follow a tries count of 2 or more.
#include "card/mynumber_card.h"
#include "fuzz_card_channel.h"
#include "fuzz_target.h"

#include <array>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace onshi;
    fuzz::FuzzCardChannel channel({data, size});
    card::CardSession session(channel);
    card::MyNumberCard jpki(session);

    fuzz::refusal_allowed([&] { jpki.identify(); });
    fuzz::refusal_allowed([&] {
        const std::vector<std::uint8_t> certificate = jpki.read_auth_certificate();
        if (certificate.size() > card::kMaxCertificateBytes) fuzz::property_failed();
    });
    fuzz::refusal_allowed([&] {
        const int tries = jpki.query_pin_tries();
        if (tries != card::kTriesUnknown && (tries < 1 || tries > 15)) fuzz::property_failed();
    });
    fuzz::refusal_allowed([&] { jpki.verify_pin(SecureBuffer::from_string("1234"), false); });
    fuzz::refusal_allowed([&] {
        const std::array<std::uint8_t, 32> digest{};
        (void)jpki.sign_sha256(digest);
    });
    if (!channel.last_try_rule_held()) fuzz::property_failed();
    return 0;
}
