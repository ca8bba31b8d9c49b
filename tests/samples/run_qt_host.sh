#!/usr/bin/env bash
# Drives the reference reception screen (samples/qt-host) under Xvfb through every state that the
# integration guide shows, against a sandbox of its own, and saves a screenshot of each state.
#
#   run_qt_host.sh SANDBOX_BIN DIR QT_HOST_BIN LIBRARY
#
# The window runs with --test-driver: it reads commands from a FIFO (click, select, answer, reply,
# shot, labels; samples/qt-host/test_driver.h) and prints its state lines to a log this script
# follows, so that the script acts at the sandbox (take a card away, put another persona on the
# reader, make the gateway hang) exactly when the screen is in the state to show. Checks:
#  - every state is reached, in order: idle with two cards, waiting for the card, the PIN dialog,
#    progress, success (PIN), the 照合番号B dialog, the photo comparison, success (visual), a hung
#    gateway and Cancel, the last-try warning refused (and the card saw no VERIFY with a PIN), a
#    locked PIN and its next step (目視確認), a photo that does not match, a revoked certificate;
#  - what the screen says: the selected reader in the idle prompt, 和暦 dates, 確認番号 and time,
#    how 照合番号B is made up, the next action of every failure, no ONSHI_E_ name anywhere;
#  - Qt's standard buttons in Japanese (キャンセル, はい, いいえ);
#  - the clock repainted while the gateway hung (the GUI thread never blocks);
#  - every screenshot is a PNG under 150 KB.
# The screenshots stay in DIR.screens (outside DIR, which the next run wipes). To refresh the
# guide's pictures: cp DIR.screens/*.png docs/images/qt-host/ (see docs/integration-guide.md).
#
# Without root or without xvfb-run: exit 77.
set -uo pipefail
sandbox=$1 dir=$2 host=$3 library=$4
shots="$dir.screens"
if [ "$(id -u)" -ne 0 ]; then
  echo "needs root for the sandbox's namespaces: skipped"
  exit 77
fi
if ! command -v xvfb-run >/dev/null; then
  echo "xvfb-run not installed (apt-get install xvfb xauth): skipped"
  exit 77
fi
"$sandbox" down --dir "$dir" >/dev/null 2>&1 || true
rm -rf "$dir" "$shots"
mkdir -p "$dir" "$shots"
trap '"$sandbox" down --dir "$dir" >/dev/null 2>&1 || true' EXIT
if ! "$sandbox" up --dir "$dir" --readers 2 --card 0=valid-honnin --card 1=elderly-70; then
  tail -n 30 "$dir/sandbox.log" 2>/dev/null
  exit 1
fi
set -a
# shellcheck disable=SC1091
. "$dir/env"
set +a
r0="Virtual PCD 00 00" r1="Virtual PCD 00 01"

# The screen's configuration: the sandbox's, plus a card wait (staff may press 資格確認 before the
# patient places the card) and a gateway timeout long enough to show a hang and its Cancel.
python3 - "$dir/plugin.json" "$dir/screen.json" <<'PY' || exit 1
import json, sys
config = json.load(open(sys.argv[1]))
config["card_wait_ms"] = 30000
config["gateway"]["timeout_ms"] = 60000
json.dump(config, open(sys.argv[2], "w"))
PY

fifo=$dir/screen.stdin log=$dir/screen.log
mkfifo "$fifo"
# A window manager, when one is installed (openbox), gives the window and its dialogs their title
# bars in the screenshots, as on a desktop; the test passes without one.
QT_QPA_PLATFORM=xcb timeout 280 xvfb-run -a -s "-screen 0 1280x800x24" \
  bash -c 'if command -v openbox >/dev/null; then openbox >/dev/null 2>&1 & sleep 1; fi; exec "$@"' run-screen \
  "$host" --library "$library" --config "$dir/screen.json" --setup "$dir/setup.json" \
          --test-driver "$shots" <"$fifo" >"$log" 2>&1 &
window=$!
exec 3>"$fifo"

fail=0
cursor=0 # lines of the log already matched by wait_for
# Waits (LIMIT seconds, default 30) for a line containing TEXT after the last one matched.
wait_for() {
  local text=$1 limit=${2:-30} n
  for _ in $(seq 1 $((limit * 10))); do
    n=$(tail -n +$((cursor + 1)) "$log" | grep -n -F -m1 -- "$text" | cut -d: -f1)
    if [ -n "$n" ]; then
      cursor=$((cursor + n))
      return 0
    fi
    if tail -n +$((cursor + 1)) "$log" | grep -q '^driver: FAILED'; then
      echo "FAIL: a driver command failed while waiting for '$text'"
      return 1
    fi
    kill -0 "$window" 2>/dev/null || break
    sleep 0.1
  done
  echo "FAIL: the screen did not print '$text'"
  return 1
}
# Waits until some line (anywhere in the log) contains TEXT: the reader list lines, whose order
# against the state lines is not fixed.
wait_seen() {
  for _ in $(seq 1 300); do
    grep -qF -- "$1" "$log" && return 0
    kill -0 "$window" 2>/dev/null || break
    sleep 0.1
  done
  echo "FAIL: the screen never printed '$1'"
  return 1
}
send() { echo "$*" >&3; }
# Sends COMMAND and waits for the driver's line that says it is done.
do_() {
  local done_line=$1
  shift
  send "$@"
  wait_for "$done_line"
}
shot() { do_ "shot: $1 " shot "$1"; }
# Prints the texts shown now; then each PATTERN (grep -E) must match one of them. Texts that come
# from the library (event texts, the failure's message and action) are checked by their place on
# the screen, not by their wording.
expect_labels() {
  local from=$cursor
  do_ "driver: labels done" labels || return 1
  local shown
  shown=$(sed -n "$((from + 1)),${cursor}p" "$log" | grep '^label: ')
  for pattern in "$@"; do
    grep -qE -- "$pattern" <<<"$shown" || { echo "FAIL: nothing on the screen matches /$pattern/"; fail=1; }
  done
  if grep -q 'ONSHI_E_' <<<"$shown"; then echo "FAIL: a raw ONSHI_E_ name is on the screen"; fail=1; fi
}
sb() { "$sandbox" "$@" --dir "$dir" >/dev/null || { echo "FAIL: onshi-sandbox $*"; fail=1; }; }

scenario() {
  # 1. Idle: both readers hold a card, the first is selected, the prompt names it.
  wait_for "state: idle" 60 || return 1
  wait_seen "readers: $r0=card, $r1=card" || return 1
  expect_labels "「$r0」のカードで確認します"
  shot 01-idle

  # 2. Waiting for the card: staff chose reader 0 and pressed 資格確認 before the card was there.
  do_ "driver: selecting" select "$r0" || return 1
  sb remove --slot 0
  wait_seen "readers: $r0=empty" || return 1
  do_ "driver: clicking" click pin || return 1
  wait_for "state: progress waiting_for_card" || return 1
  expect_labels "カードリーダーに置いてください" "「$r0」にカードが置かれると" "▶ .*（[0-9]+秒）"
  shot 02-waiting-for-card

  # 3. The card arrives; the PIN dialog shows the tries left, with Japanese standard buttons.
  sb insert --slot 0 --persona valid-honnin
  wait_for "state: dialog pin 3" || return 1
  expect_labels "暗証番号（数字4桁）" "残り 3 回"
  shot 03-pin-dialog
  # A slow gateway, so that the progress list can be seen.
  sb gateway-fault --mode slow --ms 3000
  do_ "driver: answering" answer 1234 || return 1
  wait_for "state: progress contacting_gateway" || return 1
  expect_labels "(✓ .*){4}▶ .*（[0-9]+秒）"
  shot 04-progress
  wait_for "state: result eligible pin" || return 1
  sb gateway-fault --mode none
  expect_labels "資格あり" "昭和55年2月17日 \(1980-02-17\)" "確認番号: C-" "確認日時: 令和" "暗証番号（マイナンバーカード）"
  shot 05-success

  # 4. 目視確認: the 照合番号B dialog explains the number; staff compare the photo, then the result counts.
  do_ "driver: clicking" click visual || return 1
  wait_for "state: dialog collation_b" || return 1
  expect_labels "照合番号B（数字14桁）" "生年月日 6桁" "有効期限の年 4桁" "セキュリティコード 4桁"
  shot 06-collation-b
  do_ "driver: answering" answer 55021720352285 || return 1
  wait_for "state: photo-compare" || return 1
  expect_labels "顔写真とご本人を見比べてください" "ICチップの顔写真"
  shot 07-photo-compare
  do_ "driver: clicking" click same_person || return 1
  wait_for "state: result eligible visual" || return 1
  expect_labels "資格あり" "顔写真とご本人を照合済み"
  shot 08-success-visual

  # 5. The gateway hangs: the seconds run, a hint appears, 中止 ends the check at once.
  sb gateway-fault --mode timeout
  do_ "driver: clock marked" clock-mark || return 1
  do_ "driver: clicking" click pin || return 1
  wait_for "state: dialog pin" || return 1
  do_ "driver: answering" answer 1234 || return 1
  wait_for "state: progress contacting_gateway" || return 1
  wait_for "state: slow" 20 || return 1
  expect_labels "応答に時間がかかっています" "（[0-9]+秒）"
  shot 09-gateway-hang
  do_ "driver: clock repaints" clock-report || return 1
  local paints
  paints=$(sed -n "${cursor}p" "$log" | grep -oE '[0-9]+$')
  [ "${paints:-0}" -gt 0 ] || { echo "FAIL: the clock did not repaint while the gateway hung"; fail=1; }
  do_ "driver: clicking" click cancel || return 1
  wait_for "state: cancelled" 10 || return 1
  expect_labels "確認を中止しました" "応答を待たずに中止しました"
  shot 10-cancelled
  sb gateway-fault --mode none

  # 6. One PIN try left: the warning (はい / いいえ); the patient says no; 目視確認 is offered.
  sb remove --slot 1
  sb insert --slot 1 --persona last-try
  do_ "driver: selecting" select "$r1" || return 1
  verifies_before=$(grep -c '"slot":1,"c":"00200080\*"' "$dir/apdu.jsonl" || true)
  do_ "driver: clicking" click pin || return 1
  wait_for "state: last-try-warning" || return 1
  expect_labels "暗証番号の入力は、あと1回です"
  shot 11-last-try-warning
  do_ "driver: replying no" reply no || return 1
  wait_for "state: refused-last-try" || return 1
  expect_labels "暗証番号は入力しませんでした" "カードはロックされていません" "目視確認（顔写真）で資格確認を続けてください"
  shot 12-last-try-refused
  verifies_after=$(grep -c '"slot":1,"c":"00200080\*"' "$dir/apdu.jsonl" || true)
  [ "$verifies_after" -eq "$verifies_before" ] \
    || { echo "FAIL: the last-try card got a VERIFY with a PIN after the patient said no"; fail=1; }

  # 7. A locked PIN: the failure says what to do next, and 目視確認 is one click away; here the
  #    photo does not match the person at the counter.
  sb remove --slot 1
  sb insert --slot 1 --persona blocked-pin
  do_ "driver: clicking" click pin || return 1
  wait_for "state: failed ONSHI_E_PIN_BLOCKED" || return 1
  expect_labels "確認できませんでした" "次の対応</b><br>." "システム担当者向けの詳細（コード 107）"
  shot 13-pin-blocked
  do_ "driver: clicking" click next_visual || return 1
  wait_for "state: dialog collation_b" || return 1
  do_ "driver: answering" answer 60080820331357 || return 1
  wait_for "state: photo-compare" || return 1
  do_ "driver: clicking" click other_person || return 1
  wait_for "state: photo-mismatch" || return 1
  expect_labels "ご本人と確認できませんでした" "この資格確認の結果は使いません"
  shot 14-photo-mismatch

  # 8. A revoked certificate: a long message, wrapped, with its next action.
  sb remove --slot 1
  sb insert --slot 1 --persona revoked-cert
  do_ "driver: clicking" click pin || return 1
  wait_for "state: dialog pin" || return 1
  do_ "driver: answering" answer 9012 || return 1
  wait_for "state: failed ONSHI_E_CERT_REVOKED" || return 1
  expect_labels "確認できませんでした" "次の対応</b><br>." "システム担当者向けの詳細（コード 206）"
  shot 15-failure
}

scenario || fail=1
send quit
exec 3>&-
wait "$window"
rc=$?
cat "$log"
[ $rc -eq 0 ] || { echo "FAIL: onshi-qt-host exited with $rc"; fail=1; }
grep -q '^driver: FAILED' "$log" && { echo "FAIL: a driver command failed"; fail=1; }
grep -qx 'driver: dialog buttons OK | キャンセル' "$log" \
  || { echo "FAIL: the PIN dialog's buttons are not in Japanese (qtbase_ja.qm)"; fail=1; }
grep -qE '^driver: message box buttons はい.* \| いいえ' "$log" \
  || { echo "FAIL: the last-try warning's buttons are not はい / いいえ"; fail=1; }
shots_taken=0
for png in "$shots"/*.png; do
  [ -e "$png" ] || continue
  shots_taken=$((shots_taken + 1))
  size=$(stat -c %s "$png")
  [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || { echo "FAIL: $png is not a PNG"; fail=1; }
  [ "$size" -gt 10000 ] && [ "$size" -lt 153600 ] || { echo "FAIL: $png is $size bytes (want 10 KB..150 KB)"; fail=1; }
done
[ "$shots_taken" -eq 15 ] || { echo "FAIL: $shots_taken screenshots, want 15"; fail=1; }
echo "screenshots: $shots ($shots_taken)"
exit $fail
