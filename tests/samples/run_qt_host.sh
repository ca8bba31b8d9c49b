#!/usr/bin/env bash
# Runs samples/qt-host under Xvfb against a sandbox of its own, twice.
#  1. The window enrolls the terminal, clicks its own 資格確認 button (PIN 1234 from stdin), then
#     目視確認 (照合番号B from stdin, face photo), and saves a screenshot. Checks: both verdicts
#     eligible, the clock repainted while the checks ran (the GUI thread never blocked), the
#     screenshot is a real PNG of a plausible size. The PNG stays at DIR.png (outside DIR, which
#     the next run wipes).
#  2. With the window open, the card on reader 1 is taken away and a card with one PIN try left is
#     put there; the window must show both changes, and its check must stop at the last-try
#     warning: the patient says no, the job ends cancelled and the card saw no VERIFY with a PIN.
#
#   run_qt_host.sh SANDBOX_BIN DIR QT_HOST_BIN LIBRARY
#
# Without root or without xvfb-run: exit 77.
set -uo pipefail
sandbox=$1 dir=$2 host=$3 library=$4
shot="$dir.png"
if [ "$(id -u)" -ne 0 ]; then
  echo "needs root for the sandbox's namespaces: skipped"
  exit 77
fi
if ! command -v xvfb-run >/dev/null; then
  echo "xvfb-run not installed (apt-get install xvfb xauth): skipped"
  exit 77
fi
"$sandbox" down --dir "$dir" >/dev/null 2>&1 || true
rm -rf "$dir" "$shot"
mkdir -p "$dir"
trap '"$sandbox" down --dir "$dir" >/dev/null 2>&1 || true' EXIT
if ! "$sandbox" up --dir "$dir" --readers 2 --card 0=valid-honnin --card 1=elderly-70; then
  tail -n 30 "$dir/sandbox.log" 2>/dev/null
  exit 1
fi
set -a
# shellcheck disable=SC1091
. "$dir/env"
set +a

# valid-honnin: PIN 1234, 照合番号B 55021720352285 (samples/sandbox/README.md).
out=$(printf '1234\n55021720352285\n' | QT_QPA_PLATFORM=xcb timeout 150 \
      xvfb-run -a -s "-screen 0 1280x800x24" \
      "$host" --library "$library" --config "$dir/plugin.json" --setup "$dir/setup.json" \
              --reader "Virtual PCD 00 00" --autotest-visual --pin-stdin --screenshot "$shot" 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || { echo "FAIL: onshi-qt-host exited with $rc"; exit 1; }
fail=0
[ "$(grep -cx 'verdict: eligible' <<<"$out")" -eq 2 ] || { echo "FAIL: expected two eligible verdicts"; fail=1; }
grep -qx 'autotest: ok' <<<"$out" || { echo "FAIL: no 'autotest: ok'"; fail=1; }
if grep -E '^clock during the check: [0-9]+ ticks, 0 repaints$' <<<"$out"; then
  echo "FAIL: the clock did not repaint while a check ran"; fail=1
fi
size=$(stat -c %s "$shot" 2>/dev/null || echo 0)
[ "$size" -gt 20000 ] || { echo "FAIL: screenshot $shot missing or too small ($size bytes)"; fail=1; }
[ "$(head -c 8 "$shot" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || { echo "FAIL: $shot is not a PNG"; fail=1; }
echo "screenshot: $shot ($size bytes)"

# 2. The card swap and the refused last try. The window reads its answers from a FIFO and writes
# to a log the script follows, so that the script can act at the sandbox when the window asks.
fifo=$dir/qt-host.stdin log=$dir/qt-host-swap.log
mkfifo "$fifo"
QT_QPA_PLATFORM=xcb timeout 150 xvfb-run -a -s "-screen 0 1280x800x24" \
  "$host" --library "$library" --config "$dir/plugin.json" --reader "Virtual PCD 00 01" \
          --autotest-card-swap --autotest-expect cancelled --pin-stdin <"$fifo" >"$log" 2>&1 &
window=$!
exec 3>"$fifo"
echo no >&3  # the patient's answer to the last-try warning
# Waits (30 s at most) until the window has printed a line with TEXT.
wait_for() {
  for _ in $(seq 1 150); do
    grep -qF -- "$1" "$log" && return 0
    kill -0 "$window" 2>/dev/null || break
    sleep 0.2
  done
  echo "FAIL: the window did not print '$1'"
  return 1
}
verifies_before=$(grep -c '"slot":1,"c":"00200080\*"' "$dir/apdu.jsonl" || true)
if wait_for "autotest: take the card from Virtual PCD 00 01"; then
  "$sandbox" remove --dir "$dir" --slot 1 || echo "FAIL: sandbox remove"
  if wait_for "Virtual PCD 00 01=empty" && wait_for "autotest: put the card back"; then
    "$sandbox" insert --dir "$dir" --slot 1 --persona last-try || echo "FAIL: sandbox insert"
  fi
fi
exec 3>&-
wait "$window"
rc=$?
cat "$log"
[ $rc -eq 0 ] || { echo "FAIL: the swap run of onshi-qt-host exited with $rc"; fail=1; }
grep -q '^readers: .*Virtual PCD 00 01=empty' "$log" || { echo "FAIL: the window never showed reader 1 empty"; fail=1; }
[ "$(grep -c '^readers: .*Virtual PCD 00 01=card' "$log")" -ge 2 ] \
  || { echo "FAIL: the window did not show the card before and after the swap"; fail=1; }
grep -qx 'last-try warning: no' "$log" || { echo "FAIL: no last-try warning was answered"; fail=1; }
grep -qx 'verdict: cancelled' "$log" || { echo "FAIL: the refused last try did not end the job cancelled"; fail=1; }
verifies_after=$(grep -c '"slot":1,"c":"00200080\*"' "$dir/apdu.jsonl" || true)
[ "$verifies_after" -eq "$verifies_before" ] \
  || { echo "FAIL: the card on reader 1 got a VERIFY with a PIN after the patient said no"; fail=1; }
exit $fail
