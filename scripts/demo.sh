#!/usr/bin/env bash
# The main job, end to end on this machine: a sample host (host SDK) loads libonshi, which talks
# PC/SC to a private pcscd where the sandbox has put virtual My Number Cards. Installs what is
# missing and builds first (quietly). Needs root for the sandbox's namespaces.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$ONSHI_ROOT"

ensure_packages
configure_and_build default onshi onshi-sandbox onshi-cpp-host

bin=$ONSHI_ROOT/build/bin
dir=$ONSHI_ROOT/build/demo
sandbox() { "$bin/onshi-sandbox" "$@"; }
trap 'sandbox down --dir "$dir" >/dev/null 2>&1 || true' EXIT

sandbox down --dir "$dir" >/dev/null 2>&1 || true
run_quiet sandbox-up sandbox up --dir "$dir" --readers 2 --card 0=valid-honnin --card 1=elderly-70
# libpcsclite finds the private pcscd through this variable (read once per process).
set -a; source "$dir/env"; set +a

pin_of() { sandbox personas | awk -v p="$1" '$1 == p { print $2 }'; }
host() { "$bin/onshi-cpp-host" --library "$ONSHI_ROOT/build/lib/libonshi.so.1" "$@" 2>&1 || true; }

echo "== onshi demo: sample host -> libonshi -> PC/SC -> virtual My Number Cards (sandbox in $dir)"
echo
echo "-- 1. PIN check (暗証番号) on 'Virtual PCD 00 00', persona valid-honnin"
pin_of valid-honnin | host --reader "Virtual PCD 00 00" --pin-stdin
echo
echo "-- 2. Visual check (目視確認) on 'Virtual PCD 00 01', persona elderly-70"
host --reader "Virtual PCD 00 01" --visual
echo
echo "APDUs the cards saw: $(wc -l < "$dir/apdu.jsonl") (journal: $dir/apdu.jsonl, VERIFY data masked)"
echo "The eligibility gateway lands with the gateway issue; until then each check ends after the"
echo "card phase with ONSHI_E_NOT_SUPPORTED, saying how far it got."
