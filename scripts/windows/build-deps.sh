#!/usr/bin/env bash
# Cross-builds the libraries onshi.dll links statically (OpenSSL, libcurl, libpng, openjpeg,
# pugixml) from Debian's own source packages with mingw-w64, into the machine's cache
# ($ONSHI_CACHE_DIR/windows-deps/<key>, one folder per architecture, recipe and versions), linked
# from build/windows-deps/<arch>/{include,lib,lib/cmake,lib/pkgconfig} where the toolchain looks.
# zlib comes from Debian's libz-mingw-w64-dev. A second run with the same key does nothing.
#
#   scripts/windows/build-deps.sh x64|x86
#
# Needs deb-src entries (scripts/windows/ensure-deb-src.sh) and dpkg-dev (dpkg-source applies
# Debian's patches). Static libraries only, -j2, the curl protocols and features onshi does not use
# switched off, so that a run from scratch stays within a few minutes on 2 cores.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"

arch=${1:?usage: build-deps.sh x64|x86}
case $arch in
  x64) triplet=x86_64-w64-mingw32; openssl_target=mingw64; openssl_arch_options="" ;;
  # x86: OpenSSL's 32-bit assembly uses GOT-relative relocations that mingw's assembler cannot
  # represent in COFF (binutils 2.40: "cannot represent relocation type BFD_RELOC_386_GOTPC").
  x86) triplet=i686-w64-mingw32; openssl_target=mingw; openssl_arch_options=no-asm ;;
  *) echo "unknown architecture '$arch' (x64 or x86)" >&2; exit 2 ;;
esac

# Source packages and the suite each comes from. openssl: the bookworm-security .dsc is often
# missing on the mirror (404), bookworm-updates has a complete set.
SOURCES=(openssl/bookworm-updates curl libpng1.6/bookworm openjpeg2 pugixml)
# Bumped when the build recipe below changes, so that caches built by an older recipe are rebuilt.
RECIPE=4

deps_root=$ONSHI_ROOT/build/windows-deps
link=$deps_root/$arch
cache=$ONSHI_CACHE_DIR/windows-deps
src_dir=$cache/src
work=$deps_root/work/$arch
jobs=${ONSHI_JOBS:-2}

# The cache key: architecture, recipe, compiler and the exact source versions apt would fetch.
versions=""
declare -A dsc_of
for s in "${SOURCES[@]}"; do
  dsc=$(apt-get source --print-uris -qq "$s" 2>/dev/null | grep -o "[^/' ]*\.dsc" | head -n1 || true)
  [ -n "$dsc" ] || { echo "no source package $s: deb-src entries missing? (scripts/windows/ensure-deb-src.sh)" >&2; exit 1; }
  dsc=${dsc//%7e/\~}; dsc=${dsc//%2b/+}
  dsc_of[$s]=$dsc
  versions+="$dsc;"
done
key="$arch;recipe=$RECIPE;$($triplet-gcc --version | head -n1);$versions"
prefix=$cache/$arch-$(printf %s "$key" | sha256sum | cut -c1-16)
use_cached() {
  rm -rf "$link"  # a symbolic link, or the real folder of an older recipe
  mkdir -p "$deps_root"
  ln -s "$prefix" "$link"
}
mkdir -p "$cache"
# One build at a time per architecture on the machine (two clones may run at once).
exec 9>"$cache/.lock-$arch"
flock 9
if [ -f "$prefix/.key" ] && [ "$(cat "$prefix/.key")" = "$key" ]; then
  use_cached
  echo "windows deps ($arch): cached in $prefix"
  exit 0
fi

rm -rf "$prefix" "$work"
mkdir -p "$src_dir" "$prefix" "$work"

# Fetch (once for both architectures) and unpack with Debian's patches applied.
fetch() {
  local spec=$1 dsc=${dsc_of[$1]}
  local pkg=${spec%%/*}
  if [ ! -f "$src_dir/$dsc" ]; then
    ( cd "$src_dir" && apt-get source -qq --download-only "$spec" >/dev/null 2>&1 ) || true
    [ -f "$src_dir/$dsc" ] || { echo "cannot fetch the source package $spec ($dsc)" >&2; exit 1; }
  fi
  local out=$work/$pkg
  rm -rf "$out"
  dpkg-source --no-check -x "$src_dir/$dsc" "$out" >/dev/null
  echo "$out"
}

cmake_cross() {  # cmake_cross SRC BUILD [cmake args...]
  local src=$1 bld=$2; shift 2
  cmake -S "$src" -B "$bld" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_TOOLCHAIN_FILE="$ONSHI_ROOT/cmake/toolchains/mingw-$arch.cmake" \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
    -DBUILD_SHARED_LIBS=OFF -DBUILD_TESTING=OFF "$@"
  cmake --build "$bld" -j "$jobs"
  cmake --install "$bld"
}

start=$(date +%s)

# --- OpenSSL: static libraries only (build_libs), no tests, and without what neither onshi nor
# libcurl uses (legacy ciphers, engines, protocols older than TLS 1.2, DTLS, CMP, CT, TS, SM*, GOST),
# which also keeps the build short.
src=$(fetch "${SOURCES[0]}")
( cd "$src"
  ./Configure "$openssl_target" --cross-compile-prefix=$triplet- --prefix="$prefix" --libdir=lib \
      no-shared no-tests no-legacy no-engine no-comp no-srp no-idea no-camellia no-seed no-bf no-cast \
      no-rc2 no-rc4 no-rc5 no-md4 no-mdc2 no-whirlpool no-siphash no-sm2 no-sm3 no-sm4 no-aria \
      no-gost no-cmp no-ct no-ts no-srtp no-ocb no-dtls no-ssl3 no-tls1 no-tls1_1 no-ui-console \
      $openssl_arch_options
  make -j"$jobs" build_libs
  make install_dev ) >"$work/openssl.log" 2>&1 || { tail -n 40 "$work/openssl.log"; exit 1; }
echo "windows deps ($arch): openssl $(( $(date +%s) - start )) s"

# --- libcurl over that OpenSSL: HTTP(S) only, no CA bundle baked in from the build machine
# (onshi always sets the configured CA), no compression/IDN/PSL/SSH/LDAP.
src=$(fetch "${SOURCES[1]}")
cmake_cross "$src" "$work/curl-build" \
  -DHTTP_ONLY=ON -DBUILD_CURL_EXE=OFF -DCURL_USE_OPENSSL=ON -DCURL_USE_SCHANNEL=OFF \
  -DOPENSSL_ROOT_DIR="$prefix" -DOPENSSL_USE_STATIC_LIBS=ON \
  -DCURL_CA_BUNDLE=none -DCURL_CA_PATH=none -DCURL_CA_FALLBACK=OFF \
  -DCURL_USE_LIBSSH2=OFF -DCURL_USE_LIBSSH=OFF -DCURL_ZLIB=OFF -DCURL_BROTLI=OFF -DCURL_ZSTD=OFF \
  -DUSE_LIBIDN2=OFF -DUSE_NGHTTP2=OFF -DCURL_USE_LIBPSL=OFF -DCURL_DISABLE_LDAP=ON \
  -DCURL_WINDOWS_SSPI=OFF -DCURL_DISABLE_COOKIES=ON -DENABLE_UNIX_SOCKETS=OFF \
  -DENABLE_MANUAL=OFF -DCURL_DISABLE_ALTSVC=ON -DCURL_DISABLE_HSTS=ON >"$work/curl.log" 2>&1 \
  || { tail -n 40 "$work/curl.log"; exit 1; }
echo "windows deps ($arch): +curl $(( $(date +%s) - start )) s"

# --- pugixml, libpng (over mingw zlib), openjpeg (library only).
src=$(fetch "${SOURCES[4]}")
cmake_cross "$src" "$work/pugixml-build" >"$work/pugixml.log" 2>&1 || { tail -n 40 "$work/pugixml.log"; exit 1; }
src=$(fetch "${SOURCES[2]}")
cmake_cross "$src" "$work/png-build" -DPNG_SHARED=OFF -DPNG_STATIC=ON -DPNG_TESTS=OFF -DPNG_EXECUTABLES=OFF \
  -DZLIB_LIBRARY="/usr/$triplet/lib/libz.a" -DZLIB_INCLUDE_DIR="/usr/$triplet/include" \
  >"$work/png.log" 2>&1 || { tail -n 40 "$work/png.log"; exit 1; }
src=$(fetch "${SOURCES[3]}")
cmake_cross "$src" "$work/openjpeg-build" -DBUILD_CODEC=OFF -DBUILD_DOC=OFF -DBUILD_STATIC_LIBS=ON \
  >"$work/openjpeg.log" 2>&1 || { tail -n 40 "$work/openjpeg.log"; exit 1; }
# A static openjpeg needs OPJ_STATIC in its users, or openjpeg.h declares everything dllimport.
sed -i 's|^Cflags: \(.*\)$|Cflags: \1 -DOPJ_STATIC|' "$prefix/lib/pkgconfig/libopenjp2.pc"

rm -rf "$work"
echo "$key" >"$prefix/.key"
use_cached
echo "windows deps ($arch): built in $(( $(date +%s) - start )) s into $prefix"
