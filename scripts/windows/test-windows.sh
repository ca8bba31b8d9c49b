#!/usr/bin/env bash
# The Windows part of CI (docs/windows.md): cross-builds the libraries onshi.dll links (cached in
# build/windows-deps), builds onshi.dll for x64 and x86 with mingw-w64, checks the x86 DLL's
# export table and proves its __stdcall statically, signs both DLLs with a test certificate and
# verifies the signatures and version resources, and runs the tests under Wine:
#  - x64, in a throw-away prefix: the ABI suite, window-message events, the DPAPI store, the
#    end-to-end check against the sandbox (needs the Linux tree in build/ for onshi-sandbox and
#    onshi-check), negative TLS, the NSIS sample installer and the sample MSI;
#  - x86, under 32-bit Wine emulated by qemu-i386 (scripts/windows/emulated-wine32.sh), in a copy
#    of a win32 prefix cached in $ONSHI_CACHE_DIR/windows-wine32 (made in the background while the
#    rest runs): the whole x86 suite (ctest --preset windows-x86): the ABI suite, the result
#    imports, window-message events, the DPAPI store, and the 32-bit stdcall host (every function
#    through __stdcall pointers, ESP checked around each call) with its negative build.
#    ONSHI_WINDOWS_X86_EMULATED=0 skips that run (the x86 DLL is still built and proven statically).
# Quiet on success; logs in build/logs.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/emulated-wine32.sh"
cd "$ONSHI_ROOT"

start=$(date +%s)
step() { echo "[windows] $1 ($(( $(date +%s) - start )) s)"; }

ensure_packages
x86_emulated=${ONSHI_WINDOWS_X86_EMULATED:-1}
if [ "$x86_emulated" = 1 ]; then
  run_quiet windows-x86-packages wine32_ensure_packages
  run_quiet windows-x86-qemu wine32_qemu
  step "$(tail -n1 "$ONSHI_LOGS/windows-x86-qemu.log")"
fi

# Wine prefixes of our own, removed afterwards with their wineservers (never another one's), and
# the binfmt_misc entry for qemu-i386 taken back.
x64_prefix=""
x86_cache=$ONSHI_CACHE_DIR/windows-wine32
x86_prefix=""
x86_init_pid=""
cleanup() {
  if [ -n "$x64_prefix" ]; then
    WINEPREFIX=$x64_prefix wineserver -k >/dev/null 2>&1 || true
    rm -rf "$x64_prefix"
  fi
  if [ -n "$x86_init_pid" ] && kill -0 "$x86_init_pid" 2>/dev/null; then
    kill "$x86_init_pid" 2>/dev/null || true
    WINEPREFIX=$x86_cache/prefix wineserver -k >/dev/null 2>&1 || true
  fi
  if [ -n "$x86_prefix" ]; then
    WINEPREFIX=$x86_prefix wineserver -k >/dev/null 2>&1 || true
    rm -rf "$x86_prefix"
  fi
  wine32_emulation_end >/dev/null
}
trap cleanup EXIT

# x86: the emulation registered, then the win32 prefix made (or found in the cache) in the
# background while the DLLs are built and the x64 tests run.
if [ "$x86_emulated" = 1 ]; then
  run_quiet windows-x86-binfmt wine32_emulation_begin
  mkdir -p "$ONSHI_LOGS"
  x86_init_start=$(date +%s)
  ( set -e; wine32_prefix "$x86_cache"; echo "$(( $(date +%s) - x86_init_start )) s" ) \
    >"$ONSHI_LOGS/windows-x86-prefix.log" 2>&1 &
  x86_init_pid=$!
fi

run_quiet windows-deb-src bash scripts/windows/ensure-deb-src.sh
for arch in x64 x86; do
  run_quiet "windows-deps-$arch" bash scripts/windows/build-deps.sh "$arch"
  step "$(tail -n1 "$ONSHI_LOGS/windows-deps-$arch.log")"
done

configure_and_build windows-x64
step "built build/windows-x64"
configure_and_build windows-x86
run_quiet windows-x86-exports cmake -DDLL=build/windows-x86/bin/onshi.dll \
  -DHEADER=abi/include/onshi/onshi.h -DDEF=abi/onshi.def -DOBJDUMP=i686-w64-mingw32-objdump \
  -P tests/windows/check_dll_exports.cmake
step "built build/windows-x86; $(grep -o '[0-9]* undecorated exports.*' "$ONSHI_LOGS/windows-x86-exports.log")"
# The static __stdcall proof: every export's `ret N` pops exactly the bytes its parameters in the
# one ABI list take, and the DLL calls the host callback as __stdcall. The header's types under the
# x86 compiler (ONSHI_CALL = __stdcall) are checked against the same list.
run_quiet windows-x86-stdcall python3 tests/windows/check_stdcall.py --dll build/windows-x86/bin/onshi.dll \
  --symbols build/windows-x86/plugin/src/api/onshi-unstripped.dll --list abi/onshi_abi.list \
  --objdump i686-w64-mingw32-objdump
run_quiet windows-x86-abi-list python3 tests/abi/abi_list/check_abi_list.py --root . --cxx i686-w64-mingw32-g++-posix
step "$(tail -n1 "$ONSHI_LOGS/windows-x86-stdcall.log")"

# Authenticode: both DLLs signed with a code-signing certificate made here (a throw-away test
# root), the signatures verified against that root; their version resources checked.
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' build/windows-x64/CMakeCache.txt)
run_quiet windows-authenticode bash tests/windows/authenticode_test.sh build/windows-signed "$version" \
  build/windows-x64/bin/onshi.dll build/windows-x86/bin/onshi.dll
step "$(tail -n1 "$ONSHI_LOGS/windows-authenticode.log")"

# x64. Once wine32:i386 is installed, /usr/bin/wine (and wineboot, which goes through it) starts
# the 32-bit loader even for a win64 prefix, which would then need the emulation. The x64 tests
# therefore reach Debian's wine64 directly, through a `wine` of their own first on PATH (ctest's
# CMAKE_CROSSCOMPILING_EMULATOR and the test scripts call `wine`).
# wine_shim NAME LOADER: build/NAME/wine, which runs that loader of Debian's Wine; prints the folder.
wine_shim() {
  local dir=$ONSHI_ROOT/build/$1
  mkdir -p "$dir"
  printf '%s\n' '#!/bin/sh' "# Debian's loader $2 itself, not /usr/bin/wine (scripts/windows/test-windows.sh)." \
    "export WINELOADER=$2" "exec $2 \"\$@\"" >"$dir/wine"
  chmod +x "$dir/wine"
  echo "$dir"
}
wine64_bin=$(wine_shim windows-wine64-bin /usr/lib/wine/wine64)
x64_prefix=$(mktemp -d /tmp/onshi-wine.XXXXXX)
(
  export PATH=$wine64_bin:$PATH WINEPREFIX=$x64_prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
  # A persistent wineserver for the whole run (each test's wine start then takes ~0.05 s, not
  # 0.5 s), started before wineboot so that wineboot uses it.
  wineserver -p
  run_quiet windows-wineboot wine wineboot -i
  step "Wine prefix ready"
  run_ctest windows-x64
)
step "Windows tests under Wine passed"

# x86 under emulation, in a copy of the cached prefix (the cache stays as wineboot left it).
if [ "$x86_emulated" != 1 ]; then
  step "x86: built and proven statically; not run (ONSHI_WINDOWS_X86_EMULATED=0)"
  exit 0
fi
if ! wait "$x86_init_pid"; then
  x86_init_pid=""
  tail -n 40 "$ONSHI_LOGS/windows-x86-prefix.log"
  echo "FAILED: the emulated win32 prefix (full log: $ONSHI_LOGS/windows-x86-prefix.log)" >&2
  exit 1
fi
x86_init_pid=""
prefix_state=$(tail -n2 "$ONSHI_LOGS/windows-x86-prefix.log" | tr '\n' ' ')
x86_prefix=$(mktemp -d /tmp/onshi-wine32.XXXXXX)
cp -a --reflink=auto "$x86_cache/prefix/." "$x86_prefix/"
x86_run_start=$(date +%s)
# The x86 suite through ctest, as x64's: its `wine` (CMAKE_CROSSCOMPILING_EMULATOR) is Debian's
# 32-bit loader, run by qemu-i386 through the binfmt_misc entry.
wine32_bin=$(wine_shim windows-wine32-bin "$ONSHI_WINE32")
# Under emulation a test process now and then stops in a loader-lock wait (docs/windows.md,
# steadiness): the preset repeats a failed test, and a run that still fails is run once more with a
# new wineserver. Both are said, with the first run's log kept. `wineboot` first starts the
# prefix's services, which would otherwise be started by the first test program and, inheriting
# its output pipe, keep ctest's test listing waiting until its timeout (measured).
x86_suite() {
  (
    wine32_environment
    export PATH=$wine32_bin:$PATH WINEPREFIX=$x86_prefix
    wineserver -k >/dev/null 2>&1 || true
    wineserver -p
    "$ONSHI_WINE32" wineboot >"$ONSHI_LOGS/windows-x86-session.log" 2>&1 </dev/null
    run_ctest windows-x86
  )
}
if ! x86_suite; then
  cp "$ONSHI_LOGS/ctest-windows-x86.log" "$ONSHI_LOGS/ctest-windows-x86-first.log"
  step "x86-emulated: the first run failed (build/logs/ctest-windows-x86-first.log); once more"
  x86_suite
fi
# The preset runs a failed test up to twice more (docs/windows.md: a loader-lock wait seen under
# emulation); which tests needed it is said, not hidden.
grep -E '\*\*\*(Failed|Timeout|Exception)' "$ONSHI_LOGS/ctest-windows-x86.log" \
  | sed 's/^/[windows] x86-emulated: passed when run again, after: /' || true
grep -h -o -E "[0-9]+ calls of [0-9]+ functions.*|[0-9]+ of [0-9]+ jobs ended with exactly one.*" \
  build/windows-x86/Testing/Temporary/LastTest.log | sed 's/^/[windows] x86-emulated: /' || true
step "x86-emulated: win32 prefix ${prefix_state}; the x86 suite $(( $(date +%s) - x86_run_start )) s"
