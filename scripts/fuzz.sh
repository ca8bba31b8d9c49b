#!/usr/bin/env bash
# Fuzz smoke run: builds the libFuzzer targets (preset 'fuzz': clang-14 + ASan/UBSan, build/fuzz)
# and runs each one for a bounded time, two at a time (one per core), starting from its seed
# corpus in tests/fuzz/corpus/<target>. New inputs go to build/fuzz/corpus (never into the repo);
# a crash, leak or UB report leaves its input in build/fuzz/artifacts/<target>/ and fails the run:
# minimise it, commit it to tests/fuzz/regressions/<target>/ and fix the code (tests/fuzz/README.md).
# Prints fuzz.<target>.execs=N (and the total) from libFuzzer's final stats.
#   scripts/fuzz.sh [seconds per target, default 20]
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$ONSHI_ROOT"

seconds=${1:-20}
jobs=${ONSHI_FUZZ_JOBS:-2}
tree=build/fuzz

ensure_packages
start=$SECONDS
configure_and_build fuzz onshi_fuzzers
built=$SECONDS

mkdir -p "$ONSHI_LOGS/fuzz"
run_target() {
  local target=$1
  local work=$tree/corpus/$target artifacts=$tree/artifacts/$target/
  mkdir -p "$work" "$artifacts"
  # -timeout: one input taking longer than 10 s is a hang worth reporting. -malloc_limit_mb: no
  # input of a few KB has a reason to make anything (ours or a library's) allocate 256 MB at once.
  "$tree/bin/onshi_fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=256 \
      -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$artifacts" \
      "$work" "tests/fuzz/corpus/$target" >"$ONSHI_LOGS/fuzz/$target.log" 2>&1
}

targets=()
for dir in tests/fuzz/corpus/*/; do targets+=("$(basename "$dir")"); done

failed=()
pids=()
names=()
for target in "${targets[@]}"; do
  run_target "$target" &
  pids+=($!)
  names+=("$target")
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || failed+=("${names[0]}")
    pids=("${pids[@]:1}")
    names=("${names[@]:1}")
  fi
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || failed+=("${names[$i]}")
done

total=0
for target in "${targets[@]}"; do
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$ONSHI_LOGS/fuzz/$target.log" | tail -n 1)
  echo "fuzz.$target.execs=${execs:-0}"
  total=$((total + ${execs:-0}))
done
echo "fuzz.total.execs=$total (${#targets[@]} targets, ${seconds} s each; build $((built - start)) s, runs $((SECONDS - built)) s)"

if [ ${#failed[@]} -gt 0 ]; then
  for target in "${failed[@]}"; do
    grep -E -A40 "^==[0-9]+==ERROR|runtime error|deadly signal|Test unit written" "$ONSHI_LOGS/fuzz/$target.log" | head -n 60 || tail -n 40 "$ONSHI_LOGS/fuzz/$target.log"
    echo "FAILED: fuzz target $target (log: $ONSHI_LOGS/fuzz/$target.log, input in $tree/artifacts/$target/)" >&2
  done
  exit 1
fi
