#!/usr/bin/env bash
# The log scan can fail: every kind of persona value planted in a log is reported (in every format
# the scanner claims to cover), values nobody may print are reported in test output too, personal
# data in test output is not (hosts print their results), and near misses (a PIN inside a longer
# number or a timestamp) are not reported.
#   scanner_test.sh ONSHI_SANDBOX SOURCE_DIR WORK_DIR
set -euo pipefail
sandbox=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work/logs"
scan() { python3 "$src/tests/secrets/scan_logs.py" --secrets "$work/secrets.json" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
"$sandbox" personas --secrets >"$work/secrets.json"

# The values come from the sandbox's own catalogue; this test reads them from there too.
value() {  # value PERSONA KIND
  python3 -c 'import json,sys; print(next(s["value"] for s in json.load(open(sys.argv[1]))["secrets"] if s["persona"]==sys.argv[2] and s["kind"]==sys.argv[3]))' \
    "$work/secrets.json" "$1" "$2"
}
pin=$(value valid-honnin pin)
pin2=$(value elderly-70 pin)
b=$(value valid-kazoku collation_number_b)
name=$(value elderly-70 name)
kana=$(value koki-39 name_kana)
birth=$(value limit-cert birth_date)
insurer=$(value revoked-cert insurer_number)
symbol=$(value lost-qualification insured_card_symbol)
number=$(value lost-qualification insured_identification_number)
individual=$(value cert-expired individual_number)
[ -n "$pin" ] && [ -n "$b" ] && [ -n "$name" ] && [ -n "$birth" ] || fail "the sandbox printed no secrets"

# 1. A clean log, full of near misses, is clean.
cat >"$work/logs/clean.log" <<LOG
2026-11-24T12:34:56.789Z debug card: apdu 00 20 00 80, 9 bytes (secret not shown) -> 63C2, 0 bytes
2026-11-24T12:34:56.790Z debug job: job 1${pin}5 failed: ONSHI_E_PIN_INCORRECT
2026-11-24T12:34:56.791Z debug gateway: confirmation: POST /v1/confirmations -> curl 0, HTTP 200, 9${pin} bytes sent
2026-11-24T12:34:56.792Z debug api: x${b}9 and 0${insurer}
2026-11-24T12:34:56.793Z debug job: job ${pin} started; tel 082-555-${pin}; https://127.0.0.1:${pin}/v1; v1.${pin}
2026-11-24T12:34:56.794Z debug gateway: ${pin} bytes received after ${pin} milliseconds (${pin} ms)
LOG
out=$(scan --logs "$work/logs") || fail "near misses were reported: $out"
echo "$out" | grep -q "scan-logs: clean" || fail "no verdict: $out"

# An expected kind of line that the logs lack fails the scan (clean but empty logs prove nothing).
scan --logs "$work/logs" --expect ' debug card: apdu ' >/dev/null || fail "an expected line present was reported missing"
if out=$(scan --logs "$work/logs" --expect ' debug gateway: never logged' 2>/dev/null); then fail "a missing expected line passed"; fi
echo "$out" | grep -q "MISSING in the logs" || fail "no MISSING report: $out"

# 2. Each planted value is reported, with the persona and kind.
plant() {  # plant KIND PERSONA LINE
  printf '2026-11-24T12:34:56.789Z debug job: %s\n' "$3" >"$work/logs/planted.log"
  if out=$(scan --logs "$work/logs" 2>/dev/null); then fail "planted $1 of $2 was not found: $3"; fi
  echo "$out" | grep -q "LEAK .*planted.log:1: $1 of $2" || fail "wrong report for $1 of $2: $out"
}
plant pin valid-honnin "verify with PIN ${pin} failed"
plant pin valid-honnin "pin=${pin}"
plant pin valid-honnin "job 7: PIN ${pin}."
plant collation_number_b valid-kazoku "照合番号B ${b}"
plant name elderly-70 "patient ${name} checked"
plant name elderly-70 "patient ${name//　/ } checked"
plant name elderly-70 "patient ${name//　/} checked"
plant name_kana koki-39 "kana ${kana}"
plant birth_date limit-cert "born ${birth}"
plant birth_date limit-cert "born ${birth:0:4}-${birth:4:2}-${birth:6:2}"
plant birth_date limit-cert "born ${birth:0:4}年$((10#${birth:4:2}))月$((10#${birth:6:2}))日"
plant insurer_number revoked-cert "insurer ${insurer}"
plant insured_card_symbol_number lost-qualification "記号・番号 ${symbol}・${number}"
plant individual_number cert-expired "number ${individual}"
# The 和暦 form of the birth date (the key inside 照合番号B): the first six digits of 照合番号B.
plant birth_date valid-kazoku "era date ${b:0:6} only"
rm "$work/logs/planted.log"

# 3. Test output: a host printing its result (name, insurer) is fine, a PIN is not.
printf 'onshi-check: 氏名: %s\n保険者番号: %s\n' "$name" "$insurer" >"$work/output.log"
scan --logs "$work/logs" --output "$work/output.log" >/dev/null || fail "a printed result was reported as a leak"
printf 'request pin %s\n' "$pin2" >>"$work/output.log"
if out=$(scan --logs "$work/logs" --output "$work/output.log" 2>/dev/null); then fail "a PIN in test output was not found"; fi
echo "$out" | grep -q "LEAK .*output.log:3: pin of elderly-70" || fail "wrong report: $out"

# 4. The wrapper refuses to prove anything from an empty log directory.
mkdir -p "$work/empty"
if "$src/scripts/scan-logs.sh" "$(dirname "$(dirname "$sandbox")")" "$work/empty" 2>/dev/null; then
  fail "an empty log directory passed the scan"
fi
echo "scanner test passed"
