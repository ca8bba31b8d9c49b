#!/usr/bin/env bash
# The Windows part of CI (docs/windows.md): cross-builds the libraries onshi.dll links (cached in
# build/windows-deps), builds onshi.dll for x64 and x86 with mingw-w64, checks the x86 DLL's
# export table and proves its __stdcall statically (it cannot run here: no wine32), signs both DLLs
# with a test certificate and verifies the signatures and version resources, and runs the x64 tests
# under Wine in a throw-away prefix: the ABI suite, window-message events, the DPAPI store, the
# end-to-end check against the sandbox (needs the Linux tree in build/ for onshi-sandbox and
# onshi-check), negative TLS, the NSIS sample installer and the sample MSI. Quiet on success; logs
# in build/logs.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
cd "$ONSHI_ROOT"

start=$(date +%s)
step() { echo "[windows] $1 ($(( $(date +%s) - start )) s)"; }

ensure_packages
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

# A Wine prefix of our own, removed afterwards with its wineserver (never another one's).
WINEPREFIX=$(mktemp -d /tmp/onshi-wine.XXXXXX)
export WINEPREFIX WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cleanup() {
  wineserver -k >/dev/null 2>&1 || true
  rm -rf "$WINEPREFIX"
}
trap cleanup EXIT
# A persistent wineserver for the whole run (each test's wine start then takes ~0.05 s, not 0.5 s),
# started before wineboot so that wineboot uses it.
wineserver -p
run_quiet windows-wineboot wineboot -i
step "Wine prefix ready"

run_ctest windows-x64
step "Windows tests under Wine passed"
