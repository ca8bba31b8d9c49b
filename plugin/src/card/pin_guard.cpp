#include "card/pin_guard.h"

#include "card/secret_format.h"
#include "card/status_words.h"
#include "util/error.h"

#include <string>

namespace onshi::card {
namespace {

struct Names {
    const char *en;
    const char *ja;
    onshi_status incorrect;
    onshi_status blocked;
};

Names names_of(SecretKind kind) {
    if (kind == SecretKind::auth_pin)
        return {"the PIN (利用者証明用暗証番号)", "利用者証明用暗証番号", ONSHI_E_PIN_INCORRECT,
                ONSHI_E_PIN_BLOCKED};
    return {"照合番号B (collation number B)", "照合番号B", ONSHI_E_COLLATION_B_INCORRECT,
            ONSHI_E_COLLATION_B_BLOCKED};
}

bool is_blocked_sw(std::uint16_t s) {
    return s == 0x63C0 || s == sw::auth_blocked || s == sw::data_not_usable;
}

}  // namespace

void PinGuard::blocked() const {
    Names n = names_of(kind_);
    if (kind_ == SecretKind::auth_pin)
        throw Error(n.blocked, {"the card's authentication PIN has no tries left", "利用者証明用暗証番号の残り0回"}, 0);
    throw Error(n.blocked, {"the card's collation number B has no tries left", "照合番号Bの残り0回"}, 0);
}

int PinGuard::query_tries() {
    Names n = names_of(kind_);
    select_key();
    ResponseApdu r = session_.transmit(Commands::verify_query());
    if (is_blocked_sw(r.sw)) blocked();
    if (!sw::is_counter(r.sw) && !r.ok())
        throw card_error({std::string("ask the tries left for ") + n.en, std::string(n.ja) + "の残り回数の確認"},
                         r.sw);
    if (r.ok() && tries_ == Tries::counter_required)
        throw Error(ONSHI_E_CARD_ERROR,
                    {std::string("the smartphone did not report the tries left for ") + n.en +
                         " (it answered 9000 instead of 63Cx); no try was spent",
                     "スマートフォンが" + std::string(n.ja) + "の残り回数を返しませんでした（63Cx ではなく 9000）。"
                                                             "試行は消費していません"});
    int tries = r.ok() ? kTriesUnknown : sw::counter(r.sw);
    session_.remember_tries(kind_, tries);
    return tries;
}

void PinGuard::select_key() {
    Names n = names_of(kind_);
    std::uint16_t s = session_.select_ef(key_ef_of(kind_));
    if (s != sw::ok)
        throw card_error({std::string("select the key of ") + n.en, std::string(n.ja) + "の鍵の選択"}, s);
}

void PinGuard::verify(SecureBuffer secret, bool allow_last_attempt) {
    // `secret` is ours now; its destructor wipes it on every path (return or throw).
    Names n = names_of(kind_);
    check_secret_format(kind_, secret);

    // Rule 2: the tries are known right before VERIFY — asked now, or asked earlier in this same
    // exclusive session with no VERIFY since (the PIN dialog's query).
    std::optional<int> known = session_.take_known_tries(kind_);
    int tries = known ? *known : query_tries();
    if (known) select_key();           // a no-op unless something else was selected since
    session_.take_known_tries(kind_);  // this VERIFY uses up the count, whoever read it
    // kTriesUnknown (9000 to the query) means the key is in the verified state; a successful VERIFY
    // reset its counter to the maximum, so this VERIFY cannot be the last try.
    if (tries != kTriesUnknown && tries <= 1 && !allow_last_attempt)
        throw Error(ONSHI_E_LAST_TRY_REFUSED,
                    {std::string("one try left for ") + n.en +
                         "; the call did not pass ONSHI_PIN_ALLOW_LAST_ATTEMPT",
                     std::string(n.ja) + "の残り1回。呼び出しに ONSHI_PIN_ALLOW_LAST_ATTEMPT がありません"},
                    tries);

    ResponseApdu r;
    {
        CommandApdu command = Commands::verify(kind_, secret);
        secret.wipe();  // the command holds the only copy now, and wipes it in its destructor
        r = session_.transmit(command);
    }
    if (r.ok()) return;
    if (is_blocked_sw(r.sw)) blocked();
    if (sw::is_counter(r.sw) || r.sw == sw::verify_failed) {
        int left = r.sw == sw::verify_failed ? -1 : sw::counter(r.sw);
        std::string l = std::to_string(left);
        throw Error(n.incorrect,
                    left >= 0 ? Text{"VERIFY of " + std::string(n.en) + " failed; " + l +
                                         (left == 1 ? " try left" : " tries left"),
                                     std::string(n.ja) + "の照合に失敗（残り" + l + "回）"}
                              : Text{"VERIFY of " + std::string(n.en) + " failed; the card did not say how many tries are left",
                                     std::string(n.ja) + "の照合に失敗（残り回数不明）"},
                    left);
    }
    throw card_error({std::string("verify ") + n.en, std::string(n.ja) + "の照合"}, r.sw);
}

}  // namespace onshi::card
