#include "core/card_phase.h"

#include "card/card_session.h"
#include "card/kenkaku.h"
#include "card/mynumber_card.h"
#include "util/digest.h"

namespace onshi::core {
namespace {

// The secret from the request, or from the PIN dialog after telling the host the tries left.
SecretAnswer obtain_secret(Job &job, SecureBuffer secret, bool allow_last_attempt, int32_t kind, card::Medium medium,
                           const std::function<int()> &query_tries, const CardPhaseOptions &options) {
    if (!secret.empty()) return {std::move(secret), allow_last_attempt};
    SecretAnswer answer = job.wait_for_secret(kind, query_tries(), options.pin_timeout, card::medium_name(medium));
    answer.allow_last_attempt = answer.allow_last_attempt || allow_last_attempt;
    return answer;
}

}  // namespace

CardEvidence run_card_phase(Job &job, card::CardChannel &channel, const CheckRequest &request, SecureBuffer secret,
                            const std::string &payload, const CardPhaseOptions &options) {
    card::CardSession session(channel);
    card::MyNumberCard jpki(session);
    CardEvidence evidence;

    job.progress(ONSHI_PROGRESS_READING_CARD);
    const bool pin_check = request.method == CheckRequest::Method::pin;
    evidence.medium = jpki.identify(pin_check ? card::CheckMethod::pin : card::CheckMethod::visual);
    if (!jpki.certificate_needs_pin()) evidence.certificate = jpki.read_auth_certificate();

    if (pin_check) {
        SecretAnswer pin = obtain_secret(job, std::move(secret), request.allow_last_attempt, ONSHI_SECRET_PIN,
                                         evidence.medium, [&] { return jpki.query_pin_tries(); }, options);
        job.throw_if_cancelled();  // no try is spent after a cancel
        job.progress(ONSHI_PROGRESS_VERIFYING_PIN);
        jpki.verify_pin(std::move(pin.secret), pin.allow_last_attempt);
        if (evidence.certificate.empty()) evidence.certificate = jpki.read_auth_certificate();  // Android
        job.progress(ONSHI_PROGRESS_SIGNING);
        evidence.signature = jpki.sign_sha256(sha256(payload));
    } else if (request.photo) {
        card::Kenkaku kenkaku(session);
        SecretAnswer collation_b =
            obtain_secret(job, std::move(secret), request.allow_last_attempt, ONSHI_SECRET_COLLATION_B,
                          evidence.medium, [&] { return kenkaku.query_collation_b_tries(); }, options);
        job.throw_if_cancelled();
        job.progress(ONSHI_PROGRESS_READING_PHOTO);
        evidence.photo_png = card::read_face_photo_png(session, std::move(collation_b.secret), collation_b.allow_last_attempt);
    }
    return evidence;
}

}  // namespace onshi::core
