#include "card/reader_diagnosis.h"

#include "card/atr.h"
#include "card/card_session.h"
#include "card/mynumber_card.h"
#include "card/pin_guard.h"
#include "card/status_words.h"
#include "card/timed_card_channel.h"
#include "util/error.h"

#include <algorithm>

namespace onshi::card {
namespace {

// Errors that end the diagnosis; everything else the card says is a finding.
bool ends_diagnosis(const Error &e) {
    return e.status() == ONSHI_E_CARD_REMOVED || e.status() == ONSHI_E_PCSC_UNAVAILABLE ||
           e.status() == ONSHI_E_INTERNAL;
}

SecretTriesReading read_tries(CardSession &session, SecretKind kind) {
    SecretTriesReading out;
    try {
        const int tries = PinGuard(session, kind, PinGuard::Tries::card_rules).query_tries();
        if (tries == kTriesUnknown) {
            out.state = SecretTriesReading::State::unknown;
            out.detail = "the card answered 9000 to the tries query: it does not tell the count";
        } else {
            out.state = SecretTriesReading::State::counted;
            out.tries = tries;
        }
    } catch (const Error &e) {
        if (ends_diagnosis(e)) throw;
        if (e.status() == ONSHI_E_PIN_BLOCKED || e.status() == ONSHI_E_COLLATION_B_BLOCKED) {
            out.state = SecretTriesReading::State::blocked;
            out.tries = 0;
        } else {
            out.state = SecretTriesReading::State::not_available;
            out.detail = e.detail().en;
        }
    }
    return out;
}

ExtendedLengthProbe probe_extended(CardSession &session, Ef ef, std::size_t expect_over_256,
                                   const std::vector<std::uint8_t> &known_prefix) {
    ExtendedLengthProbe out;
    try {
        if (std::uint16_t s = session.select_ef(ef); s != sw::ok) {
            out.detail = "could not select the probe file (" + sw_hex(s) + ")";
            return out;
        }
        const auto le = static_cast<std::uint32_t>(expect_over_256 ? expect_over_256 : 65536);
        ResponseApdu r = session.transmit(Commands::read_binary_extended(0, le));
        out.bytes = r.data.size();
        if (r.sw != sw::ok && r.sw != sw::eof_before_le) {
            out.state = ExtendedLengthProbe::State::not_supported;
            out.detail = "the card or reader refused an extended READ BINARY (" + sw_hex(r.sw) + ")";
        } else if (expect_over_256 && (r.data.size() <= 256 || !std::equal(known_prefix.begin(), known_prefix.end(),
                                                                              r.data.begin(), r.data.begin() + static_cast<std::ptrdiff_t>(std::min(known_prefix.size(), r.data.size()))))) {
            out.state = ExtendedLengthProbe::State::not_supported;
            out.detail = "an extended READ BINARY for " + std::to_string(le) + " bytes gave " +
                         std::to_string(r.data.size()) + " bytes (" + sw_hex(r.sw) + ")";
        } else {
            out.state = ExtendedLengthProbe::State::supported;
            out.detail = expect_over_256 ? "an extended READ BINARY passed " + std::to_string(r.data.size()) + " bytes at once"
                                         : "the extended encoding was accepted on the token file (" +
                                               std::to_string(r.data.size()) +
                                               " bytes); answers over 256 bytes were not tried";
        }
    } catch (const Error &e) {
        if (e.status() == ONSHI_E_CARD_REMOVED || e.status() == ONSHI_E_PCSC_UNAVAILABLE) throw;
        out.state = ExtendedLengthProbe::State::not_supported;
        out.detail = "the reader failed an extended READ BINARY: " + e.detail().en;
    }
    return out;
}

}  // namespace

CardDiagnosis diagnose_card(CardChannel &channel) {
    TimedCardChannel timed(channel);
    CardSession session(timed);
    CardDiagnosis d;
    d.atr = channel.atr();
    d.reader = channel.reader_details();
    d.contactless = is_contactless_atr(d.atr);
    if (auto list = channel.feature_list()) d.features = parse_feature_list(*list);

    MyNumberCard card(session);
    d.medium = card.read_medium();
    d.jpki_ap = session.current_ap() == Ap::jpki;

    if (d.jpki_ap) {
        d.pin = read_tries(session, SecretKind::auth_pin);
        if (d.medium == Medium::other) {
            d.certificate.detail = "not a medium onshi knows";
        } else if (card::certificate_needs_pin(d.medium)) {
            d.certificate.state = CertificateReading::State::needs_pin;
            d.certificate.detail = "this medium serves the certificate only after the PIN (not asked in a diagnosis)";
        } else {
            try {
                d.certificate.der = card.read_auth_certificate();
                d.certificate.state = CertificateReading::State::read;
            } catch (const Error &e) {
                if (ends_diagnosis(e)) throw;
                d.certificate.detail = e.detail().en;
            }
        }
    } else {
        d.pin.detail = "no JPKI application";
        d.certificate.detail = "no JPKI application";
    }

    // The 券面事項確認AP: its selection and the 照合番号B tries query only.
    std::uint16_t s = session.select_ap(Ap::kenkaku);
    d.kenkaku_ap = s == sw::ok;
    if (d.kenkaku_ap) d.collation_b = read_tries(session, SecretKind::collation_b);
    else d.collation_b.detail = "no 券面事項確認AP (" + sw_hex(s) + ")";

    // Last: a reader that chokes on extended length must not spoil the findings above.
    if (d.certificate.state == CertificateReading::State::read) {
        std::vector<std::uint8_t> prefix(d.certificate.der.begin(),
                                         d.certificate.der.begin() + std::min<std::ptrdiff_t>(256, static_cast<std::ptrdiff_t>(d.certificate.der.size())));
        d.extended_length = probe_extended(session, Ef::jpki_auth_cert, d.certificate.der.size(), prefix);
    } else if (d.jpki_ap && d.medium != Medium::other) {
        d.extended_length = probe_extended(session, Ef::jpki_token, 0, {});
    } else {
        d.extended_length.detail = "no file that needs no secret to probe on";
    }

    d.apdus = session.apdu_count();
    d.round_trips = timed.round_trips();
    d.largest_response = timed.largest_response();
    return d;
}

}  // namespace onshi::card
