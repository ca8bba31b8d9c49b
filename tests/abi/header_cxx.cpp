// The header as C++ (warnings are errors): the extern "C" block and the types work in C++.
#include <onshi/onshi.h>

#include <type_traits>

static_assert(std::is_standard_layout_v<onshi_event>);
static_assert(std::is_same_v<decltype(&onshi_open), onshi_status(ONSHI_CALL *)(const char *, onshi_context **)>);
