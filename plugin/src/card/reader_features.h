// A reader's PC/SC part 10 feature list (the answer to CM_IOCTL_GET_FEATURE_REQUEST): TLV triples
// of a 1-byte feature tag, length 4 and a 4-byte big-endian control code (PC/SC part 10 v2.02.09,
// §2.3). onshi reads it only to report whether a PIN pad is offered: no reader sold for the My
// Number Card was found with one, and PIN-pad entry is not built (issue 18).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace onshi::card {

struct ReaderFeatures {
    std::vector<std::string> names;  // "VERIFY_PIN_DIRECT", ... ; "FEATURE_xx" for tags we do not name
    bool pin_pad = false;            // a secure PIN entry feature (verify or modify, start/finish or direct)
    bool well_formed = true;         // false: the list did not parse as TLV triples (names hold what did)
};

ReaderFeatures parse_feature_list(std::span<const std::uint8_t> tlv);

}  // namespace onshi::card
