#!/usr/bin/env bash
# Runs every benchmark (tests/bench) from a build and prints one name=value line per figure; see
# docs/performance.md for what each figure means and how the critical path is computed.
#   scripts/bench.sh            full run: 30 warm + 5 cold checks, 5 rounds per N, 10,000 checks for RSS
#   scripts/bench.sh --short    CI: fewer checks (RSS after 1,000 checks: rss_mb_after_1k)
# Builds preset default (build/) unless ONSHI_BENCH_BUILD_DIR names another build tree (configured
# like the default preset if it does not exist yet). Delays: ONSHI_BENCH_APDU_DELAY_MS (20),
# ONSHI_BENCH_RTT_MS (30). Nothing is asserted on time; it fails when a benchmark fails or a figure
# is missing. The sandbox needs root: the benchmark programs run with sudo when we are not root.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$ONSHI_ROOT"

short=0
case "${1:-}" in
  "") ;;
  --short) short=1 ;;
  *) echo "usage: scripts/bench.sh [--short]" >&2; exit 2 ;;
esac
apdu_delay=${ONSHI_BENCH_APDU_DELAY_MS:-20}
rtt=${ONSHI_BENCH_RTT_MS:-30}
build=${ONSHI_BENCH_BUILD_DIR:-build}
targets=(onshi_card_phase_bench onshi_parallel_bench onshi_host_calls_bench onshi_api_microbench onshi_face_watch_bench
  onshi_terminal_query_bench)

ensure_packages
if [ "$build" = build ]; then
  configure_and_build default "${targets[@]}"
else
  [ -f "$build/CMakeCache.txt" ] ||
    run_quiet "configure-bench" cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
  run_quiet "build-bench" cmake --build "$build" --target "${targets[@]}"
fi

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)

if [ $short -eq 1 ]; then
  card_args=(--checks 5 --cold 2); parallel_args=(--rounds 1); host_args=(--checks 1000); terminal_args=(--queries 20); rss_name=rss_mb_after_1k
  gbench_seconds=0.05
  watch_args=(--files 300 --interval-ms 5)
else
  card_args=(--checks 30 --cold 5); parallel_args=(--rounds 5); host_args=(--checks 10000); terminal_args=(--queries 200); rss_name=rss_mb_after_10k
  gbench_seconds=0.5
  watch_args=(--files 1000 --interval-ms 5)
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
machine() {
  echo "bench_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine_nproc=$(nproc)"
  echo "machine_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  echo "machine_load_1min_$1=$(cut -d' ' -f1 /proc/loadavg)"
}
machine before | tee -a "$out"
bench() {
  local name=$1; shift
  if ! "${as_root[@]}" "$build/bin/$name" "$@" | tee -a "$out"; then
    echo "FAILED: $name $* (a figure could not be measured)" >&2
    exit 1
  fi
}
bench onshi_card_phase_bench "${card_args[@]}" --apdu-delay-ms "$apdu_delay" --rtt-ms "$rtt" --opensc 1
bench onshi_parallel_bench "${parallel_args[@]}" --apdu-delay-ms "$apdu_delay" --rtt-ms "$rtt"
bench onshi_host_calls_bench "${host_args[@]}"
bench onshi_face_watch_bench "${watch_args[@]}"
bench onshi_terminal_query_bench "${terminal_args[@]}"
# Google Benchmark's JSON, one gbench_<benchmark>_ns line (real time) per benchmark.
if ! "$build/bin/onshi_api_microbench" --benchmark_min_time="$gbench_seconds" --benchmark_format=json 2>/dev/null |
    python3 -c '
import json, re, sys
for b in json.load(sys.stdin)["benchmarks"]:
    if b.get("error_occurred"): sys.exit("benchmark %s: %s" % (b["name"], b.get("error_message")))
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b["time_unit"]]
    print("gbench_%s_ns=%.1f" % (re.sub(r"/.*", "", b["name"]), b["real_time"] * scale))
' | tee -a "$out"; then
  echo "FAILED: onshi_api_microbench" >&2
  exit 1
fi
echo "machine_load_1min_after=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out"

required=(pin_check_apdus pin_check_apdus_min pin_check_ms_warm pin_check_ms_cold pin_check_critical_path_ms
  pin_check_ratio_warm pin_check_ratio_cold visual_check_apdus visual_check_ms_warm visual_check_critical_path_ms
  visual_check_ratio_warm opensc_sign_apdus opensc_sign_ms onshi_card_phase_ms onshi_card_phase_apdus
  api_call_us_median api_call_us_p99 parallel1_ratio parallel2_ratio parallel4_ratio parallel8_ratio
  load_to_ready_ms rss_mb_after_load "$rss_name" gbench_PollEventIdle_ns gbench_JobRoundTrip_ns
  face_watch_inotify_ms_median face_watch_inotify_ms_p99 face_watch_poll_ms_median face_watch_poll_ms_p99
  terminal_query_ms_median terminal_query_overhead_ms_median terminal_query_overhead_ms_p99)
missing=()
for name in "${required[@]}"; do
  grep -q "^$name=" "$out" || missing+=("$name")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "FAILED: figures missing: ${missing[*]}" >&2
  exit 1
fi
