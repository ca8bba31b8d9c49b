// Event delivery by window message, the Windows host's style: onshi posts (message, event type,
// job id) from its own thread to a window of the host's UI thread, whose message loop then drains
// the queue with onshi_poll_event. The window is message-only (HWND_MESSAGE), which is what a host
// without a visible window would use, and which Wine creates without a display.
#include <onshi/onshi.h>

#include <gtest/gtest.h>

#include <windows.h>

#include <vector>

namespace {

constexpr UINT kOnshiMessage = WM_APP + 7;

struct Seen {
    std::vector<std::pair<WPARAM, LPARAM>> messages;
    DWORD thread = 0;
};

LRESULT CALLBACK window_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp) {
    if (msg == kOnshiMessage) {
        auto *seen = reinterpret_cast<Seen *>(GetWindowLongPtrW(hwnd, GWLP_USERDATA));
        seen->messages.emplace_back(wp, lp);
        seen->thread = GetCurrentThreadId();
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

class WindowEventsTest : public ::testing::Test {
protected:
    void SetUp() override {
        WNDCLASSW wc{};
        wc.lpfnWndProc = window_proc;
        wc.hInstance = GetModuleHandleW(nullptr);
        wc.lpszClassName = L"onshi-test-events";
        RegisterClassW(&wc);
        hwnd_ = CreateWindowExW(0, L"onshi-test-events", L"", 0, 0, 0, 0, 0, HWND_MESSAGE, nullptr, wc.hInstance, nullptr);
        ASSERT_NE(hwnd_, nullptr) << "CreateWindowEx(HWND_MESSAGE) failed: " << GetLastError();
        SetWindowLongPtrW(hwnd_, GWLP_USERDATA, reinterpret_cast<LONG_PTR>(&seen_));
        ASSERT_EQ(onshi_open(R"({"pcsc": {"enabled": false}})", &ctx_), ONSHI_OK) << onshi_last_error(nullptr);
    }
    void TearDown() override {
        onshi_close(ctx_);
        if (hwnd_) DestroyWindow(hwnd_);
    }

    // Runs this thread's message loop until a message for `job` with a final event type came.
    bool pump_until_final(onshi_job_id job, DWORD timeout_ms) {
        const DWORD start = GetTickCount();
        while (GetTickCount() - start < timeout_ms) {
            MSG msg;
            while (PeekMessageW(&msg, nullptr, 0, 0, PM_REMOVE)) {
                TranslateMessage(&msg);
                DispatchMessageW(&msg);
            }
            for (const auto &[type, id] : seen_.messages)
                if (static_cast<onshi_job_id>(id) == job &&
                    (type == ONSHI_EVENT_DONE || type == ONSHI_EVENT_FAILED || type == ONSHI_EVENT_CANCELLED))
                    return true;
            MsgWaitForMultipleObjects(0, nullptr, FALSE, 50, QS_ALLINPUT);
        }
        return false;
    }

    HWND hwnd_ = nullptr;
    onshi_context *ctx_ = nullptr;
    Seen seen_;
};

TEST_F(WindowEventsTest, JobEventsArriveAsMessagesInTheWindowsThread) {
    ASSERT_EQ(onshi_set_event_window(ctx_, hwnd_, kOnshiMessage), ONSHI_OK);
    onshi_job_id job = 0;
    // Without a credential_dir the terminal status job ends at once (not enrolled): no card, no network.
    ASSERT_EQ(onshi_terminal_status(ctx_, &job), ONSHI_OK);
    ASSERT_NE(job, 0u);
    ASSERT_TRUE(pump_until_final(job, 10000)) << "no final event message for job " << job;
    EXPECT_EQ(seen_.thread, GetCurrentThreadId()) << "the window procedure runs on the window's thread";

    // The message only rings the bell: the event itself is waiting in the queue.
    onshi_event ev{};
    ev.struct_size = sizeof ev;
    bool found = false;
    while (onshi_poll_event(ctx_, 0, &ev) == ONSHI_OK) {
        if (ev.job == job && ev.type == ONSHI_EVENT_DONE) found = true;
    }
    EXPECT_TRUE(found) << "the job's DONE event was queued for onshi_poll_event";
    // Every queued event rang once: the message's WPARAM/LPARAM are the event's type and job.
    bool message_for_done = false;
    for (const auto &[type, id] : seen_.messages)
        if (type == ONSHI_EVENT_DONE && static_cast<onshi_job_id>(id) == job) message_for_done = true;
    EXPECT_TRUE(message_for_done);
}

TEST_F(WindowEventsTest, NullWindowStopsTheMessages) {
    ASSERT_EQ(onshi_set_event_window(ctx_, hwnd_, kOnshiMessage), ONSHI_OK);
    ASSERT_EQ(onshi_set_event_window(ctx_, nullptr, 0), ONSHI_OK);
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_terminal_status(ctx_, &job), ONSHI_OK);
    ASSERT_EQ(onshi_job_wait(ctx_, job, 10000, nullptr), ONSHI_OK);
    EXPECT_FALSE(pump_until_final(job, 300));
    EXPECT_TRUE(seen_.messages.empty());
}

TEST_F(WindowEventsTest, WindowThatIsNotAWindowIsRefused) {
    EXPECT_EQ(onshi_set_event_window(ctx_, reinterpret_cast<void *>(static_cast<uintptr_t>(0x1234)), kOnshiMessage), ONSHI_E_INVALID_ARGUMENT);
}

}  // namespace
