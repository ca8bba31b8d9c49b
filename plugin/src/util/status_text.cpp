#include "util/status_text.h"

#include <iterator>

namespace onshi {
namespace {

struct StatusText {
    onshi_status status;
    const char *name;
    const char *ja;
    const char *en;
};

#define ONSHI_TEXT(code, ja, en) {code, #code, ja, en}
constexpr StatusText kTexts[] = {
    ONSHI_TEXT(ONSHI_OK, "正常に終了しました", "Success"),
    ONSHI_TEXT(ONSHI_E_INVALID_ARGUMENT, "引数が正しくありません", "Invalid argument"),
    ONSHI_TEXT(ONSHI_E_INVALID_HANDLE, "ハンドルが無効です", "Invalid or closed handle"),
    ONSHI_TEXT(ONSHI_E_NO_MEMORY, "メモリが不足しています", "Out of memory"),
    ONSHI_TEXT(ONSHI_E_NOT_SUPPORTED, "この機能はサポートされていません", "Not supported"),
    ONSHI_TEXT(ONSHI_E_INTERNAL, "内部エラーが発生しました", "Internal error"),
    ONSHI_TEXT(ONSHI_E_CLOSING, "終了処理中です", "The context is closing"),
    ONSHI_TEXT(ONSHI_E_TIMEOUT, "時間内に完了しませんでした", "Timed out"),
    ONSHI_TEXT(ONSHI_E_CANCELLED, "取り消されました", "Cancelled"),
    ONSHI_TEXT(ONSHI_E_CONFIG, "設定に誤りがあります", "Invalid configuration"),
    ONSHI_TEXT(ONSHI_E_NOT_FOUND, "見つかりません", "Not found"),
    ONSHI_TEXT(ONSHI_E_BUSY, "処理が混み合っています", "Busy"),
    ONSHI_TEXT(ONSHI_E_WRONG_STATE, "現在の状態ではこの操作はできません", "Not allowed in the current state"),
    ONSHI_TEXT(ONSHI_E_PCSC_UNAVAILABLE, "カードリーダーのサービス(PC/SC)が動作していません",
               "The smart-card service (PC/SC) is not running"),
    ONSHI_TEXT(ONSHI_E_NO_READER, "カードリーダーが見つかりません", "No card reader found"),
    ONSHI_TEXT(ONSHI_E_NO_CARD, "カードが置かれていません", "No card on the reader"),
    ONSHI_TEXT(ONSHI_E_CARD_REMOVED, "処理中にカードが外されました", "The card was removed during the check"),
    ONSHI_TEXT(ONSHI_E_NOT_MYNUMBER_CARD, "マイナンバーカードではありません", "Not a My Number Card"),
    ONSHI_TEXT(ONSHI_E_JUKI_CARD, "住民基本台帳カードです。マイナンバーカードをお使いください",
               "This is an old Juki card, not a My Number Card"),
    ONSHI_TEXT(ONSHI_E_PIN_INCORRECT, "暗証番号が違います", "Incorrect PIN"),
    ONSHI_TEXT(ONSHI_E_PIN_BLOCKED, "暗証番号がロックされています。市区町村の窓口で初期化が必要です",
               "The PIN is locked; it must be reset at the municipal office"),
    ONSHI_TEXT(ONSHI_E_LAST_TRY_REFUSED, "残り1回のため照合を行いませんでした",
               "Only one try is left; it was not used without permission"),
    ONSHI_TEXT(ONSHI_E_PIN_FORMAT, "暗証番号は数字4桁です", "The PIN must be 4 digits"),
    ONSHI_TEXT(ONSHI_E_COLLATION_B_INCORRECT, "照合番号Bが違います", "Incorrect collation number B"),
    ONSHI_TEXT(ONSHI_E_COLLATION_B_BLOCKED, "照合番号Bがロックされています", "Collation number B is locked"),
    ONSHI_TEXT(ONSHI_E_COLLATION_B_FORMAT, "照合番号Bは数字14桁(生年月日6桁・有効期限の西暦4桁・セキュリティコード4桁)です",
               "Collation number B must be 14 digits (birth YYMMDD, expiry year, security code)"),
    ONSHI_TEXT(ONSHI_E_CARD_ERROR, "カードから予期しない応答がありました", "Unexpected answer from the card"),
    ONSHI_TEXT(ONSHI_E_CARD_IN_USE, "カードが他のプログラムで使用中です", "The card is in use by another program"),
    ONSHI_TEXT(ONSHI_E_NETWORK, "資格確認サーバーに接続できません", "Cannot reach the eligibility gateway"),
    ONSHI_TEXT(ONSHI_E_GATEWAY_TIMEOUT, "資格確認サーバーから応答がありません", "The eligibility gateway did not answer in time"),
    ONSHI_TEXT(ONSHI_E_TLS, "安全な接続を確立できません(証明書を確認してください)",
               "Secure connection failed (check the certificates)"),
    ONSHI_TEXT(ONSHI_E_GATEWAY_ERROR, "資格確認サーバーでエラーが発生しました", "The eligibility gateway reported an error"),
    ONSHI_TEXT(ONSHI_E_GATEWAY_PROTOCOL, "資格確認サーバーの応答が不正です", "Malformed answer from the eligibility gateway"),
    ONSHI_TEXT(ONSHI_E_NOT_ENROLLED, "この端末は登録されていません", "This terminal is not registered"),
    ONSHI_TEXT(ONSHI_E_CERT_REVOKED, "カードの電子証明書が失効しています", "The card's certificate is revoked"),
    ONSHI_TEXT(ONSHI_E_CERT_EXPIRED, "カードの電子証明書の有効期限が切れています", "The card's certificate has expired"),
    ONSHI_TEXT(ONSHI_E_REJECTED, "資格確認サーバーが要求を受け付けませんでした", "The gateway rejected the request"),
    ONSHI_TEXT(ONSHI_E_TERMINAL_LIMIT, "申請台数を超えるため端末を登録できません",
               "The facility already uses every terminal it applied for"),
    ONSHI_TEXT(ONSHI_E_SETUP_CREDENTIALS, "ユーザー設定情報が正しくありません", "The setup credentials were not accepted"),
    ONSHI_TEXT(ONSHI_E_ALREADY_ENROLLED, "この端末は既に登録されています", "This terminal is already registered"),
    ONSHI_TEXT(ONSHI_E_VALIDATION, "入力内容に誤りがあります", "The input has errors"),
    ONSHI_TEXT(ONSHI_E_CREDENTIAL_STORE, "端末の鍵・証明書の保存領域に問題があります",
               "The terminal's key and certificate store has a problem"),
    ONSHI_TEXT(ONSHI_E_PARSE, "資格確認結果を読み取れません", "The result document could not be parsed"),
};
#undef ONSHI_TEXT

const StatusText *find(onshi_status status) noexcept {
    for (const auto &t : kTexts)
        if (t.status == status) return &t;
    return nullptr;
}

}  // namespace

const char *status_name(onshi_status status) noexcept {
    const StatusText *t = find(status);
    return t ? t->name : "ONSHI_E_UNKNOWN";
}

const char *status_message(onshi_status status, const std::string &locale) noexcept {
    const StatusText *t = find(status);
    if (!t) return locale == "en" ? "Unknown status" : "不明なステータスです";
    return locale == "en" ? t->en : t->ja;
}

bool status_is_known(onshi_status status) noexcept { return find(status) != nullptr; }

}  // namespace onshi
