// A reader diagnosis for support desks (issue 18): what the reader, its driver and the card (or
// phone) in it look like to onshi, read without spending any secret. It sends only:
//   SELECT JPKI AP, SELECT 0006 + READ (the token: the medium), SELECT 0018 + empty VERIFY (PIN
//   tries), SELECT 000A + READs (the auth certificate; not on Android, which wants the PIN first),
//   SELECT 券面事項確認AP, SELECT 0012 + empty VERIFY (照合番号B tries), and last one extended-length
//   READ BINARY of a file that needs no secret (000A, else the token EF) as the extended-length probe.
// No VERIFY with data, nothing else from the 券面 APs, never the 券面事項入力補助AP (commands.h).
// The certificate stays in memory for the caller to read its expiry date; nothing here logs it.
#pragma once

#include "card/card_channel.h"
#include "card/medium.h"
#include "card/reader_features.h"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace onshi::card {

struct SecretTriesReading {
    enum class State : std::uint8_t {
        counted,        // tries holds the counter (63Cx)
        blocked,        // 63C0 / 6983 / 6984: tries 0
        unknown,        // 9000 to the empty VERIFY: the card does not tell (docs/card-protocol.md §The PIN)
        not_available,  // no such key or AP on this medium; detail says what the card answered
    };
    State state = State::not_available;
    int tries = -1;
    std::string detail;  // English, for support: the status word or why it was not asked
};

struct CertificateReading {
    enum class State : std::uint8_t { read, needs_pin, not_readable };
    State state = State::not_readable;
    std::vector<std::uint8_t> der;  // when read (holds no name; its serial never leaves this process)
    std::string detail;
};

struct ExtendedLengthProbe {
    enum class State : std::uint8_t { supported, not_supported, not_probed };
    State state = State::not_probed;
    std::size_t bytes = 0;  // data bytes the probe's answer carried
    std::string detail;
};

struct CardDiagnosis {
    std::vector<std::uint8_t> atr;
    ReaderDetails reader;
    bool contactless = false;                     // the ATR is a PC/SC part 3 contactless one
    std::optional<ReaderFeatures> features;       // nullopt: the reader refused GET_FEATURE_REQUEST
    Medium medium = Medium::other;
    bool jpki_ap = false;
    bool kenkaku_ap = false;
    SecretTriesReading pin;
    SecretTriesReading collation_b;
    CertificateReading certificate;
    ExtendedLengthProbe extended_length;
    std::size_t apdus = 0;
    std::vector<std::chrono::microseconds> round_trips;
    std::size_t largest_response = 0;  // R-APDU bytes, SW included
};

// Runs the diagnosis on a connected channel. Throws only what ends it: ONSHI_E_CARD_REMOVED and
// ONSHI_E_PCSC_UNAVAILABLE; every refusal by the card is part of the report.
CardDiagnosis diagnose_card(CardChannel &channel);

}  // namespace onshi::card
