#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the default build (unit, ABI, SDK,
# integration against a private pcscd and the sandbox), then ASan+UBSan (everything again), then
# ThreadSanitizer (unit, ABI and SDK suites: the tsan tree builds no sandbox). Quiet on success;
# logs in build/logs.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$ONSHI_ROOT"

ensure_packages

configure_and_build default
run_ctest default
# The benchmarks, short, on the tree just built: figures printed, nothing asserted on time.
ONSHI_BENCH_BUILD_DIR=build "$ONSHI_ROOT/scripts/bench.sh" --short | sed 's/^/[bench] /'

configure_and_build asan
run_ctest asan

configure_and_build tsan
run_ctest tsan

echo "all tests passed"
