// The Windows event style: after each queued event, PostMessage(hwnd, message, type, job) so the
// host's UI thread drains the queue with onshi_poll_event. The only window-system code in onshi.
#pragma once

#include "core/event.h"

#include <cstdint>
#include <functional>

namespace onshi::core {

// The notifier for EventDispatcher::set_notifier. nullptr hwnd gives an empty function (none); a
// handle that is no window is Error(ONSHI_E_INVALID_ARGUMENT). Throws Error(ONSHI_E_NOT_SUPPORTED)
// on platforms without window messages.
std::function<void(const Event &)> make_window_message_notifier(void *hwnd, std::uint32_t message);

}  // namespace onshi::core
