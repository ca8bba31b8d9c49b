#!/usr/bin/env bash
# The packaging, end to end from a built tree:
#   1. cmake --install into a temporary prefix; the layout (SONAME links, headers, config, .pc);
#   2. an out-of-tree consumer built against it with find_package(onshi CONFIG) and with pkg-config;
#   3. cpack -G DEB and TGZ; the .deb installed with dpkg -i, `onshi-check --readers` run from it
#      (it must load the installed libonshi), then dpkg -P (remove + purge) — also when a step fails.
# Step 3 needs root (CI is root on a throw-away machine); without root it is left out.
#   run_package_test.sh SOURCE_DIR BUILD_DIR WORK_DIR
set -euo pipefail
src=$1 build=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
step() { echo "== $*"; }

step "cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
libdir=$(cd "$prefix" && dirname "$(find . -name 'libonshi.so.1' | head -n1)")
for f in "$libdir/libonshi.so.1" "$libdir/libonshi.so" include/onshi/onshi.h include/onshi/host_sdk.hpp \
         "$libdir/cmake/onshi/onshiConfig.cmake" "$libdir/cmake/onshi/onshiConfigVersion.cmake" \
         "$libdir/pkgconfig/onshi.pc" bin/onshi-check share/doc/onshi/README.md \
         share/doc/onshi/samples/c-host/main.c; do
  [ -e "$prefix/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
[ -L "$prefix/$libdir/libonshi.so.1" ] && [ -L "$prefix/$libdir/libonshi.so" ] || { echo "FAIL: SONAME links"; exit 1; }
soname=$(readelf -d "$prefix/$libdir/libonshi.so.1" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = libonshi.so.1 ] || { echo "FAIL: SONAME is '$soname'"; exit 1; }
if readelf -d "$prefix/bin/onshi-check" | grep -qE 'RPATH|RUNPATH'; then echo "FAIL: installed onshi-check keeps a RUNPATH"; exit 1; fi
echo "layout ok ($libdir/libonshi.so.1 -> $(readlink "$prefix/$libdir/libonshi.so.1"))"

step "consumer via find_package(onshi CONFIG)"
cmake -S "$src/tests/package/consumer" -B "$work/consumer-cmake" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Release >"$work/consumer-cmake.log"
cmake --build "$work/consumer-cmake" >>"$work/consumer-cmake.log"
"$work/consumer-cmake/consumer"   # the imported target's location gives the RUNPATH

step "consumer via pkg-config"
export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
echo "pkg-config: $(pkg-config --modversion onshi) $(pkg-config --cflags --libs onshi)"
# shellcheck disable=SC2046
cc -std=c99 -Wall -Werror -o "$work/consumer-pc" "$src/tests/package/consumer/consumer.c" $(pkg-config --cflags --libs onshi)
LD_LIBRARY_PATH=$prefix/$libdir "$work/consumer-pc"

step "cpack -G DEB / TGZ"
(cd "$build" && cpack -G "DEB;TGZ" -B "$work/packages" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/packages/onshi_*.deb)
tgz=$(ls "$work"/packages/onshi-*.tar.gz)
dpkg-deb --info "$deb" | grep -E "Package|Version|Depends"
tar -tzf "$tgz" >"$work/tgz.list"
grep -q 'libonshi.so.1$' "$work/tgz.list" || { echo "FAIL: the TGZ has no libonshi.so.1"; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  echo "not root: the .deb is built but not installed"
  exit 0
fi
if dpkg-query -W -f='${Status}' onshi 2>/dev/null | grep -q "install ok installed"; then
  echo "FAIL: a package 'onshi' is already installed on this machine; not touching it"
  exit 1
fi
step "dpkg -i $(basename "$deb")"
trap 'dpkg -P onshi >/dev/null 2>&1 || true' EXIT
dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; exit 1; }
installed=$(command -v onshi-check)
echo "onshi-check: $installed"
# Which libonshi did it load? The dynamic loader's trace says.
out=$(cd / && env -u PCSCLITE_CSOCK_NAME -u LD_LIBRARY_PATH LD_DEBUG=files onshi-check --readers 2>&1 || true)
# libonshi's own dependencies are "needed by" the file that was really loaded.
loaded=$(grep -oE 'needed by [^ ]*libonshi\.so\.1' <<<"$out" | head -n1 | sed 's/needed by //' || true)
echo "loaded: ${loaded:-nothing}"
grep -vE "^ *[0-9]+:" <<<"$out" || true
packaged=$(dpkg -L onshi | grep 'libonshi\.so\.1$' | head -n1)
if [ -z "$loaded" ] || [ "$(readlink -f "$loaded")" != "$(readlink -f "$packaged")" ]; then
  echo "FAIL: onshi-check did not load the packaged library $packaged"
  exit 1
fi
grep -qE 'ONSHI_E_PCSC_UNAVAILABLE|Virtual PCD|"name"|カードリーダー|reader' <<<"$out" \
  || { echo "FAIL: no reader list and no ONSHI_E_PCSC_UNAVAILABLE"; exit 1; }
step "dpkg -P onshi (remove and purge)"
dpkg -P onshi >"$work/dpkg-r.log" 2>&1
trap - EXIT
[ ! -e /usr/bin/onshi-check ] || { echo "FAIL: onshi-check still installed"; exit 1; }
echo "package test passed"
