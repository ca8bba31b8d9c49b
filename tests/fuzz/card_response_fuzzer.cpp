// R-APDU bytes as a reader hands them over, read as every card-layer parser reads them: the
// response split, the status-word texts, BER-TLV headers and lookups of the 券面 APs, and the JPKI
// token. The TLV lookups must stay inside the bytes they were given.
#include "card/apdu.h"
#include "card/medium.h"
#include "card/mynumber_card.h"
#include "card/status_words.h"
#include "card/tlv.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace onshi;
    const std::span<const std::uint8_t> bytes(data, size);

    fuzz::refusal_allowed([&] {
        const card::ResponseApdu response = card::parse_response(bytes);
        if (response.data.size() + 2 != size) fuzz::property_failed();
        (void)card::sw_text(response.sw);
        (void)card::card_error({"fuzz", "fuzz"}, response.sw).message("en");
    });

    fuzz::refusal_allowed([&] {
        if (auto header = card::parse_tlv_header(bytes)) {
            if (header->header_size > size) fuzz::property_failed();
        }
    });
    for (std::uint16_t tag : {std::uint16_t{0xFF20}, std::uint16_t{0xDF21}, std::uint16_t{0xDF27}, std::uint16_t{0x90}}) {
        fuzz::refusal_allowed([&] {
            if (auto value = card::find_tlv(bytes, tag)) {
                // The value is a view into the input, never past its end.
                if (value->data() < data || value->data() + value->size() > data + size) fuzz::property_failed();
            }
        });
    }

    std::string trimmed;
    (void)card::medium_of_token(bytes, &trimmed);
    if (trimmed.size() > size) fuzz::property_failed();
    return 0;
}
