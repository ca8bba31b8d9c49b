// FALLBACK ONLY: the next step after a failure when the library does not say it.
//
// A failed job's result JSON carries "message" (a sentence for the clerk), "action" (the next step)
// and "detail" (for IT) since ABI 1.1; the screen shows those. A 1.0 library gives neither
// "action" nor a clerk's sentence: the screen then shows onshi_status_message(status, "ja") and the
// next step from this small table. Keep it small: the library's texts are the reference.
#ifndef ONSHI_QT_HOST_FALLBACK_GUIDANCE_H
#define ONSHI_QT_HOST_FALLBACK_GUIDANCE_H

#include <onshi/onshi.h>

namespace reception {

// The next step for a status, in Japanese (never null; a generic one for the statuses not listed).
const char *fallback_next_action(onshi_status status);

} // namespace reception

#endif
