#!/usr/bin/env bash
# Runs samples/qt-host under Xvfb against a sandbox of its own: the window enrolls the terminal,
# clicks its own 資格確認 button (PIN 1234 from stdin), then 目視確認 (照合番号B from stdin, face
# photo), and saves a screenshot.
#
#   run_qt_host.sh SANDBOX_BIN DIR QT_HOST_BIN LIBRARY
#
# Checks: both verdicts eligible, the clock repainted while the checks ran (the GUI thread never
# blocked), the screenshot is a real PNG of a plausible size. The PNG stays at DIR/../qt-host.png
# (outside DIR, which the next run wipes). Without root or without xvfb-run: exit 77.
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
exit $fail
