#include "core/event_text.h"

#include <onshi/onshi.h>

namespace onshi::core {
namespace {

struct Pair {
    const char *ja;
    const char *en;
};

Pair progress_pair(int32_t step) {
    switch (step) {
    case ONSHI_PROGRESS_WAITING_FOR_CARD: return {"カードを置いてください", "Place the card on the reader"};
    case ONSHI_PROGRESS_READING_CARD: return {"カードを読み取っています", "Reading the card"};
    case ONSHI_PROGRESS_VERIFYING_PIN: return {"暗証番号を確認しています", "Checking the PIN"};
    case ONSHI_PROGRESS_SIGNING: return {"カードで署名しています", "Signing with the card"};
    case ONSHI_PROGRESS_READING_PHOTO: return {"顔写真を読み取っています", "Reading the photo"};
    case ONSHI_PROGRESS_CONTACTING_GATEWAY: return {"資格確認サーバーに問い合わせています", "Asking the eligibility service"};
    default: return {"処理しています", "Working"};
    }
}

}  // namespace

std::string progress_text(int32_t step, const std::string &locale) {
    const Pair p = progress_pair(step);
    return locale == "en" ? p.en : p.ja;
}

std::string secret_prompt(int32_t kind, int32_t tries_left, const std::string &locale, const std::string &medium) {
    const bool en = locale == "en";
    std::string text;
    if (kind == ONSHI_SECRET_COLLATION_B)
        text = en ? "Enter collation number B (14 digits)" : "照合番号B（14桁）を入力してください";
    else if (medium == "android")
        text = en ? "Enter the 4-digit PIN of the smartphone certificate" : "スマホ用電子証明書の暗証番号（4桁）を入力してください";
    else
        text = en ? "Enter the 4-digit PIN" : "暗証番号（4桁）を入力してください";
    if (tries_left >= 0) {
        const std::string n = std::to_string(tries_left);
        text += en ? " (" + n + (tries_left == 1 ? " try left)" : " tries left)") : "（残り" + n + "回）";
    }
    return text;
}

}  // namespace onshi::core
