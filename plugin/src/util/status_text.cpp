#include "util/status_text.h"

#include <iterator>

namespace onshi {
namespace {

// Per status: the clerk's sentence, the next action and the technical meaning, each {ja, en}.
// Clerk texts speak to reception staff: no "host", no API names; those belong in the meaning.
#define ONSHI_NAMED(code) code, #code
constexpr StatusEntry kEntries[] = {
    {ONSHI_NAMED(ONSHI_OK),
        {"正常に終了しました", "Done"},
        {"結果を確認してください", "Review the result"},
        {"成功", "Success"}},
    {ONSHI_NAMED(ONSHI_E_INVALID_ARGUMENT),
        {"プログラムの呼び出しに誤りがあります", "The program made an invalid request"},
        {"IT担当者に連絡してください", "Call IT"},
        {"必須の値がNULL、または入力の形式・長さが不正です", "NULL where a value is required, malformed or oversized input"}},
    {ONSHI_NAMED(ONSHI_E_INVALID_HANDLE),
        {"プログラムの呼び出しに誤りがあります", "The program used a closed connection"},
        {"プログラムを再起動し、続く場合はIT担当者に連絡してください", "Restart the program; if it happens again, call IT"},
        {"有効な onshi_context / onshi_result ではありません", "Not a live onshi_context / onshi_result"}},
    {ONSHI_NAMED(ONSHI_E_NO_MEMORY),
        {"メモリが不足しています", "The computer is out of memory"},
        {"プログラムを再起動してください", "Restart the program"},
        {"メモリを確保できません", "Out of memory"}},
    {ONSHI_NAMED(ONSHI_E_NOT_SUPPORTED),
        {"この機能はこのパソコンでは使えません", "This function is not available on this computer"},
        {"別の方法で確認してください", "Use another way to check"},
        {"このビルドまたはプラットフォームでは利用できません", "Not available in this build or on this platform"}},
    {ONSHI_NAMED(ONSHI_E_INTERNAL),
        {"内部エラーが発生しました", "An internal error occurred"},
        {"もう一度お試しください。続く場合はIT担当者に連絡してください", "Try again; if it happens again, call IT"},
        {"onshi の不具合です（詳細に発生箇所があります）", "A bug in onshi; the detail says where"}},
    {ONSHI_NAMED(ONSHI_E_CLOSING),
        {"終了処理中です", "The program is shutting down"},
        {"終了を待ってから起動し直してください", "Wait for it to close, then start it again"},
        {"コンテキストを閉じている最中です", "The context is being closed"}},
    {ONSHI_NAMED(ONSHI_E_TIMEOUT),
        {"時間切れです", "Time ran out"},
        {"もう一度最初からお試しください", "Start again from the beginning"},
        {"待ち時間内に完了しませんでした（暗証番号の入力待ちなど）", "A wait ran out of time (e.g. waiting for the PIN)"}},
    {ONSHI_NAMED(ONSHI_E_CANCELLED),
        {"取り消しました", "Cancelled"},
        {"必要なら最初からやり直してください", "Start again if needed"},
        {"ジョブが取り消されました", "The job was cancelled"}},
    {ONSHI_NAMED(ONSHI_E_CONFIG),
        {"設定に誤りがあります", "The settings are wrong"},
        {"IT担当者に設定の確認を依頼してください", "Ask IT to check the settings"},
        {"設定JSONが不正です（詳細に項目名があります）", "The configuration JSON is invalid; the detail names the key"}},
    {ONSHI_NAMED(ONSHI_E_NOT_FOUND),
        {"該当するものが見つかりません", "Nothing was found"},
        {"もう一度お試しください。続く場合はIT担当者に連絡してください", "Try again; if it happens again, call IT"},
        {"ジョブ番号・結果の項目・読み取り機が存在しません", "Unknown job id, result field or reader"}},
    {ONSHI_NAMED(ONSHI_E_BUSY),
        {"処理が混み合っています", "Busy with another check"},
        {"少し待ってからもう一度押してください", "Wait a moment and press again"},
        {"未解放のジョブが多すぎるか、読み取り機が使用中です", "Too many unreleased jobs, or the reader is in use"}},
    {ONSHI_NAMED(ONSHI_E_WRONG_STATE),
        {"今はこの操作はできません", "This cannot be done right now"},
        {"画面の表示に従ってください。続く場合はIT担当者に連絡してください",
          "Follow the screen; if it happens again, call IT"},
        {"現在の状態では受け付けない呼び出しです", "The call is not allowed in the current state"}},
    {ONSHI_NAMED(ONSHI_E_PCSC_UNAVAILABLE),
        {"カードリーダーのサービスが動作していません", "The card reader service is not running"},
        {"IT担当者に連絡してください。その間は資格確認書・保険証で確認してください",
          "Call IT; meanwhile check with the eligibility certificate or insurance card"},
        {"PC/SC サービス（pcscd / Smart Card サービス）が動作していません",
          "The PC/SC service (pcscd / Smart Card service) is not running"}},
    {ONSHI_NAMED(ONSHI_E_NO_READER),
        {"カードリーダーが見つかりません", "No card reader found"},
        {"カードリーダーのケーブルを確かめてから、もう一度押してください",
          "Check the card reader's cable, then press again"},
        {"読み取り機がないか、指定した読み取り機が存在しません", "No reader, or the named reader does not exist"}},
    {ONSHI_NAMED(ONSHI_E_NO_CARD),
        {"カードが置かれていません", "No card on the reader"},
        {"カードを置いてから、もう一度押してください", "Put the card on the reader and press again"},
        {"読み取り機にカードがありません", "No card in the reader"}},
    {ONSHI_NAMED(ONSHI_E_CARD_REMOVED),
        {"読み取り中にカードが外されました", "The card was removed during the check"},
        {"カードを置き直し、終わるまで置いたままにして、もう一度押してください",
          "Put the card back, leave it until the end, and press again"},
        {"処理中にカードが読み取り機から離れました", "The card left the reader during the job"}},
    {ONSHI_NAMED(ONSHI_E_NOT_MYNUMBER_CARD),
        {"マイナンバーカードではありません", "This is not a My Number Card"},
        {"マイナンバーカードを置いて、もう一度押してください", "Put a My Number Card on the reader and press again"},
        {"カードが券面事項・利用者証明用のアプリケーションを持ちません", "The card has no My Number Card applications"}},
    {ONSHI_NAMED(ONSHI_E_JUKI_CARD),
        {"住民基本台帳カードは使えません", "An old Juki card cannot be used"},
        {"資格確認書または保険証で確認してください", "Check with the eligibility certificate or insurance card"},
        {"住民基本台帳カードが置かれました", "An old Basic Resident Register (Juki) card was placed"}},
    {ONSHI_NAMED(ONSHI_E_PIN_INCORRECT),
        {"暗証番号が違います", "The PIN is incorrect"},
        {"もう一度入力してもらってください。残り回数に注意してください",
          "Ask the patient to enter it again; mind the tries left"},
        {"利用者証明用暗証番号の照合に失敗しました（イベント値=残り回数）",
          "PIN verification failed (event value = tries left)"}},
    {ONSHI_NAMED(ONSHI_E_PIN_BLOCKED),
        {"暗証番号がロックされています", "The PIN is locked"},
        {"目視確認で続けてください。暗証番号は市区町村の窓口で初期化できます",
          "Use 目視確認 (visual check); the patient can reset the PIN at the municipal office"},
        {"利用者証明用暗証番号の残り回数が0です", "No PIN tries are left"}},
    {ONSHI_NAMED(ONSHI_E_LAST_TRY_REFUSED),
        {"暗証番号の残り回数が1回です", "Only one PIN try is left"},
        {"ご本人に確認のうえ最後の1回を使うか、目視確認で続けてください",
          "Ask the patient before using the last try, or use 目視確認 (visual check)"},
        {"残り1回で、最後の1回の使用が許可されていません（ONSHI_PIN_ALLOW_LAST_ATTEMPT なし）",
          "One try left and the call did not allow it (no ONSHI_PIN_ALLOW_LAST_ATTEMPT)"}},
    {ONSHI_NAMED(ONSHI_E_PIN_FORMAT),
        {"暗証番号は数字4桁です", "The PIN is 4 digits"},
        {"数字4桁で入力し直してもらってください", "Ask the patient to enter 4 digits again"},
        {"暗証番号が数字4桁ではありません（回数は減っていません）", "The PIN is not 4 digits; no try was spent"}},
    {ONSHI_NAMED(ONSHI_E_COLLATION_B_INCORRECT),
        {"照合番号Bが違います", "Collation number B is incorrect"},
        {"カードの券面を見て入力し直してください。残り回数に注意してください",
          "Type it again from the card face; mind the tries left"},
        {"照合番号Bの照合に失敗しました（イベント値=残り回数）",
          "Collation number B verification failed (event value = tries left)"}},
    {ONSHI_NAMED(ONSHI_E_COLLATION_B_BLOCKED),
        {"照合番号Bがロックされています", "Collation number B is locked"},
        {"顔写真なしで続けてください。解除は市区町村の窓口でできます",
          "Go on without the photo; the municipal office can unlock it"},
        {"照合番号Bの残り回数が0です", "No collation number B tries are left"}},
    {ONSHI_NAMED(ONSHI_E_COLLATION_B_FORMAT),
        {"照合番号Bは数字14桁です", "Collation number B is 14 digits"},
        {"生年月日6桁・有効期限の西暦4桁・セキュリティコード4桁を入力し直してください",
          "Type birth date YYMMDD, expiry year and security code again"},
        {"照合番号Bが YYMMDD + YYYY + 数字4桁の14桁ではありません",
          "Not 14 digits of the form YYMMDD + YYYY + 4 digits"}},
    {ONSHI_NAMED(ONSHI_E_CARD_ERROR),
        {"カードを読み取れませんでした", "The card could not be read"},
        {"カードを置き直して、もう一度押してください", "Put the card back and press again"},
        {"カードから予期しない応答がありました", "The card answered something unexpected"}},
    {ONSHI_NAMED(ONSHI_E_CARD_IN_USE),
        {"カードが他のプログラムで使用中です", "Another program is using the card"},
        {"他のカード用プログラムを閉じてから、もう一度押してください",
          "Close the other card program, then press again"},
        {"他のプロセスがカードを排他的に使用しています", "Another process holds the card exclusively"}},
    {ONSHI_NAMED(ONSHI_E_VISUAL_NOT_AVAILABLE),
        {"スマートフォンでは目視確認はできません", "A visual check is not possible with a smartphone"},
        {"Android は暗証番号で確認するか、マイナンバーカードをお使いください",
          "Check an Android phone with its PIN, or ask for the My Number Card"},
        {"スマートフォンには券面も顔写真もありません（トークン確認の後に終了、暗証番号は求めていません）",
          "A smartphone has no card face and no face photo (ended after the token check; no secret was asked)"}},
    {ONSHI_NAMED(ONSHI_E_MEDIUM_NOT_SUPPORTED),
        {"このスマートフォンのマイナ保険証には対応していません", "This smartphone cannot be checked here"},
        {"マイナンバーカードをお使いいただくか、顔認証付きカードリーダーで受け付けてください",
          "Ask for the My Number Card, or use the face-recognition card reader"},
        {"iPhone の汎用リーダーでの手順は公開されていません（docs/smartphones.md、暗証番号は求めていません）",
          "The iPhone's sequence on a generic reader is not public (docs/smartphones.md); no secret was asked"}},
    {ONSHI_NAMED(ONSHI_E_NETWORK),
        {"資格確認サーバーに接続できません", "Cannot reach the eligibility service"},
        {"資格確認書・保険証で確認し、確認を保留として記録してください。続く場合はIT担当者に連絡してください",
          "Check by the eligibility certificate or insurance card and record the check as pending; "
          "if it goes on, call IT"},
        {"ゲートウェイに接続できないか、接続が切れました", "Cannot reach the gateway, or the connection broke"}},
    {ONSHI_NAMED(ONSHI_E_GATEWAY_TIMEOUT),
        {"資格確認サーバーから応答がありません", "The eligibility service did not answer in time"},
        {"少し待ってもう一度押してください。続く場合は資格確認書・保険証で確認し、確認を保留として記録してください",
          "Wait a moment and press again; if it goes on, check by the eligibility certificate or "
          "insurance card and record the check as pending"},
        {"ゲートウェイが時間内に応答しませんでした", "The gateway did not answer in time"}},
    {ONSHI_NAMED(ONSHI_E_TLS),
        {"資格確認サーバーと安全に通信できません", "No secure connection to the eligibility service"},
        {"IT担当者に連絡してください。その間は資格確認書・保険証で確認してください",
          "Call IT; meanwhile check with the eligibility certificate or insurance card"},
        {"TLSに失敗しました（証明書が信頼できない、ホスト名の不一致、古いプロトコル）",
          "TLS failed: untrusted certificate, wrong host name, old protocol"}},
    {ONSHI_NAMED(ONSHI_E_GATEWAY_ERROR),
        {"資格確認サーバーでエラーが発生しました", "The eligibility service reported an error"},
        {"少し待ってもう一度押してください。続く場合は資格確認書・保険証で確認してください",
          "Wait a moment and press again; if it goes on, check with the eligibility certificate or insurance card"},
        {"ゲートウェイが内部エラーを返しました", "The gateway reported an internal error"}},
    {ONSHI_NAMED(ONSHI_E_GATEWAY_PROTOCOL),
        {"資格確認サーバーの応答を読み取れません", "The eligibility service's answer could not be read"},
        {"もう一度押してください。続く場合はIT担当者に連絡してください", "Press again; if it happens again, call IT"},
        {"ゲートウェイの応答が不正または想定外です", "The gateway's answer was malformed or unexpected"}},
    {ONSHI_NAMED(ONSHI_E_NOT_ENROLLED),
        {"この端末は資格確認に登録されていません", "This computer is not registered for eligibility checks"},
        {"IT担当者に端末の登録を依頼してください", "Ask IT to register this computer"},
        {"端末が登録されていません（onshi_terminal_enroll）", "The terminal is not enrolled (onshi_terminal_enroll)"}},
    {ONSHI_NAMED(ONSHI_E_CERT_REVOKED),
        {"カードの電子証明書が失効しています", "The card's certificate is revoked"},
        {"資格確認書・保険証で確認してください。電子証明書は市区町村の窓口で再発行できます",
          "Check with the eligibility certificate or insurance card; the municipal office reissues the certificate"},
        {"利用者証明用電子証明書が失効しています", "The card's authentication certificate is revoked"}},
    {ONSHI_NAMED(ONSHI_E_CERT_EXPIRED),
        {"カードの電子証明書の有効期限が切れています", "The card's certificate has expired"},
        {"資格確認書・保険証で確認してください。電子証明書は市区町村の窓口で更新できます",
          "Check with the eligibility certificate or insurance card; renew the certificate at the municipal office"},
        {"利用者証明用電子証明書の有効期限切れです", "The card's authentication certificate has expired"}},
    {ONSHI_NAMED(ONSHI_E_REJECTED),
        {"資格確認サーバーが要求を受け付けませんでした", "The eligibility service refused the request"},
        {"パソコンの時計を確かめて、もう一度押してください。続く場合はIT担当者に連絡してください",
          "Check the computer's clock and press again; if it goes on, call IT"},
        {"ゲートウェイで署名・鮮度・再送の検査に失敗しました", "Signature, freshness or replay check failed at the gateway"}},
    {ONSHI_NAMED(ONSHI_E_TERMINAL_LIMIT),
        {"登録できる端末の台数を超えています", "No more computers can be registered"},
        {"IT担当者に連絡してください（古い端末の登録解除か、利用申請の変更）",
          "Call IT (unregister an old computer or change the application)"},
        {"施設が申請した端末台数をすべて使用しています", "The facility already uses every terminal it applied for"}},
    {ONSHI_NAMED(ONSHI_E_SETUP_CREDENTIALS),
        {"ユーザー設定情報が正しくありません", "The setup credentials were not accepted"},
        {"IT担当者に承認通知の内容の確認を依頼してください", "Ask IT to check the approval letter"},
        {"ゲートウェイがセットアップ用の資格情報を受け付けませんでした",
          "The gateway did not accept the setup credentials"}},
    {ONSHI_NAMED(ONSHI_E_ALREADY_ENROLLED),
        {"この端末は既に登録されています", "This computer is already registered"},
        {"そのまま資格確認を使えます", "Nothing to do: checks can be used"},
        {"端末は登録済みです", "The terminal is already enrolled"}},
    {ONSHI_NAMED(ONSHI_E_ELIGIBILITY_ERROR),
        {"資格確認システムが処理できませんでした", "The eligibility system could not process the check"},
        {"少し待ってからもう一度押してください。続く場合は資格確認書・保険証で確認してください",
          "Wait a moment and press again; if it happens again, check with the eligibility certificate or insurance card"},
        {"資格確認結果が未処理を示しています（SegmentOfResult が1以外、または ProcessingResultStatus が1以外。エラーコードと文言は詳細にあります）",
          "The result says it was not processed (SegmentOfResult or ProcessingResultStatus other than 1; its code and text are in the detail)"}},
    {ONSHI_NAMED(ONSHI_E_VALIDATION),
        {"入力内容に誤りがあります", "The input has errors"},
        {"表示された項目を直してください", "Correct the fields shown"},
        {"入力の検証に失敗しました（レポートがすべての誤りを挙げます）",
          "Input failed validation; the report lists every error"}},
    {ONSHI_NAMED(ONSHI_E_CREDENTIAL_STORE),
        {"端末の鍵・証明書を読み書きできません", "This computer's key and certificate cannot be used"},
        {"IT担当者に連絡してください", "Call IT"},
        {"端末の鍵・証明書の保存領域がない、壊れている、または書き込めません",
          "The terminal's key/certificate store is missing, corrupt or unwritable"}},
    {ONSHI_NAMED(ONSHI_E_PARSE),
        {"資格確認結果を読み取れません", "The result file could not be read"},
        {"ファイルを確かめてください。続く場合はIT担当者に連絡してください",
          "Check the file; if it happens again, call IT"},
        {"結果文書を解析できません", "A result document could not be parsed"}},
    {ONSHI_NAMED(ONSHI_E_FACE_EXPORT),
        {"資格確認結果をレセコン連携フォルダーに書き出せませんでした", "The result could not be written to the receipt program's folder"},
        {"資格確認は完了しています。フォルダーの場所・空き容量・書き込み権限をIT担当者に確認してもらってください",
          "The check itself is done; ask IT to check the folder's path, free space and permissions"},
        {"face_export のフォルダーに資格確認結果ファイルを書けませんでした（フォルダーがない、書き込めない、容量不足、Shift_JIS にない文字）",
          "The face_export folder could not take the result file (missing or read-only folder, disk full, a character with no Shift_JIS code)"}},
};
#undef ONSHI_NAMED

constexpr StatusTexts kUnknownSentence{"不明なエラーです", "Unknown error"};
constexpr StatusTexts kUnknownAction{"IT担当者に連絡してください", "Call IT"};
constexpr StatusTexts kUnknownMeaning{"このバージョンが知らないステータスです", "A status this version does not know"};

const StatusEntry *find(onshi_status status) noexcept {
    for (const auto &t : kEntries)
        if (t.status == status) return &t;
    return nullptr;
}

}  // namespace

const char *status_name(onshi_status status) noexcept {
    const StatusEntry *t = find(status);
    return t ? t->name : "ONSHI_E_UNKNOWN";
}

const char *status_message(onshi_status status, const std::string &locale) noexcept {
    const StatusEntry *t = find(status);
    return (t ? t->sentence : kUnknownSentence).in(locale);
}

const char *status_action(onshi_status status, const std::string &locale) noexcept {
    const StatusEntry *t = find(status);
    return (t ? t->action : kUnknownAction).in(locale);
}

const char *status_meaning(onshi_status status, const std::string &locale) noexcept {
    const StatusEntry *t = find(status);
    return (t ? t->meaning : kUnknownMeaning).in(locale);
}

bool status_is_known(onshi_status status) noexcept { return find(status) != nullptr; }

const StatusEntry *status_entries(std::size_t *count) noexcept {
    *count = std::size(kEntries);
    return kEntries;
}

}  // namespace onshi
