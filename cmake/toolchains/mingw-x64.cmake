# Cross-build for 64-bit Windows with Debian's mingw-w64 (posix threads). The libraries onshi.dll
# links statically come from scripts/windows/build-deps.sh (build/windows-deps/x64).
set(ONSHI_MINGW_TRIPLET x86_64-w64-mingw32)
set(ONSHI_WINDOWS_ARCH x64)
include(${CMAKE_CURRENT_LIST_DIR}/mingw-common.cmake)
