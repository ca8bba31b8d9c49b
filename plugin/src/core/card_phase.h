// The card half of a check (docs/design.md §The check, end to end): identify the medium
// (docs/smartphones.md), read the 利用者証明用 certificate, then either verify the PIN and sign the
// confirmation payload, or (visual) read the face photo with 照合番号B when asked. On an Android
// phone the certificate is read after the VERIFY; media that cannot do the method are refused
// before any secret is asked. The PIN dialog and progress go through the job.
#pragma once

#include "card/card_channel.h"
#include "card/medium.h"
#include "core/check_request.h"
#include "core/job.h"

#include <chrono>
#include <string>
#include <vector>

namespace onshi::core {

// What the card proves, handed to the gateway step.
struct CardEvidence {
    card::Medium medium = card::Medium::card;
    std::vector<std::uint8_t> certificate;  // DER auth certificate (holds no name, no 個人番号)
    std::vector<std::uint8_t> signature;    // RSA PKCS#1 v1.5, empty for visual checks
    std::vector<std::uint8_t> photo_png;    // visual checks with "photo": true
};

struct CardPhaseOptions {
    std::chrono::milliseconds pin_timeout{120'000};
};

// `payload` is signed for PIN checks. `secret` is the PIN (pin) or 照合番号B (visual + photo), or
// empty to ask through ONSHI_EVENT_PIN_NEEDED.
CardEvidence run_card_phase(Job &job, card::CardChannel &channel, const CheckRequest &request,
                            SecureBuffer secret, const std::string &payload, const CardPhaseOptions &options);

}  // namespace onshi::core
