#!/usr/bin/env bash
# The sample installer (packaging/windows/c-host-installer.nsi, which includes onshi.nsh):
# builds it with makensis, installs silently under Wine, checks what landed where (files beside
# the host executable, the uninstall registry key and its quiet command), uninstalls silently and
# checks that it is all gone again.
#   installer_test.sh MAKENSIS SOURCE_DIR ONSHI_DLL HOST_EXE WORK_DIR
# Expects WINEPREFIX from scripts/windows/test-windows.sh.
set -uo pipefail
makensis=$1 src=$2 dll=$3 host=$4 work=$5
: "${WINEPREFIX:?set WINEPREFIX (scripts/windows/test-windows.sh makes a throw-away prefix)}"
rm -rf "$work"
mkdir -p "$work/docs"
cp "$src/docs/windows.md" "$src/docs/config.md" "$work/docs/"
fail=0
bad() { echo "FAIL: $*"; fail=1; }

if ! "$makensis" -V2 -DONSHI_DLL="$dll" -DHOST_EXE="$host" -DONSHI_CONFIG="$src/docs/config.example.json" \
     -DONSHI_DOCS="$work/docs" -DOUTFILE="$work/onshi-c-host-setup.exe" \
     "$src/packaging/windows/c-host-installer.nsi" >"$work/makensis.log" 2>&1; then
  cat "$work/makensis.log"; exit 1
fi

# A directory of its own per run; /D= must come last, unquoted.
inst_win='C:\onshi-installer-test'
inst=$WINEPREFIX/drive_c/onshi-installer-test
rm -rf "$inst"
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
( cd "$work" && timeout 120 wine ./onshi-c-host-setup.exe /S "/D=$inst_win" ) || bad "silent install exited $?"
for f in onshi-c-host.exe onshi.dll onshi.json uninstall.exe onshi-docs/windows.md onshi-docs/config.md; do
  [ -f "$inst/$f" ] || bad "not installed: $f"
done
cmp -s "$inst/onshi.dll" "$dll" || bad "the installed onshi.dll differs from the built one"
[ ! -e "$inst/winscard.dll" ] || bad "the test winscard.dll must never be installed"
timeout 60 wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\onshi-c-host' /v QuietUninstallString \
  /reg:64 >"$work/reg.txt" 2>&1 || bad "no uninstall registry key"
grep -qF "\"$inst_win\\uninstall.exe\" /S" "$work/reg.txt" \
  || bad "the uninstall key's QuietUninstallString is not the silent uninstaller: $(cat "$work/reg.txt")"

# The installed host loads the installed onshi.dll (beside it) and checks its ABI before anything else.
# (The config does not exist: it stops right after printing the loaded library's version.)
( cd "$inst" && timeout 60 wine ./onshi-c-host.exe --library onshi.dll --config missing.json </dev/null ) \
  >"$work/host.log" 2>&1
grep -qE "^onshi [0-9.]+ \(ABI 1\.[0-9]+\)" "$work/host.log" \
  || bad "the installed host did not load the installed onshi.dll: $(head -c 500 "$work/host.log")"

# Silent uninstall, run the way installers run an uninstaller they must wait for: a copy of it
# outside $INSTDIR with _?=$INSTDIR, so it runs in the foreground and its exit code is the
# uninstall section's own. (Run in place, uninstall.exe first copies itself into %TEMP% and
# relaunches; that NSIS launcher stage exited 2 on a CI machine under Wine, and its exit code
# says nothing about our section.)
cp "$inst/uninstall.exe" "$work/uninstall-copy.exe"
( cd "$work" && timeout 120 wine ./uninstall-copy.exe /S "_?=$inst_win" ) || bad "silent uninstall exited $?"
[ ! -e "$inst" ] || bad "left behind after uninstall: $(cd "$inst" && find . | tr '\n' ' ')"
if timeout 60 wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\onshi-c-host' /reg:64 >/dev/null 2>&1; then
  bad "the uninstall registry key is still there"
fi
[ $fail -eq 0 ] && echo "silent install and uninstall under Wine: ok"
exit $fail
