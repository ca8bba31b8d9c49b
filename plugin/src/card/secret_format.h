// Shape checks for the two secrets we may send. They run before any APDU, so a typo never costs a
// try (ONSHI_E_PIN_FORMAT / ONSHI_E_COLLATION_B_FORMAT, both "no try was spent").
#pragma once

#include "card/commands.h"
#include "util/secure_buffer.h"

namespace onshi::card {

// Throws Error(ONSHI_E_PIN_FORMAT) unless exactly 4 ASCII digits.
void check_pin_format(const SecureBuffer &pin);

// Throws Error(ONSHI_E_COLLATION_B_FORMAT) unless 14 ASCII digits of the form
// YYMMDD (和暦 year, month 01-12, day 01-31) + expiry year 2015-2099 + 4-digit security code.
void check_collation_b_format(const SecureBuffer &collation_b);

void check_secret_format(SecretKind kind, const SecureBuffer &secret);

}  // namespace onshi::card
