#include "fallback_guidance.h"

namespace reception {

// FALLBACK ONLY (see the header). The reactions follow docs/abi.md §7.
const char *fallback_next_action(onshi_status status) {
    switch (status) {
    case ONSHI_E_PIN_INCORRECT:
        return "患者さんに暗証番号を確かめていただき、希望されたらもう一度「資格確認（暗証番号）」を押してください。";
    case ONSHI_E_PIN_BLOCKED:
    case ONSHI_E_LAST_TRY_REFUSED:
        return "目視確認（顔写真）で続けてください。暗証番号の再設定は、お住まいの市区町村の窓口でできます。";
    case ONSHI_E_COLLATION_B_INCORRECT:
        return "カードの表面を見ながら、もう一度「目視確認（顔写真）」から照合番号Bを入力してください。";
    case ONSHI_E_NO_CARD:
    case ONSHI_E_CARD_REMOVED:
    case ONSHI_E_CARD_ERROR:
        return "マイナンバーカードをカードリーダーに置き直し、確認が終わるまで置いたままにして、もう一度お試しください。";
    case ONSHI_E_NOT_MYNUMBER_CARD:
    case ONSHI_E_JUKI_CARD:
        return "マイナンバーカードを置いてください。お持ちでなければ、資格確認書または健康保険証で確認してください。";
    case ONSHI_E_CERT_REVOKED:
    case ONSHI_E_CERT_EXPIRED:
        return "今日は資格確認書または健康保険証で確認してください。電子証明書はお住まいの市区町村の窓口で更新できます。";
    case ONSHI_E_NETWORK:
    case ONSHI_E_GATEWAY_TIMEOUT:
    case ONSHI_E_GATEWAY_ERROR:
        return "少し待ってからもう一度お試しください。続くときは資格確認書または健康保険証で受付し、後で確認してください。";
    default:
        return "もう一度お試しください。続くときはシステム担当者に連絡してください。";
    }
}

} // namespace reception
