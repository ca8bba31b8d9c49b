; onshi.nsh — the installer fragment a host's NSIS installer includes to put onshi.dll, its
; configuration and its documentation beside the host executable (docs/windows.md).
;
;   Target amd64-unicode                 ; a 64-bit host (x86 hosts: an x86 onshi.dll, Target x86-unicode)
;   !define ONSHI_DLL     "path\to\onshi.dll"          ; the onshi.dll matching the host's bitness
;   !define ONSHI_CONFIG  "path\to\onshi.json"         ; optional: the config the host opens
;   !define ONSHI_DOCS    "path\to\docs"               ; optional: a folder of docs to ship
;   !include "onshi.nsh"
;   Section "Install"
;     SetOutPath "$INSTDIR"
;     File "host.exe"
;     !insertmacro ONSHI_INSTALL
;   SectionEnd
;   Section "Uninstall"
;     !insertmacro ONSHI_UNINSTALL
;     ...
;   SectionEnd
;
; The config is not overwritten when it already exists (the facility may have edited it), and it
; is kept at uninstall unless ONSHI_REMOVE_CONFIG is defined. The terminal's credentials live in
; the config's credential_dir (DPAPI-sealed key), outside $INSTDIR: uninstalling the program does
; not end the terminal's registration (use onshi_terminal_unenroll for 利用終了).
!ifndef ONSHI_NSH_INCLUDED
!define ONSHI_NSH_INCLUDED

!ifndef ONSHI_DLL
  !error "define ONSHI_DLL (the path of onshi.dll) before !include onshi.nsh"
!endif

!macro ONSHI_INSTALL
  SetOutPath "$INSTDIR"
  File "/oname=onshi.dll" "${ONSHI_DLL}"
  !ifdef ONSHI_CONFIG
    IfFileExists "$INSTDIR\onshi.json" +2 0
      File "/oname=onshi.json" "${ONSHI_CONFIG}"
  !endif
  !ifdef ONSHI_DOCS
    SetOutPath "$INSTDIR\onshi-docs"
    File /r "${ONSHI_DOCS}\*.*"
    SetOutPath "$INSTDIR"
  !endif
!macroend

!macro ONSHI_UNINSTALL
  Delete "$INSTDIR\onshi.dll"
  !ifdef ONSHI_REMOVE_CONFIG
    Delete "$INSTDIR\onshi.json"
  !endif
  !ifdef ONSHI_DOCS
    RMDir /r "$INSTDIR\onshi-docs"
  !endif
!macroend

!endif
