#!/bin/sh
# abidiff the built library against the committed baseline, looking only at types of the public
# header. Additions are ignored (--no-added-syms); any other difference (a removed function, a
# changed parameter or struct) fails: abidiff flags type changes as "ABI change" (bit 4) rather
# than "incompatible" (bit 8), so both bits fail here.
# To accept a deliberate change, regenerate the baseline with scripts/update-abi-baseline.sh.
set -u
lib=$1 headers=$2 baseline=$3
abidiff --no-added-syms --headers-dir1 "$headers" --headers-dir2 "$headers" "$baseline" "$lib"
rc=$?
if [ $((rc & 3)) -ne 0 ]; then
  echo "abidiff could not compare (status $rc)"; exit 1
fi
if [ $((rc & 12)) -ne 0 ]; then
  echo "ABI CHANGE against $baseline: only additions are allowed"; exit 1
fi
echo "no change to the existing ABI"
