; The sample installer: the C sample host (samples/c-host) with onshi.dll through onshi.nsh.
;   makensis -DONSHI_DLL=... -DHOST_EXE=... -DONSHI_CONFIG=... -DONSHI_DOCS=... -DOUTFILE=... c-host-installer.nsi
; A 64-bit unicode installer: the x86 stub cannot run under wine64, and it installs a 64-bit host.
Target amd64-unicode
!include "x64.nsh"
!include "${__FILEDIR__}\onshi.nsh"

!ifndef OUTFILE
  !define OUTFILE "onshi-c-host-setup.exe"
!endif
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\onshi-c-host"

Name "onshi C sample host"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\onshi-c-host"
RequestExecutionLevel admin
SetCompressor /SOLID lzma

Section "Install"
  SetRegView 64
  SetOutPath "$INSTDIR"
  File "/oname=onshi-c-host.exe" "${HOST_EXE}"
  !insertmacro ONSHI_INSTALL
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "onshi C sample host"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
SectionEnd

Section "Uninstall"
  SetRegView 64
  Delete "$INSTDIR\onshi-c-host.exe"
  !insertmacro ONSHI_UNINSTALL
  Delete "$INSTDIR\onshi.json"   ; the sample's own config: nothing of the facility's in it
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
SectionEnd
