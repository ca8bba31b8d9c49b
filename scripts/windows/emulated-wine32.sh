# 32-bit Wine under user-mode emulation, for the x86 part of scripts/windows/test-windows.sh
# (docs/windows.md §The x86 DLL under emulated 32-bit Wine). Sourced after scripts/lib/common.sh.
#
# Debian's wine32:i386 installs on amd64, but its loader is a 32-bit ELF program, which kernels
# built without 32-bit support refuse ("Exec format error"). binfmt_misc hands such programs to
# qemu-i386 instead. The registration is the machine's own kernel table: this run adds an entry of
# its own and wine32_emulation_end takes it back.
#
# qemu 7.2 (bookworm's qemu-user-static) is not used: under it every Wine process spent about 50 s
# of CPU before its first instruction and threads died at random (measured, docs/windows.md). The
# qemu-i386 of qemu >= 10 (the version measured) is taken from PATH if there is one, else Debian's
# qemu-user package of <codename>-backports is fetched by apt-get into $ONSHI_CACHE_DIR and
# unpacked there: a static binary, nothing installed, the machine's own qemu left alone.
# shellcheck shell=bash

ONSHI_BINFMT_DIR=/proc/sys/fs/binfmt_misc
ONSHI_BINFMT_NAME=""      # the entry this run registered (empty: none)
ONSHI_BINFMT_MOUNTED=""   # set when this run mounted binfmt_misc
ONSHI_WINE32=/usr/lib/wine/wine   # Debian's 32-bit loader (wine32:i386)
ONSHI_QEMU_I386=""        # the qemu-i386 in use, set by wine32_qemu
ONSHI_QEMU_MIN_MAJOR=10
# qemu's own i386 ELF pattern (qemu's scripts/qemu-binfmt-conf.sh): 32-bit, little endian, an
# executable or shared object (ET_EXEC/ET_DYN), machine EM_386 or EM_486.
ONSHI_I386_MAGIC='\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00'
ONSHI_I386_MASK='\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'

# The i386 architecture and wine32. apt-get update runs when something is missing.
wine32_ensure_packages() {
  if ! dpkg --print-foreign-architectures | grep -qx i386; then
    dpkg --add-architecture i386
  fi
  install_missing_packages "${ONSHI_WINDOWS_X86_PACKAGES[@]}"
}

# qemu_major BINARY: the major version a qemu-user binary reports (0 if it reports none).
qemu_major() {
  "$1" --version 2>/dev/null | sed -n '1s/.*version \([0-9]*\)\..*/\1/p' | grep . || echo 0
}

# Sets ONSHI_QEMU_I386: qemu-i386 from PATH when it is recent enough, else the one of Debian's
# qemu-user from <codename>-backports, fetched once into $ONSHI_CACHE_DIR/qemu-user (apt checks it
# against the archive's signed index, as for any package) and unpacked there.
wine32_qemu() {
  local found
  if found=$(command -v qemu-i386) && [ "$(qemu_major "$found")" -ge "$ONSHI_QEMU_MIN_MAJOR" ]; then
    ONSHI_QEMU_I386=$found
  else
    wine32_fetch_qemu
  fi
  echo "qemu-i386: $ONSHI_QEMU_I386, $("$ONSHI_QEMU_I386" --version | head -n1)"
}

# Unpacks qemu-user of <codename>-backports into $ONSHI_CACHE_DIR/qemu-user/<package file name>
# (once per version; a lock for concurrent runs) and points ONSHI_QEMU_I386 at its qemu-i386.
wine32_fetch_qemu() {
  local suite dir
  suite="$(. /etc/os-release && echo "$VERSION_CODENAME")-backports"
  dir=$ONSHI_CACHE_DIR/qemu-user
  mkdir -p "$dir/lists/partial" "$dir/cache"
  local apt=(apt-get -q -o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent
             -o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" -o APT::Sandbox::User=root)
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian %s main\n' \
    "$suite" >"$dir/sources.list"
  (
    flock 9 || exit 1
    cd "$dir" || exit 1
    local deb=""
    if "${apt[@]}" update; then
      deb=$("${apt[@]}" download --print-uris "qemu-user/$suite" | sed -n "s/^'[^']*' \([^ ]*\) .*/\1/p")
    fi
    if [ -z "$deb" ]; then
      # Offline, or no such package: a copy fetched before will do.
      [ -x current/usr/bin/qemu-i386 ] && { echo "cannot reach $suite; using the qemu-user fetched before"; exit 0; }
      echo "cannot fetch qemu-user from $suite" >&2
      exit 1
    fi
    if [ ! -x "${deb%.deb}/usr/bin/qemu-i386" ]; then
      rm -rf "${deb%.deb}.tmp"
      "${apt[@]}" download "qemu-user/$suite" && dpkg-deb -x "$deb" "${deb%.deb}.tmp" \
        && mv "${deb%.deb}.tmp" "${deb%.deb}" || exit 1
      rm -f "$deb"
    fi
    ln -sfn "${deb%.deb}" current
  ) 9>"$dir/lock" || return 1
  ONSHI_QEMU_I386=$dir/current/usr/bin/qemu-i386
  [ "$(qemu_major "$ONSHI_QEMU_I386")" -ge "$ONSHI_QEMU_MIN_MAJOR" ] || {
    echo "$ONSHI_QEMU_I386 is older than qemu $ONSHI_QEMU_MIN_MAJOR" >&2
    return 1
  }
}

# Registers $ONSHI_QEMU_I386 for i386 ELF with flag F (the kernel opens the interpreter at
# registration, so it works whatever the mount namespace of the program). A newer entry is matched
# first, so an older qemu-i386 entry of the machine's (binfmt-support, systemd-binfmt) stays as it
# is and is not used meanwhile.
wine32_emulation_begin() {
  if [ ! -e "$ONSHI_BINFMT_DIR/register" ]; then
    mount -t binfmt_misc binfmt_misc "$ONSHI_BINFMT_DIR"
    ONSHI_BINFMT_MOUNTED=1
  fi
  local name=onshi-qemu-i386-$$
  printf ':%s:M::%s:%s:%s:F\n' "$name" "$ONSHI_I386_MAGIC" "$ONSHI_I386_MASK" "$ONSHI_QEMU_I386" \
    >"$ONSHI_BINFMT_DIR/register"
  ONSHI_BINFMT_NAME=$name
  echo "binfmt_misc: registered $name for $ONSHI_QEMU_I386"
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
#  - QEMU_RESERVED_VA: qemu reserves the guest's whole 4 GiB at once. qemu 7.2 needed it (without
#    it Wine stopped with "failed to map the shared user data"); kept, as it costs nothing;
#  - WINEDLLOVERRIDES: no Mono or Gecko installer dialog that waits for ever without a display.
wine32_environment() {
  export WINEARCH=win32 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" QEMU_RESERVED_VA=0xffff0000
  export WINELOADER=$ONSHI_WINE32
}

# wine32_prefix CACHE: makes CACHE/prefix, a win32 prefix initialised by `wineboot -i` to the end
# (a program started before that ends gets error 126 from LoadLibrary), once per key: Wine's and
# qemu-i386's versions and a recipe number. A second run finds it and does nothing.
ONSHI_WINE32_PREFIX_RECIPE=2
wine32_prefix() {
  local cache
  cache=$(realpath -m "$1")
  local key
  key="recipe=$ONSHI_WINE32_PREFIX_RECIPE;$(dpkg-query -W -f='${Version}' wine32:i386);$("$ONSHI_QEMU_I386" --version | head -n1)"
  if [ -f "$cache/key" ] && [ "$(cat "$cache/key")" = "$key" ] && [ -d "$cache/prefix/drive_c" ]; then
    echo "cached"
    return 0
  fi
  rm -rf "$cache"
  mkdir -p "$cache"
  (
    wine32_environment
    export WINEPREFIX=$cache/prefix
    # Under qemu 7.2 the first wine gave up waiting for the prefix's creation ("could not load
    # kernel32.dll") while wineboot --init carried on: what counts is that it ends
    # (wineserver -w) with the system DLLs and the registry in place.
    "$ONSHI_WINE32" wineboot -i || echo "wineboot -i exited $?; waiting for the prefix's creation to end"
    wineserver -w
    [ -f "$WINEPREFIX/drive_c/windows/system32/kernel32.dll" ] && [ -f "$WINEPREFIX/system.reg" ] \
      || { echo "wineboot left no complete prefix in $WINEPREFIX" >&2; exit 1; }
  )
  echo "$key" >"$cache/key"
  echo "initialised"
}
