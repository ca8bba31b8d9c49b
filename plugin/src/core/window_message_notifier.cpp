#include "core/window_message_notifier.h"

#include "util/error.h"

#if defined(_WIN32)
#include <windows.h>
#endif

namespace onshi::core {

std::function<void(const Event &)> make_window_message_notifier(void *hwnd, std::uint32_t message) {
    if (!hwnd) return {};
#if defined(_WIN32)
    // A handle that is no window would make every PostMessage fail silently: say so now.
    if (!IsWindow(static_cast<HWND>(hwnd)))
        throw Error(ONSHI_E_INVALID_ARGUMENT, {"hwnd is not a window", "hwnd がウィンドウではありません"});
    return [window = static_cast<HWND>(hwnd), message](const Event &e) {
        PostMessageW(window, message, static_cast<WPARAM>(e.type), static_cast<LPARAM>(e.job));
    };
#else
    (void)message;
    throw Error(ONSHI_E_NOT_SUPPORTED, {"window messages exist only on Windows; use a callback or onshi_poll_event",
                                        "ウィンドウメッセージはWindowsのみです。コールバックか onshi_poll_event を使ってください"});
#endif
}

}  // namespace onshi::core
