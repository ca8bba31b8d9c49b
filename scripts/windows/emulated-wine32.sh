# 32-bit Wine under user-mode emulation, for the x86 part of scripts/windows/test-windows.sh
# (docs/windows.md §The x86 DLL under emulated 32-bit Wine). Sourced after scripts/lib/common.sh.
#
# Debian's wine32:i386 installs on amd64, but its loader is a 32-bit ELF program, which kernels
# built without 32-bit support refuse ("Exec format error"). binfmt_misc hands such programs to
# qemu-i386 (qemu-user-static) instead. The registration is the machine's own kernel table: it is
# made only if no qemu-i386 entry exists, and taken back by wine32_emulation_end.
# shellcheck shell=bash

ONSHI_BINFMT_DIR=/proc/sys/fs/binfmt_misc
ONSHI_BINFMT_NAME=""      # the entry this run registered (empty: none)
ONSHI_BINFMT_MOUNTED=""   # set when this run mounted binfmt_misc
ONSHI_WINE32=/usr/lib/wine/wine   # Debian's 32-bit loader (wine32:i386)
# qemu's own i386 ELF pattern (qemu's scripts/qemu-binfmt-conf.sh): 32-bit, little endian, an
# executable or shared object (ET_EXEC/ET_DYN), machine EM_386 or EM_486.
ONSHI_I386_MAGIC='\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00'
ONSHI_I386_MASK='\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'

# The i386 architecture and the two packages. apt-get update runs when something is missing.
wine32_ensure_packages() {
  if ! dpkg --print-foreign-architectures | grep -qx i386; then
    dpkg --add-architecture i386
  fi
  install_missing_packages "${ONSHI_WINDOWS_X86_PACKAGES[@]}"
}

# Registers /usr/bin/qemu-i386-static for i386 ELF with flag F (the kernel opens the interpreter
# at registration, so it works whatever the mount namespace of the program), unless an enabled
# qemu-i386 entry is there already (binfmt-support, systemd-binfmt): that one is used and left.
wine32_emulation_begin() {
  if [ ! -e "$ONSHI_BINFMT_DIR/register" ]; then
    mount -t binfmt_misc binfmt_misc "$ONSHI_BINFMT_DIR"
    ONSHI_BINFMT_MOUNTED=1
  fi
  local entry
  for entry in "$ONSHI_BINFMT_DIR"/*; do
    case ${entry##*/} in register|status) continue ;; esac
    if grep -qx enabled "$entry" && grep -q '^interpreter .*qemu-i386' "$entry"; then
      echo "binfmt_misc: using the existing entry ${entry##*/}"
      return 0
    fi
  done
  local name=onshi-qemu-i386-$$
  printf ':%s:M::%s:%s:%s:F\n' "$name" "$ONSHI_I386_MAGIC" "$ONSHI_I386_MASK" /usr/bin/qemu-i386-static \
    >"$ONSHI_BINFMT_DIR/register"
  ONSHI_BINFMT_NAME=$name
  echo "binfmt_misc: registered $name"
}

# Takes back what wine32_emulation_begin added, leaving the table as it was.
wine32_emulation_end() {
  if [ -n "$ONSHI_BINFMT_NAME" ] && [ -e "$ONSHI_BINFMT_DIR/$ONSHI_BINFMT_NAME" ]; then
    echo -1 >"$ONSHI_BINFMT_DIR/$ONSHI_BINFMT_NAME" || true
  fi
  ONSHI_BINFMT_NAME=""
  if [ -n "$ONSHI_BINFMT_MOUNTED" ]; then
    # Unmounted only if no other entry appeared meanwhile (another run may rely on it).
    if [ "$(find "$ONSHI_BINFMT_DIR" -mindepth 1 -maxdepth 1 ! -name register ! -name status | wc -l)" -eq 0 ]; then
      umount "$ONSHI_BINFMT_DIR" 2>/dev/null || true
    fi
    ONSHI_BINFMT_MOUNTED=""
  fi
}

# The environment every emulated 32-bit Wine program needs (docs/windows.md gives the why):
#  - QEMU_RESERVED_VA: qemu reserves the guest's whole 4 GiB at once; without it Wine stops with
#    "failed to map the shared user data" (it wants a fixed address qemu has handed out already);
#  - WINEDLLOVERRIDES: no Mono or Gecko installer dialog that waits for ever without a display.
wine32_environment() {
  export WINEARCH=win32 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" QEMU_RESERVED_VA=0xffff0000
  export WINELOADER=$ONSHI_WINE32
}

# wine32_prefix CACHE: makes CACHE/prefix, a win32 prefix initialised by `wineboot -i` to the end
# (a program started before that ends gets error 126 from LoadLibrary), once per key: Wine's and
# qemu's versions and a recipe number. A second run finds it and does nothing.
ONSHI_WINE32_PREFIX_RECIPE=1
wine32_prefix() {
  local cache
  cache=$(realpath -m "$1")
  local key
  key="recipe=$ONSHI_WINE32_PREFIX_RECIPE;$(dpkg-query -W -f='${Version}' wine32:i386);$(dpkg-query -W -f='${Version}' qemu-user-static)"
  if [ -f "$cache/key" ] && [ "$(cat "$cache/key")" = "$key" ] && [ -d "$cache/prefix/drive_c" ]; then
    echo "cached"
    return 0
  fi
  rm -rf "$cache"
  mkdir -p "$cache"
  (
    wine32_environment
    export WINEPREFIX=$cache/prefix
    # Under emulation the first wine may give up waiting for the prefix's creation ("could not
    # load kernel32.dll", *measured* on a loaded machine) while wineboot --init carries on: what
    # counts is that it ends (wineserver -w) with the system DLLs and the registry in place.
    "$ONSHI_WINE32" wineboot -i || echo "wineboot -i exited $?; waiting for the prefix's creation to end"
    wineserver -w
    [ -f "$WINEPREFIX/drive_c/windows/system32/kernel32.dll" ] && [ -f "$WINEPREFIX/system.reg" ] \
      || { echo "wineboot left no complete prefix in $WINEPREFIX" >&2; exit 1; }
  )
  echo "$key" >"$cache/key"
  echo "initialised"
}
