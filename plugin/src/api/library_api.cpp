// Library-level entry points: versions, status texts, onshi_free.
#include "api/exception_barrier.h"
#include "util/status_text.h"

#include <cstdlib>

#ifndef ONSHI_VERSION_STRING
#error "ONSHI_VERSION_STRING must come from the build"
#endif

extern "C" {

ONSHI_API uint32_t ONSHI_CALL onshi_abi_version(void) { return ONSHI_ABI_VERSION; }

ONSHI_API const char *ONSHI_CALL onshi_version(void) { return ONSHI_VERSION_STRING; }

ONSHI_API const char *ONSHI_CALL onshi_status_name(onshi_status status) { return onshi::status_name(status); }

ONSHI_API const char *ONSHI_CALL onshi_status_message(onshi_status status, const char *locale) {
    return onshi::status_message(status, locale && std::string_view(locale) == "en" ? "en" : "ja");
}

ONSHI_API void ONSHI_CALL onshi_free(void *memory) { std::free(memory); }

}  // extern "C"
