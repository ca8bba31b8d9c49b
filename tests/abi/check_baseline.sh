#!/bin/sh
# abidiff the built library against the committed baseline, looking only at types of the public
# header. An incompatible change (bit 8 of abidiff's status) fails; an addition (bit 4) passes.
# To accept a deliberate change, regenerate the baseline with scripts/update-abi-baseline.sh.
set -u
lib=$1 headers=$2 baseline=$3
abidiff --headers-dir1 "$headers" --headers-dir2 "$headers" "$baseline" "$lib"
rc=$?
if [ $((rc & 1)) -ne 0 ] || [ $((rc & 2)) -ne 0 ]; then
  echo "abidiff could not compare (status $rc)"; exit 1
fi
if [ $((rc & 8)) -ne 0 ]; then
  echo "INCOMPATIBLE ABI CHANGE against $baseline"; exit 1
fi
[ $((rc & 4)) -ne 0 ] && echo "compatible ABI additions (update the baseline when releasing)"
exit 0
