#!/usr/bin/env bash
# Scans what a test run left behind for the sandbox personas' secrets and personal data
# (issue 7.5, docs/security.md):
#   scripts/scan-logs.sh BUILD_DIR LOG_DIR [MORE_OUTPUT...]
# LOG_DIR is the ONSHI_DEBUG_LOG_DIR the run used: onshi's own logs and every error message it
# handed to a host; nothing of any persona may appear there. BUILD_DIR/Testing/Temporary/LastTest.log
# (what every test printed, incl. sample hosts and onshi-check) and MORE_OUTPUT files are scanned for
# what nobody may ever print (PIN, 署名用パスワード, 照合番号B, セキュリティコード, 個人番号).
# The values come from BUILD_DIR/bin/onshi-sandbox personas --secrets; the matching rule is in
# tests/secrets/scan_logs.py. Exit 1 with every finding listed, 0 when clean.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR LOG_DIR [MORE_OUTPUT...]" >&2; exit 2; }
build=$1 logs=$2
shift 2
[ -d "$logs" ] || { echo "scan-logs: no log directory $logs (was the suite run with ONSHI_DEBUG_LOG_DIR?)" >&2; exit 2; }
# An empty log directory would prove nothing: the suite must have logged.
[ -n "$(find "$logs" -type f -size +0 -print -quit)" ] || { echo "scan-logs: $logs holds no log" >&2; exit 1; }
secrets=$(mktemp)
trap 'rm -f "$secrets"' EXIT
"$build/bin/onshi-sandbox" personas --secrets >"$secrets"
args=(--secrets "$secrets" --logs "$logs")
# What the suite's checks must have logged, or the clean verdict would be about empty logs: a VERIFY
# with its secret hidden, a check's gateway request, a failed job's message, an ABI error message.
args+=(--expect ' debug card: apdu 00 20 00 80, 9 bytes \(secret not shown\) -> 9000'
       --expect ' debug gateway: gateway: confirmation: POST /v1/confirmations -> curl 0, HTTP 200'
       --expect ' debug job: job [0-9]+ failed: '
       --expect ' debug api: ONSHI_E_[A-Z_]+: '
       --expect '^\{"diagnosis":\{"version":1,')
# The reader diagnosis suite (tests/integration/diagnosis) adds its reports to LOG_DIR
# (diagnosis-reports.jsonl): a report goes into support tickets, so it is held to the rules of
# onshi's own logs (no name, birth date, address, insurance number or secret at all).
last="$build/Testing/Temporary/LastTest.log"
[ -f "$last" ] && args+=(--output "$last")
for f in "$@"; do args+=(--output "$f"); done
exec python3 "$root/tests/secrets/scan_logs.py" "${args[@]}"
