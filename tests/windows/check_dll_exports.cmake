# onshi.dll's export table must name exactly the functions the header and onshi.def declare, with
# undecorated names (no _name@N from __stdcall on x86: VB, Delphi and C# declare them by their
# plain names), and the DLL may import system DLLs only (everything else is linked statically, so
# an installer deploys one file).
#   cmake -DDLL=onshi.dll -DHEADER=onshi.h -DDEF=onshi.def -DOBJDUMP=...-objdump -P check_dll_exports.cmake
cmake_policy(SET CMP0057 NEW)  # if(IN_LIST)
include(${CMAKE_CURRENT_LIST_DIR}/../abi/declared_names.cmake)
onshi_declared_names(${HEADER} ${DEF} declared in_def)

execute_process(COMMAND ${OBJDUMP} -p ${DLL} OUTPUT_VARIABLE dump RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${OBJDUMP} -p failed on ${DLL}")
endif()
string(REPLACE "\n" ";" lines "${dump}")

# Exports: the lines after "[Ordinal/Name Pointer] Table" look like "\t[   0] onshi_abi_version".
set(exported)
set(in_names FALSE)
foreach(l IN LISTS lines)
  if(l MATCHES "\\[Ordinal/Name Pointer\\] Table")
    set(in_names TRUE)
  elseif(in_names AND l MATCHES "^[ \t]*\\[ *[0-9]+\\] (.+)$")
    list(APPEND exported ${CMAKE_MATCH_1})
  elseif(in_names)
    set(in_names FALSE)
  endif()
endforeach()
list(SORT exported)
if(NOT exported)
  message(FATAL_ERROR "no export table found in ${DLL}")
endif()
foreach(name IN LISTS exported)
  if(name MATCHES "@" OR name MATCHES "^_")
    message(FATAL_ERROR "decorated export '${name}': onshi.def must give undecorated names")
  endif()
endforeach()
if(NOT declared STREQUAL exported)
  message(FATAL_ERROR "header declares:\n  ${declared}\n${DLL} exports:\n  ${exported}")
endif()
if(NOT declared STREQUAL in_def)
  message(FATAL_ERROR "header declares:\n  ${declared}\nonshi.def lists:\n  ${in_def}")
endif()

# Imports: only DLLs every Windows has. No libstdc++-6.dll, libwinpthread-1.dll, libssl-3.dll,
# libcurl.dll, zlib1.dll …
set(system_dlls ADVAPI32.dll bcrypt.dll CRYPT32.dll GDI32.dll KERNEL32.dll msvcrt.dll ole32.dll
    SHELL32.dll USER32.dll WINSCARD.dll WS2_32.dll IPHLPAPI.DLL WLDAP32.dll Secur32.dll Normaliz.dll)
string(TOLOWER "${system_dlls}" system_lower)
set(imports)
foreach(l IN LISTS lines)
  if(l MATCHES "DLL Name: (.+)$")
    string(STRIP "${CMAKE_MATCH_1}" dll)
    list(APPEND imports ${dll})
    string(TOLOWER "${dll}" lower)
    if(NOT lower IN_LIST system_lower)
      message(FATAL_ERROR "${DLL} imports ${dll}, which is not a system DLL (link it statically)")
    endif()
  endif()
endforeach()
list(LENGTH declared n)
message(STATUS "${n} undecorated exports agree with the header and onshi.def; imports: ${imports}")
