#!/usr/bin/env bash
# The main job, end to end on this machine: a sample host (onshi-check, over the host SDK) loads
# libonshi, which reads virtual My Number Cards through a private pcscd and asks the sandbox's
# reference gateway over mutual TLS. Installs what is missing and builds first (quietly). Needs
# root for the sandbox's namespaces.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$ONSHI_ROOT"

ensure_packages demo
configure_and_build default onshi onshi-sandbox onshi-check

bin=$ONSHI_ROOT/build/bin
dir=$ONSHI_ROOT/build/demo
sandbox() { "$bin/onshi-sandbox" "$@"; }
trap 'sandbox down --dir "$dir" >/dev/null 2>&1 || true' EXIT

sandbox down --dir "$dir" >/dev/null 2>&1 || true
rm -rf "$dir/terminal"   # a fresh terminal registration each run
run_quiet sandbox-up sandbox up --dir "$dir" --readers 2 --card 0=valid-honnin --card 1=elderly-70
# libpcsclite finds the private pcscd through this variable (read once per process).
set -a; source "$dir/env"; set +a

persona() { sandbox personas | awk -v p="$1" -v col="$2" '$1 == p { print $col }'; }
check() { "$bin/onshi-check" --library "$ONSHI_ROOT/build/lib/libonshi.so.1" --config "$dir/plugin.json" "$@" 2>&1 || true; }

echo "== onshi demo: onshi-check -> libonshi -> PC/SC (virtual My Number Cards) + gateway (mutual TLS)"
echo "   sandbox: $dir"
echo
echo "-- 0. 端末登録 (terminal enrollment with the facility's setup credentials)"
check --register --setup "$dir/setup.json"
echo
echo "-- 1. 資格確認 with the PIN: 'Virtual PCD 00 00', persona valid-honnin (本人)"
persona valid-honnin 2 | check --reader "Virtual PCD 00 00" --pin-stdin
echo
echo "-- 2. 目視確認 with the chip's face photo: 'Virtual PCD 00 01', persona elderly-70 (高齢受給者)"
persona elderly-70 3 | check --reader "Virtual PCD 00 01" --visual --photo "$dir/face.png" --collation-b-stdin
echo
echo "face photo from the IC chip: $dir/face.png"
echo "APDUs the cards saw: $(wc -l < "$dir/apdu.jsonl") (journal: $dir/apdu.jsonl, VERIFY data masked)"
