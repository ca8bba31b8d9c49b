// One conversation with one card over a CardChannel: remembers which AP and EF are selected so
// that the JPKI and Kenkaku code never send a redundant SELECT (the APDU budget of
// docs/card-protocol.md §APDU budget), selects the right AP before any of its EFs, fetches 61xx
// data (T=0), and counts APDUs for the benchmarks. Not thread-safe: one job thread owns it with its
// channel.
#pragma once

#include "card/card_channel.h"
#include "card/commands.h"

#include <cstddef>
#include <optional>
#include <utility>

namespace onshi::card {

class CardSession {
public:
    explicit CardSession(CardChannel &channel) : channel_(channel) {}
    CardSession(const CardSession &) = delete;
    CardSession &operator=(const CardSession &) = delete;

    // Sends one command (plus GET RESPONSEs when a T=0 card answers 61xx, and the same READ once more
    // with the Le a T=0 card names in 6Cxx) and returns the answer.
    // Errors from the channel (card removed, PC/SC down) propagate unchanged; after any throw the
    // selection is forgotten, so the next operation starts with a SELECT AP.
    ResponseApdu transmit(const CommandApdu &command);

    // SELECT the AP unless it is the current one. Returns the SW (9000 on success); any other SW
    // leaves no AP selected. The caller decides what a failure means (e.g. "not a My Number Card").
    std::uint16_t select_ap(Ap ap);

    // Selects the EF's AP (if needed, throwing a card error when that fails) and then the EF
    // (unless current). Returns the SW of the EF SELECT (9000 on success, or from the AP SELECT).
    std::uint16_t select_ef(Ef ef);

    std::optional<Ap> current_ap() const noexcept { return ap_; }
    std::optional<Ef> current_ef() const noexcept { return ef_; }
    // Forget the selection (e.g. the card might have been reset).
    void forget_selection() noexcept {
        ap_.reset();
        ef_.reset();
        known_tries_.reset();
    }

    // The tries a retry query just read for a key. The channel is exclusive, so nobody else can
    // spend a try until our own next VERIFY: PinGuard may use this once instead of asking again
    // (the PIN dialog would otherwise cost one more APDU). Any VERIFY or error forgets it.
    void remember_tries(SecretKind kind, int tries) noexcept { known_tries_ = {kind, tries}; }
    std::optional<int> take_known_tries(SecretKind kind) noexcept {
        if (!known_tries_ || known_tries_->first != kind) return std::nullopt;
        int tries = known_tries_->second;
        known_tries_.reset();
        return tries;
    }

    // C-APDUs sent so far (including GET RESPONSE).
    std::size_t apdu_count() const noexcept { return apdus_; }

private:
    ResponseApdu send(const CommandApdu &command);

    CardChannel &channel_;
    std::optional<Ap> ap_;
    std::optional<Ef> ef_;
    std::size_t apdus_ = 0;
    std::optional<std::pair<SecretKind, int>> known_tries_;
};

}  // namespace onshi::card
