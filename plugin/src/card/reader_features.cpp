#include "card/reader_features.h"

#include <cstdio>

namespace onshi::card {
namespace {

// PC/SC part 10 §2.3, FEATURE_* tags.
const char *feature_name(std::uint8_t tag) {
    switch (tag) {
    case 0x01: return "VERIFY_PIN_START";
    case 0x02: return "VERIFY_PIN_FINISH";
    case 0x03: return "MODIFY_PIN_START";
    case 0x04: return "MODIFY_PIN_FINISH";
    case 0x05: return "GET_KEY_PRESSED";
    case 0x06: return "VERIFY_PIN_DIRECT";
    case 0x07: return "MODIFY_PIN_DIRECT";
    case 0x08: return "MCT_READER_DIRECT";
    case 0x09: return "MCT_UNIVERSAL";
    case 0x0A: return "IFD_PIN_PROPERTIES";
    case 0x0B: return "ABORT";
    case 0x0C: return "SET_SPE_MESSAGE";
    case 0x0D: return "VERIFY_PIN_DIRECT_APP_ID";
    case 0x0E: return "MODIFY_PIN_DIRECT_APP_ID";
    case 0x0F: return "WRITE_DISPLAY";
    case 0x10: return "GET_KEY";
    case 0x11: return "IFD_DISPLAY_PROPERTIES";
    case 0x12: return "GET_TLV_PROPERTIES";
    case 0x13: return "CCID_ESC_COMMAND";
    case 0x14: return "EXECUTE_PACE";
    default: return nullptr;
    }
}

bool is_pin_entry(std::uint8_t tag) {
    return tag == 0x01 || tag == 0x02 || tag == 0x03 || tag == 0x04 || tag == 0x06 || tag == 0x07 || tag == 0x0D ||
           tag == 0x0E;
}

}  // namespace

ReaderFeatures parse_feature_list(std::span<const std::uint8_t> tlv) {
    ReaderFeatures out;
    std::size_t i = 0;
    while (i < tlv.size()) {
        if (tlv.size() - i < 2 || tlv[i + 1] != 4 || tlv.size() - i < 6) {
            out.well_formed = false;
            break;
        }
        const std::uint8_t tag = tlv[i];
        if (const char *name = feature_name(tag)) {
            out.names.emplace_back(name);
        } else {
            char buf[16];
            std::snprintf(buf, sizeof buf, "FEATURE_%02X", static_cast<unsigned>(tag));
            out.names.emplace_back(buf);
        }
        out.pin_pad = out.pin_pad || is_pin_entry(tag);
        i += 6;
    }
    return out;
}

}  // namespace onshi::card
