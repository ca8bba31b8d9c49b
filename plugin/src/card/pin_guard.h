// The safety rules of docs/design.md §Rules 2 for every VERIFY onshi sends (auth PIN and 照合番号B):
//  1. check the secret's shape before anything touches the card (no try is ever spent on a typo);
//  2. ALWAYS know the tries left right before VERIFY: ask the card (empty VERIFY, spends nothing),
//     or use the count asked earlier in this same exclusive session with no VERIFY since; a
//     medium whose answer to the empty VERIFY is undocumented (a phone) must give a counter;
//  3. tries == 0 (or a blocked key) -> ..._BLOCKED without sending VERIFY;
//     tries <= 1 -> ONSHI_E_LAST_TRY_REFUSED (value = tries) unless the host allowed the last try;
//  4. send exactly one VERIFY, never retry it on our own;
//  5. wipe the secret whatever happens.
// Thread use: one job thread, like the CardSession it works on.
#pragma once

#include "card/card_session.h"
#include "card/commands.h"
#include "util/secure_buffer.h"

namespace onshi::card {

// "The card answered 9000 to the empty VERIFY": some cards do so while the key is in the verified
// state (docs/card-protocol.md §The PIN), so the counter is not known.
inline constexpr int kTriesUnknown = -1;

class PinGuard {
public:
    // What an answer to the tries query may be.
    enum class Tries : std::uint8_t {
        card_rules,        // 63Cx, or 9000 (the key is in the verified state: not the last try)
        counter_required,  // 63Cx only: 9000 is refused (ONSHI_E_CARD_ERROR), nothing is inferred
    };

    PinGuard(CardSession &session, SecretKind kind, Tries tries = Tries::card_rules)
        : session_(session), kind_(kind), tries_(tries) {}

    // Selects the key EF (and its AP) when needed and returns the tries left (1..15), or
    // kTriesUnknown (card_rules only). Throws ONSHI_E_PIN_BLOCKED / ONSHI_E_COLLATION_B_BLOCKED
    // (value 0) for 63C0, 6983 or 6984, and a card error for anything else.
    int query_tries();

    // Rules 1-5 above. Returns normally only when the card answered 9000. Errors:
    // *_FORMAT (no APDU sent), *_BLOCKED (value 0), ONSHI_E_LAST_TRY_REFUSED (value = tries),
    // *_INCORRECT (value = tries left, -1 when the card gave no counter), ONSHI_E_CARD_ERROR.
    void verify(SecureBuffer secret, bool allow_last_attempt);

private:
    [[noreturn]] void blocked() const;
    void select_key();

    CardSession &session_;
    SecretKind kind_;
    Tries tries_;
};

}  // namespace onshi::card
