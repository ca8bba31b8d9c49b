#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the self-containment check
# (scripts/check-self-contained.sh), the default build (unit, ABI, SDK, integration against a
# private pcscd and the sandbox), then ASan+UBSan (everything again), then
# ThreadSanitizer (unit, ABI and SDK suites: the tsan tree builds no sandbox), then the fuzz smoke
# run (scripts/fuzz.sh) and the static checks (scripts/static-checks.sh). Quiet on success; logs in
# build/logs.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$ONSHI_ROOT"

# Each part's wall time, so that a slow CI run shows where its minutes went.
phase_start=$SECONDS
phase() {
  echo "[time] $1: $((SECONDS - phase_start)) s"
  phase_start=$SECONDS
}

# First, as it takes seconds: no tracked file refers to a document outside the repository or to a
# machine path (the rules are in the script).
bash scripts/check-self-contained.sh

ensure_packages
phase packages

configure_and_build default
phase "default build"
# Every test with onshi's debug log on, then the scan of that log (every log line and error message
# onshi produced) and of the tests' output for the sandbox personas' secrets (docs/security.md).
rm -rf "$ONSHI_LOGS/debug-log" && mkdir -p "$ONSHI_LOGS/debug-log"
export ONSHI_DEBUG_LOG_DIR="$ONSHI_LOGS/debug-log"
run_ctest default
unset ONSHI_DEBUG_LOG_DIR
"$ONSHI_ROOT/scripts/scan-logs.sh" "$ONSHI_ROOT/build" "$ONSHI_LOGS/debug-log" "$ONSHI_LOGS/ctest-default.log" |
  sed 's/^/[secrets] /'
phase "default tests"
# The benchmarks, short, on the tree just built: figures printed, nothing asserted on time.
ONSHI_BENCH_BUILD_DIR=build "$ONSHI_ROOT/scripts/bench.sh" --short | sed 's/^/[bench] /'
phase benchmarks

# Windows (docs/windows.md): onshi.dll for x64 and x86 cross-built with mingw-w64 (libraries cached
# in $ONSHI_CACHE_DIR), the x64 tests under Wine, the x86 tests under 32-bit Wine emulated by
# qemu-i386; the end-to-end check uses this tree's onshi-sandbox and onshi-check.
bash scripts/windows/test-windows.sh
phase windows

configure_and_build asan
run_ctest asan
phase asan

configure_and_build tsan
run_ctest tsan
phase tsan

# Fuzz smoke: every libFuzzer target for 20 s from its seed corpus (prints fuzz.<target>.execs=N).
bash scripts/fuzz.sh 20
phase fuzz
# clang-tidy and cppcheck over our code; any finding fails.
bash scripts/static-checks.sh
phase "static checks"

echo "all tests passed"
