# Warnings are errors in our own code (never in third-party headers, which come in as SYSTEM).
# (-Wnull-dereference is left out: GCC 12 reports it inside libstdc++ streams at -O2.)
add_library(onshi_warnings INTERFACE)
if(MSVC)
  target_compile_options(onshi_warnings INTERFACE /W4 /WX)
else()
  target_compile_options(onshi_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Werror -Wshadow -Wconversion -Wno-sign-conversion -Wcast-align
    -Wimplicit-fallthrough -Wformat=2
    $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual>)
endif()
