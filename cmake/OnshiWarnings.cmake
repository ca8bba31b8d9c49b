# Warnings are errors in our own code (never in third-party headers, which come in as SYSTEM).
# (-Wnull-dereference is left out: GCC 12 reports it inside libstdc++ streams at -O2.)
add_library(onshi_warnings INTERFACE)
if(MSVC)
  target_compile_options(onshi_warnings INTERFACE /W4 /WX)
else()
  target_compile_options(onshi_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Werror -Wshadow -Wconversion -Wno-sign-conversion -Wcast-align
    -Wimplicit-fallthrough -Wformat=2
    $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual>
    # clang (the fuzz tree, clang-tidy): RapidJSON 1.1's member iterators predate C++20, so every
    # `it != MemberEnd()` on a mutable document is "ambiguous" with the reversed operator==; the
    # comparison is well defined and both candidates do the same.
    $<$<CXX_COMPILER_ID:Clang>:-Wno-ambiguous-reversed-operator>)
endif()
