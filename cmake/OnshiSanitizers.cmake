# One sanitizer flavour per build tree: the CI runs an 'asan' tree (ASan+UBSan), a 'tsan' tree and
# a 'fuzz' tree.
if(ONSHI_SANITIZER STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
elseif(ONSHI_SANITIZER STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(ONSHI_SANITIZER STREQUAL "fuzzer")
  # The fuzz tree (clang): coverage for libFuzzer everywhere, ASan+UBSan as in 'address'; only
  # the fuzz targets link libFuzzer itself (-fsanitize=fuzzer, tests/fuzz).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
                      -fsanitize-ignorelist=${CMAKE_SOURCE_DIR}/tests/fuzz/sanitizer-ignorelist.txt)
  add_link_options(-fsanitize=address,undefined)
elseif(NOT ONSHI_SANITIZER STREQUAL "")
  message(FATAL_ERROR "ONSHI_SANITIZER must be '', 'address', 'thread' or 'fuzzer'")
endif()
