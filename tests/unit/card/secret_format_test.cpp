// The shapes of the two secrets (secret_format.h): checked before any APDU, and no error text ever
// echoes the secret. The VERIFY factory runs the same check (the card layer's safety net).
#include "card/secret_format.h"

#include "card/commands.h"
#include "util/error.h"
#include "status_of.h"

#include <gtest/gtest.h>

namespace onshi::card {
namespace {

using onshi::test::status_of;

TEST(SecretFormat, Pin) {
    for (const char *ok : {"0000", "1234", "9999"})
        EXPECT_EQ(status_of([&] { check_pin_format(SecureBuffer::from_string(ok)); }), ONSHI_OK) << ok;
    for (const char *bad : {"", "123", "12345", "12a4", " 123", "１２３４", "123\n"})
        EXPECT_EQ(status_of([&] { (void)Commands::verify(SecretKind::auth_pin, SecureBuffer::from_string(bad)); }),
                  ONSHI_E_PIN_FORMAT)
            << bad;
}

TEST(SecretFormat, CollationB) {
    for (const char *ok : {"55021720352285", "02022420300000", "01013120150001"})
        EXPECT_EQ(status_of([&] { check_collation_b_format(SecureBuffer::from_string(ok)); }), ONSHI_OK) << ok;
    for (const char *bad : {"5502172035228",     // 13 digits
                            "550217203522850",   // 15
                            "55131720352285",    // month 13
                            "55020020352285",    // day 00
                            "55021719992285",    // expiry 1999
                            "5502172035228X",    // not a digit
                            "123456789012",      // 12 digits: a 個人番号 / 照合番号A shape
                            ""})
        EXPECT_EQ(status_of([&] { (void)Commands::verify(SecretKind::collation_b, SecureBuffer::from_string(bad)); }),
                  ONSHI_E_COLLATION_B_FORMAT)
            << bad;
}

TEST(SecretFormat, ErrorTextNeverEchoesTheSecret) {
    try {
        check_pin_format(SecureBuffer::from_string("98a7"));
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(std::string(e.what()).find("98a7"), std::string::npos);
        EXPECT_EQ(e.detail().ja.find("98a7"), std::string::npos);
        EXPECT_FALSE(e.detail().ja.empty());
    }
}

TEST(SecretFormat, ByKind) {
    EXPECT_EQ(status_of([] { check_secret_format(SecretKind::auth_pin, SecureBuffer::from_string("1234")); }), ONSHI_OK);
    EXPECT_EQ(status_of([] { check_secret_format(SecretKind::auth_pin, SecureBuffer::from_string("55021720352285")); }),
              ONSHI_E_PIN_FORMAT);
    EXPECT_EQ(status_of([] { check_secret_format(SecretKind::collation_b, SecureBuffer::from_string("1234")); }),
              ONSHI_E_COLLATION_B_FORMAT);
}

}  // namespace
}  // namespace onshi::card
