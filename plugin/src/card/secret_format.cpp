#include "card/secret_format.h"

#include "util/error.h"

#include <string_view>

namespace onshi::card {
namespace {

bool all_digits(std::string_view s) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

int number(std::string_view s) {
    int n = 0;
    for (char c : s) n = n * 10 + (c - '0');
    return n;
}

}  // namespace

// The messages never echo the secret, not even its length beyond "not N digits".
void check_pin_format(const SecureBuffer &pin) {
    std::string_view v = pin.view();
    if (v.size() != 4 || !all_digits(v))
        throw Error(ONSHI_E_PIN_FORMAT, {"the PIN must be exactly 4 digits (0-9); no try was spent",
                                         "暗証番号は数字4桁で入力してください（試行回数は減っていません）"});
}

void check_collation_b_format(const SecureBuffer &collation_b) {
    std::string_view v = collation_b.view();
    const char *why_en = nullptr;
    const char *why_ja = nullptr;
    if (v.size() != 14 || !all_digits(v)) {
        why_en = "it must be 14 digits";
        why_ja = "数字14桁ではありません";
    } else {
        int month = number(v.substr(2, 2));
        int day = number(v.substr(4, 2));
        int expiry_year = number(v.substr(6, 4));
        if (month < 1 || month > 12 || day < 1 || day > 31) {
            why_en = "the first 6 digits must be the birth date as YYMMDD (Japanese-era year)";
            why_ja = "先頭6桁は生年月日（和暦の年2桁＋月日、YYMMDD）です";
        } else if (expiry_year < 2015 || expiry_year > 2099) {
            why_en = "digits 7-10 must be the card's expiry year (e.g. 2035)";
            why_ja = "7〜10桁目はカードの有効期限の西暦年（例: 2035）です";
        }
    }
    if (why_en)
        throw Error(ONSHI_E_COLLATION_B_FORMAT,
                    {std::string("照合番号B (collation number B): ") + why_en +
                         " (birth YYMMDD + expiry year YYYY + 4-digit security code); no try was spent",
                     std::string("照合番号Bの形式が正しくありません: ") + why_ja +
                         "（生年月日YYMMDD＋有効期限の西暦年YYYY＋セキュリティコード4桁。試行回数は減っていません）"});
}

void check_secret_format(SecretKind kind, const SecureBuffer &secret) {
    if (kind == SecretKind::auth_pin)
        check_pin_format(secret);
    else
        check_collation_b_format(secret);
}

}  // namespace onshi::card
