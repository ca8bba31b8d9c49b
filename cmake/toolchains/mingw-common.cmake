# Shared part of the mingw-w64 toolchain files (mingw-x64.cmake, mingw-x86.cmake).
set(CMAKE_SYSTEM_NAME Windows)
if(ONSHI_WINDOWS_ARCH STREQUAL "x64")
  set(CMAKE_SYSTEM_PROCESSOR x86_64)
else()
  set(CMAKE_SYSTEM_PROCESSOR i686)
endif()
set(CMAKE_C_COMPILER ${ONSHI_MINGW_TRIPLET}-gcc-posix)
set(CMAKE_CXX_COMPILER ${ONSHI_MINGW_TRIPLET}-g++-posix)
set(CMAKE_RC_COMPILER ${ONSHI_MINGW_TRIPLET}-windres)

# The cross-built static libraries (cached in the build tree), then mingw's own sysroot.
get_filename_component(ONSHI_WINDOWS_DEPS "${CMAKE_CURRENT_LIST_DIR}/../../build/windows-deps/${ONSHI_WINDOWS_ARCH}" ABSOLUTE)
set(CMAKE_FIND_ROOT_PATH ${ONSHI_WINDOWS_DEPS} /usr/${ONSHI_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Static archives: onshi.dll must import system DLLs only. (mingw zlib also ships libz.dll.a, which
# FindZLIB prefers otherwise; CMAKE_FIND_LIBRARY_SUFFIXES cannot be set here, the Windows-GNU
# platform module resets it after the toolchain file.)
set(ZLIB_USE_STATIC_LIBS ON)
# Every EXE and DLL links libgcc, libstdc++ and winpthread statically: nothing to copy beside
# them, and Wine or a clean Windows finds no libstdc++-6.dll anyway.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")
set(OPENSSL_USE_STATIC_LIBS ON)

# pkg-config (openjpeg) must see the cross-built .pc files only, never the build machine's.
set(ENV{PKG_CONFIG_LIBDIR} "${ONSHI_WINDOWS_DEPS}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "")

# Header-only Debian packages (RapidJSON, Boost) through a directory holding only symlinks to them:
# -I/usr/include would put glibc's headers before mingw's. A RapidJSONConfig.cmake there answers
# find_package(RapidJSON CONFIG) with that directory. Boost.DLL uses std::filesystem (header-only).
set(ONSHI_WINDOWS_HEADER_LINKS "${ONSHI_WINDOWS_DEPS}-headers")
if(NOT EXISTS "${ONSHI_WINDOWS_HEADER_LINKS}/lib/cmake/RapidJSON/RapidJSONConfig.cmake")
  file(MAKE_DIRECTORY "${ONSHI_WINDOWS_HEADER_LINKS}/include")
  file(CREATE_LINK /usr/include/rapidjson "${ONSHI_WINDOWS_HEADER_LINKS}/include/rapidjson" SYMBOLIC)
  file(CREATE_LINK /usr/include/boost "${ONSHI_WINDOWS_HEADER_LINKS}/include/boost" SYMBOLIC)
  file(WRITE "${ONSHI_WINDOWS_HEADER_LINKS}/lib/cmake/RapidJSON/RapidJSONConfig.cmake"
    "set(RapidJSON_INCLUDE_DIRS \"${ONSHI_WINDOWS_HEADER_LINKS}/include\")\n")
endif()
list(APPEND CMAKE_FIND_ROOT_PATH ${ONSHI_WINDOWS_HEADER_LINKS})
set(CMAKE_C_FLAGS_INIT "-isystem ${ONSHI_WINDOWS_HEADER_LINKS}/include")
set(CMAKE_CXX_FLAGS_INIT "-isystem ${ONSHI_WINDOWS_HEADER_LINKS}/include -DBOOST_DLL_USE_STD_FS")

# ctest runs the test executables under Wine (scripts/windows/test-windows.sh sets up the prefix).
set(CMAKE_CROSSCOMPILING_EMULATOR wine)
