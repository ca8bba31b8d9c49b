// Shape checks for the two secrets we may send. They run before any APDU, so a typo never costs a
// try (ONSHI_E_PIN_FORMAT / ONSHI_E_COLLATION_B_FORMAT, both "no try was spent").
//
// Where they run: the user-facing check is core's Context (submit_check for a secret given with
// the request, provide_secret for one typed into the PIN dialog): it answers the host's call at
// once, before any job or card, and a dialog can simply ask again. The calls in the card layer
// (Kenkaku::verify_collation_b, PinGuard::verify, Commands::verify) are safety nets that no code
// path can bypass on its way to a VERIFY; with the Context's check in front they never fire.
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
