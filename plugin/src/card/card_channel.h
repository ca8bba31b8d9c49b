// One card, held exclusively (inside a PC/SC transaction) for as long as the channel lives.
#pragma once

#include "card/apdu.h"

#include <optional>
#include <string>

namespace onshi::card {

// What the PC/SC service says about the reader behind a channel (a reader diagnosis shows it).
// Empty strings where the driver does not answer: many drivers leave the vendor attributes out.
struct ReaderDetails {
    std::string protocol;     // "T=0", "T=1", or "" when unknown
    std::string vendor_name;  // SCARD_ATTR_VENDOR_NAME
    std::string ifd_type;     // SCARD_ATTR_VENDOR_IFD_TYPE
    std::string ifd_version;  // SCARD_ATTR_VENDOR_IFD_VERSION, as the driver reports it (hex)
};

class CardChannel {
public:
    virtual ~CardChannel() = default;
    // Sends one command. Throws onshi::Error: ONSHI_E_CARD_REMOVED when the card is gone (including
    // a "successful" transmit that returned 0 bytes), ONSHI_E_PCSC_UNAVAILABLE, ONSHI_E_CARD_ERROR.
    virtual ResponseApdu transmit(const CommandApdu &command) = 0;
    virtual const std::vector<std::uint8_t> &atr() const = 0;

    // The reader's names and the negotiated protocol (since issue 18; a test double may leave the
    // defaults). Never throws.
    virtual ReaderDetails reader_details() const { return {}; }
    // The reader's PC/SC part 10 feature list (the answer to CM_IOCTL_GET_FEATURE_REQUEST), or
    // nullopt when the reader refuses the control code (most readers: no PIN pad). Sends no APDU.
    // Throws only for a card that is gone (ONSHI_E_CARD_REMOVED) or PC/SC down.
    virtual std::optional<std::vector<std::uint8_t>> feature_list() { return std::nullopt; }
};

}  // namespace onshi::card
