# Shared by scripts/*.sh: installs what a fresh Debian 12 machine lacks, runs steps quietly.
# shellcheck shell=bash

ONSHI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ONSHI_LOGS=${ONSHI_LOGS:-$ONSHI_ROOT/build/logs}

# What outlives a clone on this machine: the Windows libraries cross-built by
# scripts/windows/build-deps.sh, the Wine prefixes, and ccache's objects. A developer's second clone,
# and CI's fresh clone of a developer's machine, then skip what is already built (tests/README.md, "Caches").
ONSHI_CACHE_DIR=${ONSHI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/onshi}

# Every compile goes through ccache where it is installed. The paths it hashes are made relative to
# the clone and the build folder is left out of the hash, so that any clone of the repository on
# the machine shares the objects; ONSHI_CCACHE=0 turns it off.
if [ "${ONSHI_CCACHE:-1}" = 1 ] && command -v ccache >/dev/null 2>&1; then
  export CMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER:-ccache}
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ONSHI_ROOT} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
fi

# What building onshi, onshi-sandbox and onshi-check and running scripts/demo.sh need, from Debian's
# own packages. The default configure also sets up the test tree (GoogleTest, Google Benchmark,
# python3 and poppler-utils are REQUIRED there, though the demo builds no test), so they are here;
# everything optional to the configure (Qt, mono, abidiff, the Windows and clang toolchains) is not.
ONSHI_DEMO_PACKAGES=(
  # toolchain
  g++ cmake ninja-build pkg-config
  # libraries the plugin and the sandbox link
  libssl-dev rapidjson-dev libboost-dev libcurl4-openssl-dev libpcsclite-dev libpugixml-dev
  libopenjp2-7-dev libpng-dev libsqlite3-dev zlib1g-dev
  # the printable application form (利用申請書): cairo + pango and an embedded Japanese font
  libcairo2-dev libpango1.0-dev fonts-ipaexfont-gothic
  # what the default configure of the test tree requires
  libgtest-dev libgmock-dev libbenchmark-dev python3 poppler-utils
  # the sandbox: a private pcscd with vpcd readers
  pcscd vsmartcard-vpcd
)

# What the full test suite (scripts/test.sh) needs on top of the demo's set.
ONSHI_TEST_PACKAGES=(
  git
  # the compiler cache every build of the suite goes through (ONSHI_CACHE_DIR above)
  ccache
  # the ABI baseline check (abidiff)
  abigail-tools
  # the sandbox's tests: OpenSC as an independent client; the curl and openssl CLIs drive the
  # reference gateway; ss (iproute2) closes connections; ps, unshare
  opensc pcsc-tools openssl iproute2 util-linux procps curl
  # the .NET library (host-sdk/dotnet) and the C# sample host on it: mono's C# compiler, runtime
  # and class libraries (mono-devel), Debian's nuget to pack the .nupkg
  mono-mcs mono-runtime mono-devel nuget
  # the Delphi / Free Pascal sample host (samples/pascal-host, host-sdk/pascal)
  fp-compiler
  # the Qt sample host (samples/qt-host) and its test under a virtual X server (xvfb-run needs
  # xauth); its Japanese text uses fonts-ipaexfont-gothic above, Qt's Japanese standard buttons
  # (OK / キャンセル / はい / いいえ) come from qt6-translations-l10n (qtbase_ja.qm); openbox gives
  # the window and its dialogs title bars in the test's screenshots (docs/images/qt-host)
  qt6-base-dev xvfb xauth qt6-translations-l10n openbox
  # the package test: cpack DEB computes the runtime dependencies with dpkg-shlibdeps
  dpkg-dev
  # Windows (docs/windows.md): mingw-w64 for onshi.dll x64 and x86, zlib for mingw, Wine to run the
  # x64 tests (libgnutls30 is only a Recommends of Wine's Schannel), NSIS for the sample installer,
  # wixl and msiinfo (msitools) for the sample MSI, osslsigncode for Authenticode
  g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix g++-mingw-w64-i686-posix gcc-mingw-w64-i686-posix
  libz-mingw-w64-dev wine wine64 libgnutls30 nsis wixl msitools osslsigncode
  # fuzzing (scripts/fuzz.sh): clang with libFuzzer and the sanitizer runtimes (libclang-rt-14-dev)
  clang-14 libclang-rt-14-dev
  # static checks (scripts/static-checks.sh)
  clang-tidy-14 cppcheck
  # the terminal key in a TPM 2.0 (key_store "tpm"): OpenSSL 3's tpm2 provider, and swtpm, a software
  # TPM the registration integration test starts itself, reached directly through the swtpm TCTI
  tpm2-openssl swtpm swtpm-tools libtss2-tcti-swtpm0
)

# The x86 part of the Windows tests (scripts/windows/emulated-wine32.sh): Debian's 32-bit Wine from
# the i386 architecture (which that script enables first). The qemu-i386 that runs Wine's 32-bit
# loader where the kernel does not run 32-bit programs comes from backports (wine32_qemu).
ONSHI_WINDOWS_X86_PACKAGES=(wine32:i386)

# ensure_packages [demo]: installs what is missing of the demo's set, or (no argument) of everything
# the tests need.
ensure_packages() {
  local wanted=("${ONSHI_DEMO_PACKAGES[@]}")
  [ "${1:-}" = demo ] || wanted+=("${ONSHI_TEST_PACKAGES[@]}")
  install_missing_packages "${wanted[@]}"
}

# install_missing_packages PKG...: apt-get installs those not installed yet (PKG may be name:arch).
# A failed apt-get update is not fatal by itself (one index of a mirror in mid-sync fails it while
# the others are fine); the install then says whether what is there suffices.
install_missing_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  mkdir -p "$ONSHI_LOGS"
  if ! { { $sudo apt-get update -qq || echo "apt-get update failed; installing from the indexes there are"; } \
         && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
      >"$ONSHI_LOGS/apt.log" 2>&1; then
    tail -n 30 "$ONSHI_LOGS/apt.log"
    echo "apt-get failed (full log: $ONSHI_LOGS/apt.log)" >&2
    return 1
  fi
}

# run_quiet NAME CMD...: the output goes to a log; it is shown only when the step fails.
run_quiet() {
  local name=$1; shift
  mkdir -p "$ONSHI_LOGS"
  local log="$ONSHI_LOGS/${name//[^A-Za-z0-9_.-]/_}.log"
  if ! "$@" >"$log" 2>&1; then
    tail -n 80 "$log"
    echo "FAILED: $name (full log: $log)" >&2
    return 1
  fi
}

# configure_and_build PRESET [TARGET...]
configure_and_build() {
  local preset=$1; shift
  run_quiet "configure-$preset" cmake --preset "$preset"
  if [ $# -gt 0 ]; then
    run_quiet "build-$preset" cmake --build --preset "$preset" --target "$@"
  else
    run_quiet "build-$preset" cmake --build --preset "$preset"
  fi
}

# run_ctest PRESET [ctest args...]: prints ctest's closing lines, everything on failure.
run_ctest() {
  local preset=$1; shift
  local log="$ONSHI_LOGS/ctest-$preset.log"
  if ctest --preset "$preset" "$@" >"$log" 2>&1; then
    grep -E "tests passed|Total Test time" "$log" | sed "s/^/[$preset] /"
  else
    { grep -E -A200 "The following tests FAILED|tests passed" "$log" | head -n 60; } || true
    { grep -E -B5 -A60 "\*\*\*Failed|\*\*\*Exception|\*\*\*Timeout" "$log" | head -n 200; } || true
    echo "FAILED: ctest $preset (full log: $log)" >&2
    return 1
  fi
}
