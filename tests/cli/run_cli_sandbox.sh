#!/usr/bin/env bash
# onshi-check against a sandbox of its own, for what needs real readers:
#   1. a --reader that does not exist: ONSHI_E_NO_READER, and the readers that do exist are listed;
#   2. the sandbox's configuration without PCSCLITE_CSOCK_NAME: the system's pcscd is asked (absent,
#      or without the sandbox's cards), and onshi-check says how to set the variable from DIR/env;
#   3. with "locale": "en", English: a wrong PIN's sentence, tries left, next action and detail,
#      then the right PIN's summary labels;
#   4. --diagnose: the reader diagnosis as lines (Japanese) and as JSON, no try spent.
#   5. --face-export DIR: the check's result lands in DIR as a face-folder file, named on stderr;
#      a folder that is not there fails the export, not the check's summary.
#   run_cli_sandbox.sh SANDBOX_BIN ONSHI_CHECK DIR
# Without root: exit 77 (skipped).
set -uo pipefail
sandbox=$1 check=$2 dir=$3
if [ "$(id -u)" -ne 0 ]; then
  echo "needs root for the sandbox's namespaces: skipped"
  exit 77
fi
"$sandbox" down --dir "$dir" >/dev/null 2>&1 || true
rm -rf "$dir"
mkdir -p "$dir"
trap '"$sandbox" down --dir "$dir" >/dev/null 2>&1 || true' EXIT
if ! "$sandbox" up --dir "$dir" --readers 2 --card 0=valid-honnin; then
  tail -n 30 "$dir/sandbox.log" 2>/dev/null
  exit 1
fi
socket=$(sed -n 's/^PCSCLITE_CSOCK_NAME=//p' "$dir/env")
fail=0
# expect NAME RC PATTERN... -- COMMAND...: runs COMMAND, checks its exit status and that its
# output (stdout and stderr) matches every PATTERN (extended regex).
expect() {
  local name=$1 rc=$2; shift 2
  local patterns=()
  while [ "$1" != -- ]; do patterns+=("$1"); shift; done
  shift
  local out status
  out=$("$@" 2>&1 </dev/null)
  status=$?
  echo "== $name (exit $status)"
  echo "$out"
  [ "$status" -eq "$rc" ] || { echo "FAIL: $name: exit status $status, expected $rc"; fail=1; }
  for p in "${patterns[@]}"; do
    grep -qE -- "$p" <<<"$out" || { echo "FAIL: $name: no line matches /$p/"; fail=1; }
  done
}
with_socket() { env PCSCLITE_CSOCK_NAME="$socket" "$check" --config "$dir/plugin.json" "$@"; }

expect register 0 "端末を登録しました" -- with_socket --register --setup "$dir/setup.json"
expect no_reader 1 "ONSHI_E_NO_READER" '^  "Virtual PCD 00 00"  \(カードあり / card present\)$' '^  "Virtual PCD 00 01"$' \
  -- with_socket --pin-stdin --reader "Virtual PCD 09 09"
# The hint names DIR/env and the command that sets the variable.
expect hint 1 "PCSCLITE_CSOCK_NAME is not set" "set -a; \. $dir/env; set \+a" \
  -- env -u PCSCLITE_CSOCK_NAME "$check" --config "$dir/plugin.json" --pin-stdin --reader "Virtual PCD 00 00"
# With the variable set there is nothing to hint at.
out=$(with_socket --readers 2>&1)
grep -q "hint" <<<"$out" && { echo "FAIL: a hint although PCSCLITE_CSOCK_NAME is set: $out"; fail=1; }
grep -q "Virtual PCD 00 00" <<<"$out" || { echo "FAIL: --readers does not list the sandbox's readers: $out"; fail=1; }
# "locale": "en" is English through and through (the library's texts and onshi-check's own).
jq '.locale = "en"' "$dir/plugin.json" >"$dir/plugin-en.json"
pin=$("$sandbox" personas --json | jq -r '.personas[] | select(.id == "valid-honnin") | .pin')
wrong=$([ "$pin" = 0000 ] && echo 1111 || echo 0000)
in_english() { env PCSCLITE_CSOCK_NAME="$socket" "$check" --config "$dir/plugin-en.json" "$@"; }
expect english_wrong_pin 1 "ONSHI_E_PIN_INCORRECT \(106\): The PIN is incorrect \[2 tries left\]$" \
  "^  next: Ask the patient to enter it again" "^  detail: VERIFY of the PIN" \
  -- bash -c "$(declare -f in_english); socket='$socket' check='$check' dir='$dir'; echo $wrong | in_english --pin-stdin"
expect english_check 0 "^Verdict: eligible \(eligible\)$" "^  Insurer number: " \
  -- bash -c "$(declare -f in_english); socket='$socket' check='$check' dir='$dir'; echo $pin | in_english --pin-stdin"
# The diagnosis spends nothing: after the wrong PIN above the card still has 3 tries (the right
# PIN reset the counter), in both forms of the report.
expect diagnose 0 "^リーダー診断" "^  reader: Virtual PCD 00 00$" "^  medium: card$" "^  暗証番号の残り回数 \(PIN tries\): 3$" \
  "^  extended_length: supported" "個人情報を含みません" -- with_socket --diagnose --reader "Virtual PCD 00 00"
expect diagnose_json 0 '^\{"diagnosis":\{"version":1,' '"tries_left":3' -- with_socket --diagnose --json
expect diagnose_usage 2 "only one action" -- "$check" --diagnose --readers
# --face-export: the file is named, exists, and is Shift_JIS by default (or UTF-8 on request).
mkdir -p "$dir/face"
expect face_export 0 "^Verdict: eligible" "^Written to the face folder: OQSsiquc01res_face_onshi[0-9]{6}_[0-9]{14}\.xml$" \
  -- bash -c "$(declare -f in_english); socket='$socket' check='$check' dir='$dir'; echo $pin | in_english --pin-stdin --face-export '$dir/face'"
file=$(ls "$dir/face" | head -n 1)
head -c 60 "$dir/face/$file" | grep -q 'encoding="Shift_JIS"' || { echo "FAIL: $file is not declared Shift_JIS"; fail=1; }
expect face_export_utf8 0 'Written to the face folder' \
  -- bash -c "$(declare -f in_english); socket='$socket' check='$check' dir='$dir'; echo $pin | in_english --pin-stdin --face-export '$dir/face' --encoding utf-8"
[ "$(ls "$dir/face" | wc -l)" -eq 2 ] || { echo "FAIL: expected two face files"; fail=1; }
expect face_export_missing_folder 1 "^Verdict: eligible" "face export failed: .*no-such-folder" \
  -- bash -c "$(declare -f in_english); socket='$socket' check='$check' dir='$dir'; echo $pin | in_english --pin-stdin --face-export '$dir/no-such-folder'"
expect face_export_usage 2 "--face-export goes with --pin-stdin or --visual" -- "$check" --readers --face-export "$dir/face"
exit $fail
