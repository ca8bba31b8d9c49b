#!/usr/bin/env bash
# Runs one sample host against a sandbox of its own and checks what it printed.
#
#   run_with_sandbox.sh SANDBOX_BIN DIR -- COMMAND [ARG...]
#
# DIR is wiped first (a fresh gateway, so a fresh terminal registration every run). "@DIR@" in an
# argument becomes DIR. Slot 0 holds valid-honnin (PIN 1234, fed to the host on stdin), slot 1
# elderly-70. The host must register the terminal, run the PIN check (callback style) and the
# visual check (poll style; the .NET host awaits it instead: "[async]"), and print both verdicts
# and insurer numbers (without the fixed-width padding: elderly-70's "  138057" shows as 138057).
# Without root: exit 77.
set -uo pipefail
sandbox=$1 dir=$2
shift 2
[ "${1:-}" = -- ] && shift
if [ "$(id -u)" -ne 0 ]; then
  echo "needs root for the sandbox's namespaces: skipped"
  exit 77
fi
"$sandbox" down --dir "$dir" >/dev/null 2>&1 || true
rm -rf "$dir"
mkdir -p "$dir"
trap '"$sandbox" down --dir "$dir" >/dev/null 2>&1 || true' EXIT
if ! "$sandbox" up --dir "$dir" --readers 2 --card 0=valid-honnin --card 1=elderly-70; then
  tail -n 30 "$dir/sandbox.log" 2>/dev/null
  exit 1
fi
# libpcsclite finds the sandbox's private pcscd through PCSCLITE_CSOCK_NAME.
set -a
# shellcheck disable=SC1091
. "$dir/env"
set +a

args=()
for a in "$@"; do args+=("${a//@DIR@/$dir}"); done
out=$(echo 1234 | timeout 120 "${args[@]}" 2>&1)
rc=$?
echo "$out"
if [ $rc -ne 0 ]; then
  echo "FAIL: the host exited with $rc"
  exit 1
fi
fail=0
for pattern in \
    "端末登録: (完了|登録済み)" \
    "PIN needed, 3 tries left" \
    "^  verdict: eligible$" \
    "^  InsurerNumber: 06130488$" \
    "^  InsurerNumber: 138057$" \
    "\[(poll|async)\]"; do
  grep -qE -- "$pattern" <<<"$out" || { echo "FAIL: no line matches /$pattern/"; fail=1; }
done
[ "$(grep -cE '^  verdict: eligible$' <<<"$out")" -eq 2 ] || { echo "FAIL: expected two eligible verdicts"; fail=1; }
exit $fail
