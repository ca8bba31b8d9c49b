// PC/SC part 10 feature lists as readers return them to CM_IOCTL_GET_FEATURE_REQUEST.
#include "card/reader_features.h"

#include <gtest/gtest.h>

namespace onshi::card {
namespace {

TEST(ReaderFeatures, PinPadReaderOffersSecurePinEntry) {
    // VERIFY_PIN_DIRECT and MODIFY_PIN_DIRECT (as a CCID PIN-pad reader lists them), IFD_PIN_PROPERTIES.
    const std::vector<std::uint8_t> tlv = {0x06, 4, 0x42, 0x33, 0x00, 0x06, 0x07, 4, 0x42, 0x33,
                                           0x00, 0x07, 0x0A, 4, 0x42, 0x33, 0x00, 0x0A};
    ReaderFeatures f = parse_feature_list(tlv);
    EXPECT_TRUE(f.pin_pad);
    EXPECT_TRUE(f.well_formed);
    EXPECT_EQ(f.names, (std::vector<std::string>{"VERIFY_PIN_DIRECT", "MODIFY_PIN_DIRECT", "IFD_PIN_PROPERTIES"}));
}

TEST(ReaderFeatures, PropertiesAloneAreNoPinPad) {
    const std::vector<std::uint8_t> tlv = {0x12, 4, 0x42, 0x33, 0x00, 0x12, 0x13, 4, 0x42, 0x33, 0x00, 0x13, 0x7E, 4, 0, 0, 0, 1};
    ReaderFeatures f = parse_feature_list(tlv);
    EXPECT_FALSE(f.pin_pad);
    EXPECT_EQ(f.names, (std::vector<std::string>{"GET_TLV_PROPERTIES", "CCID_ESC_COMMAND", "FEATURE_7E"}));
}

TEST(ReaderFeatures, EmptyAndTruncatedLists) {
    EXPECT_TRUE(parse_feature_list({}).well_formed);
    EXPECT_FALSE(parse_feature_list({}).pin_pad);
    const std::vector<std::uint8_t> truncated = {0x06, 4, 0x42, 0x33};
    ReaderFeatures f = parse_feature_list(truncated);
    EXPECT_FALSE(f.well_formed);
    EXPECT_FALSE(f.pin_pad);  // a feature that did not parse is not offered
    const std::vector<std::uint8_t> wrong_length = {0x06, 2, 0x42, 0x33};
    EXPECT_FALSE(parse_feature_list(wrong_length).well_formed);
}

}  // namespace
}  // namespace onshi::card
