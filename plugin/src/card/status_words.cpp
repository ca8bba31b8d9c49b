#include "card/status_words.h"

#include <cstdio>

namespace onshi::card {

std::string sw_hex(std::uint16_t status_word) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(status_word));
    return buf;
}

Text sw_text(std::uint16_t s) {
    const char *en = nullptr;
    const char *ja = nullptr;
    switch (s) {
    case sw::ok: en = "success"; ja = "正常終了"; break;
    case sw::eof_before_le: en = "end of file reached before Le bytes"; ja = "Le バイトに達する前にファイル終端"; break;
    case sw::verify_failed: en = "verification failed"; ja = "照合不一致"; break;
    case sw::wrong_length: en = "wrong length"; ja = "Lc/Le が不正"; break;
    case sw::not_verified: en = "security status not satisfied (not verified)"; ja = "セキュリティステータスが満たされていない（未照合）"; break;
    case sw::auth_blocked: en = "authentication method blocked"; ja = "認証方法がブロックされている"; break;
    case sw::data_not_usable: en = "referenced data not usable (blocked)"; ja = "参照データが使用不可（ロック）"; break;
    case sw::conditions_not_met: en = "conditions of use not satisfied"; ja = "使用条件が満たされていない"; break;
    case sw::not_found: en = "file or application not found"; ja = "ファイルまたはアプリケーションが見つからない"; break;
    case sw::wrong_p1p2: en = "incorrect P1-P2"; ja = "P1-P2 が不正"; break;
    case sw::offset_beyond_ef: en = "offset beyond the end of the file"; ja = "オフセットがファイル範囲外"; break;
    case sw::ins_not_supported: en = "instruction not supported"; ja = "命令コードが未サポート"; break;
    case sw::cla_not_supported: en = "class not supported"; ja = "クラスが未サポート"; break;
    default:
        if (sw::is_counter(s)) {
            std::string n = std::to_string(sw::counter(s));
            return {"verification failed, " + n + " tries left (" + sw_hex(s) + ")",
                    "照合不一致、残り" + n + "回（" + sw_hex(s) + "）"};
        }
        if (sw::is_more_data(s)) { en = "more response data available"; ja = "応答データの続きあり"; break; }
        en = "unexpected status";
        ja = "想定外のステータス";
    }
    return {std::string(en) + " (" + sw_hex(s) + ")", std::string(ja) + "（" + sw_hex(s) + "）"};
}

Error card_error(const Text &operation, std::uint16_t status_word) {
    Text t = sw_text(status_word);
    return Error(ONSHI_E_CARD_ERROR,
                 {operation.en + ": the card answered " + t.en, operation.ja + ": カードの応答 " + t.ja});
}

}  // namespace onshi::card
