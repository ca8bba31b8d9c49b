#!/usr/bin/env bash
# Static checks of our own code, failing on any finding: clang-tidy (.clang-tidy) over plugin/src,
# the sample hosts samples/{c-host,cpp-host,cli} (cpp-host compiles the header-only host-sdk), the
# sandbox sandbox/ and tests/fuzz, not the Qt host samples/qt-host (reason below); cppcheck
# (.cppcheck-suppressions) over plugin/src, samples/, sandbox/ and tests/fuzz. The compilation database comes
# from preset 'static' (build/static; configured, not built). Debian's library headers are system
# headers: nothing in them is checked (the analyzer may still point into one when its path starts
# in our code). Logs in build/logs/static-*.log.
#   scripts/static-checks.sh [clang-tidy|cppcheck]   (default: both)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$ONSHI_ROOT"

what=${1:-all}
jobs=${ONSHI_STATIC_JOBS:-2}
db=build/static/compile_commands.json
# clang-tidy: the plugin, the C, C++ (host-sdk) and CLI sample hosts, the sandbox (virtual cards
# and reference gateway that hosts integrate against: its mistakes become theirs) and the fuzz
# targets. cppcheck only for the Qt host (the analyzer cannot follow Qt's object ownership: every
# QTimer::singleShot and invokeMethod reads as a leak inside Qt's headers).
tidy_code='^'"$ONSHI_ROOT"'/(plugin/src|samples/(c-host|cpp-host|cli)|sandbox|tests/fuzz)/'

ensure_packages
run_quiet configure-static cmake --preset static
mkdir -p "$ONSHI_LOGS"

# The translation units of our code in the database, one a line.
sources() {
  python3 - "$db" "$tidy_code" <<'PY'
import json, re, sys
entries = json.load(open(sys.argv[1]))
seen = set()
for e in entries:
    f = e["file"]
    if re.match(sys.argv[2], f) and f not in seen:
        seen.add(f)
        print(f)
PY
}

run_clang_tidy() {
  local log=$ONSHI_LOGS/static-clang-tidy.log start=$SECONDS
  # One clang-tidy per file, $jobs at a time; --quiet keeps only findings in the log.
  if ! sources | xargs -P "$jobs" -n 1 clang-tidy-14 -p build/static --quiet >"$log" 2>&1; then
    grep -E -A6 "(error|warning):" "$log" | head -n 150
    echo "FAILED: clang-tidy (full log: $log)" >&2
    return 1
  fi
  echo "clang-tidy: $(sources | wc -l) files clean in $((SECONDS - start)) s"
}

# cppcheck_over BUILD_DIR ARGS...: one cppcheck run; ARGS are include folders and what to check.
cppcheck_over() {
  local dir=$1; shift
  mkdir -p "$dir"
  cppcheck --std=c++20 --language=c++ -j "$jobs" --quiet --error-exitcode=1 \
    --enable=warning,performance,portability --inline-suppr \
    --suppressions-list=.cppcheck-suppressions --cppcheck-build-dir="$dir" \
    -DRAPIDJSON_HAS_STDSTRING=1 -DONSHI_VERSION_STRING=\"0\" "$@"
}

run_cppcheck() {
  local log=$ONSHI_LOGS/static-cppcheck.log start=$SECONDS
  # The sandbox in a run of its own: its includes ("card/apdu.h") name its own parts, some of
  # which share a name with a plugin layer's header.
  if ! { cppcheck_over build/static/cppcheck -I plugin/src -I abi/include -I host-sdk/include -I tests/fuzz \
           plugin/src samples tests/fuzz &&
         cppcheck_over build/static/cppcheck-sandbox -I sandbox sandbox; } >"$log" 2>&1; then
    head -n 150 "$log"
    echo "FAILED: cppcheck (full log: $log)" >&2
    return 1
  fi
  echo "cppcheck: clean in $((SECONDS - start)) s"
}

status=0
case $what in
  clang-tidy) run_clang_tidy || status=1 ;;
  cppcheck) run_cppcheck || status=1 ;;
  all) run_cppcheck || status=1; run_clang_tidy || status=1 ;;
  *) echo "usage: $0 [clang-tidy|cppcheck]" >&2; exit 2 ;;
esac
exit $status
