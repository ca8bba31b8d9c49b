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
abidw --headers-dir abi/include/onshi --drop-private-types --drop-undefined-syms --no-corpus-path --out-file abi/baseline/libonshi.abi build/lib/libonshi.so
echo "abi/baseline/libonshi.abi updated; commit it with a message that says why"
