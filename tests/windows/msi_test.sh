#!/usr/bin/env bash
# The sample MSI (packaging/windows/c-host-sample.wxs with the OnshiRuntime component group of
# onshi.wxs): builds it with wixl, installs it silently under Wine's msiexec, checks that onshi.dll
# landed beside the host executable and that the installed host loads it, uninstalls silently and
# checks that both files and the product registration are gone.
#   msi_test.sh WIXL SOURCE_DIR ONSHI_DLL HOST_EXE VERSION WORK_DIR
# Expects WINEPREFIX from scripts/windows/test-windows.sh.
set -uo pipefail
wixl=$1 src=$2 dll=$3 host=$4 version=$5 work=$6
: "${WINEPREFIX:?set WINEPREFIX (scripts/windows/test-windows.sh makes a throw-away prefix)}"
rm -rf "$work"
mkdir -p "$work"
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# wixl takes a File's Source relative to the .wxs, so the sources and the files meet in WORK_DIR.
cp "$src/packaging/windows/onshi.wxs" "$src/packaging/windows/c-host-sample.wxs" "$work/"
cp "$dll" "$work/onshi.dll"
cp "$host" "$work/onshi-c-host.exe"
if ! ( cd "$work" && "$wixl" -a x64 -D OnshiDll=onshi.dll -D OnshiDir=INSTALLFOLDER -D OnshiWin64=yes \
         -D HostExe=onshi-c-host.exe -D "Version=$version" -o onshi-c-host.msi c-host-sample.wxs onshi.wxs ) \
     >"$work/wixl.log" 2>&1; then
  cat "$work/wixl.log"; exit 1
fi

# A folder of its own per run, given as the public property INSTALLFOLDER.
inst_win='C:\onshi-msi-test'
inst=$WINEPREFIX/drive_c/onshi-msi-test
rm -rf "$inst"
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
( cd "$work" && timeout 120 wine msiexec /i onshi-c-host.msi /qn "INSTALLFOLDER=$inst_win" ) \
  || bad "msiexec /i exited $?"
for f in onshi-c-host.exe onshi.dll; do
  [ -f "$inst/$f" ] || bad "not installed: $f"
done
cmp -s "$inst/onshi.dll" "$dll" || bad "the installed onshi.dll differs from the built one"
[ ! -e "$inst/winscard.dll" ] || bad "the test winscard.dll must never be installed"

# The installed host loads the installed onshi.dll (beside it) and checks its ABI before anything
# else; the config does not exist, so it stops right after printing the loaded library's version.
( cd "$inst" && timeout 60 wine ./onshi-c-host.exe --library onshi.dll --config missing.json </dev/null ) \
  >"$work/host.log" 2>&1
grep -qE "^onshi $version \(ABI 1\.[0-9]+\)" "$work/host.log" \
  || bad "the installed host did not load the installed onshi.dll: $(head -c 500 "$work/host.log")"

( cd "$work" && timeout 120 wine msiexec /x onshi-c-host.msi /qn ) || bad "msiexec /x exited $?"
for f in onshi-c-host.exe onshi.dll; do
  [ ! -e "$inst/$f" ] || bad "left behind after uninstall: $f"
done
# The product is no longer registered: removing it by its ProductCode now answers 1605 ("This
# action is only valid for products that are currently installed"; the exit code is that modulo
# 256 under Wine). (By the package path, Wine's msiexec answers 0 either way.)
product=$(msiinfo export "$work/onshi-c-host.msi" Property | tr -d '\r' | awk '$1 == "ProductCode" { print $2 }')
( cd "$work" && timeout 120 wine msiexec /x "$product" /qn ) >/dev/null 2>&1
rc=$?
[ $rc -eq 1605 ] || [ $rc -eq $((1605 % 256)) ] || bad "msiexec /x $product exited $rc, not 1605 (product still registered?)"
if timeout 60 wine reg query 'HKLM\Software\onshi\onshi-c-host' /reg:64 >/dev/null 2>&1; then
  bad "the remembered install folder is still in the registry"
fi
[ $fail -eq 0 ] && echo "MSI install, run and uninstall under Wine: ok"
exit $fail
