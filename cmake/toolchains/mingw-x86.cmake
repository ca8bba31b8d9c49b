# Cross-build for 32-bit Windows (many receipt programs are 32-bit) with Debian's mingw-w64
# (posix threads). Runs here under 32-bit Wine emulated by qemu-i386 (docs/windows.md).
set(ONSHI_MINGW_TRIPLET i686-w64-mingw32)
set(ONSHI_WINDOWS_ARCH x86)
include(${CMAKE_CURRENT_LIST_DIR}/mingw-common.cmake)
