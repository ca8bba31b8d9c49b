# The two lists every export check starts from: the functions onshi.h declares and the names
# onshi.def lists, each sorted. Included by check_exports.cmake (ELF) and
# tests/windows/check_dll_exports.cmake (PE).
function(onshi_declared_names header_file def_file out_declared out_def)
  file(READ ${header_file} header)
  string(REGEX MATCHALL "ONSHI_CALL (onshi_[a-z0-9_]+)\\(" decls "${header}")
  set(declared)
  foreach(d IN LISTS decls)
    string(REGEX REPLACE "ONSHI_CALL (onshi_[a-z0-9_]+)\\(" "\\1" name "${d}")
    list(APPEND declared ${name})
  endforeach()
  list(SORT declared)

  file(STRINGS ${def_file} def_lines REGEX "^[ \t]+onshi_")
  set(in_def)
  foreach(l IN LISTS def_lines)
    string(STRIP "${l}" name)
    list(APPEND in_def ${name})
  endforeach()
  list(SORT in_def)

  set(${out_declared} "${declared}" PARENT_SCOPE)
  set(${out_def} "${in_def}" PARENT_SCOPE)
endfunction()
