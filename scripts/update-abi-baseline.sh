#!/usr/bin/env bash
# Regenerates abi/baseline/libonshi.abi from the default build. Run it only on purpose: when an
# addition is released (the baseline then guards it too) or, with a new SONAME major, after an
# incompatible change.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$ONSHI_ROOT"
ensure_packages
configure_and_build default onshi
mkdir -p abi/baseline
# The baseline holds the exported interface and nothing of the machine that wrote it: no corpus
# path, no compilation directory, no source locations (they named the build tree and the
# compiler's headers), and only what the exported functions reach (--exported-interfaces-only:
# about 25 KB instead of megabytes of internal types that abidiff never compares).
abidw --headers-dir abi/include/onshi --drop-private-types --drop-undefined-syms \
  --exported-interfaces-only --no-corpus-path --no-comp-dir-path --no-show-locs \
  --out-file abi/baseline/libonshi.abi build/lib/libonshi.so
if grep -nE "(path|dir)='/" abi/baseline/libonshi.abi; then
  echo "abi/baseline/libonshi.abi still names absolute paths (above)" >&2
  exit 1
fi
echo "abi/baseline/libonshi.abi updated; commit it with a message that says why"
