// Host mistakes get a status code: never a crash, a hang or a leak (ASan runs this file too).
#include <onshi/onshi.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr const char *kNoPcsc = R"({"pcsc":{"enabled":false}})";

// Runs `body` on a thread of its own and fails (instead of hanging ctest) when it has not
// returned within a minute: a hang detector, not a speed goal.
void without_hanging(const char *what, const std::function<void()> &body) {
    auto done = std::async(std::launch::async, body);
    if (done.wait_for(std::chrono::minutes(1)) != std::future_status::ready) {
        ADD_FAILURE() << what << " did not return within a minute (a hang)";
        std::_Exit(1);  // the blocked thread cannot be joined
    }
    done.get();
}

// True when `s` is one of the statuses the header defines.
bool known_status(onshi_status s) { return std::string(onshi_status_name(s)) != "ONSHI_E_UNKNOWN"; }

TEST(Misuse, NullArguments) {
    EXPECT_EQ(onshi_open(nullptr, nullptr), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_close(nullptr), ONSHI_OK);
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    EXPECT_EQ(onshi_check_eligibility(ctx, "{}", nullptr, nullptr), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_list_readers(ctx, nullptr), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_poll_event(ctx, 0, nullptr), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_job_result(ctx, 1, nullptr), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_provide_pin(ctx, 1, nullptr, 0), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_result_json(nullptr, nullptr), ONSHI_E_INVALID_ARGUMENT);
    const char *json = nullptr;
    EXPECT_EQ(onshi_result_json(nullptr, &json), ONSHI_E_INVALID_HANDLE);
    onshi_result_free(nullptr);
    onshi_free(nullptr);
    EXPECT_STREQ(onshi_last_error(reinterpret_cast<onshi_context *>(0x1234)), "");
    onshi_close(ctx);
}

TEST(Misuse, DanglingAndDoubleClosedHandles) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    ASSERT_EQ(onshi_close(ctx), ONSHI_OK);
    EXPECT_EQ(onshi_close(ctx), ONSHI_E_INVALID_HANDLE);
    onshi_job_id job = 0;
    EXPECT_EQ(onshi_check_eligibility(ctx, "{}", nullptr, &job), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_job_cancel(ctx, 1), ONSHI_E_INVALID_HANDLE);
    char *readers = nullptr;
    EXPECT_EQ(onshi_list_readers(ctx, &readers), ONSHI_E_INVALID_HANDLE);
    auto *garbage = reinterpret_cast<onshi_context *>(0xdeadbeef);
    EXPECT_EQ(onshi_job_wait(garbage, 1, 0, nullptr), ONSHI_E_INVALID_HANDLE);
    auto *bad_result = reinterpret_cast<onshi_result *>(0xdeadbeef);
    const char *json = nullptr;
    EXPECT_EQ(onshi_result_json(bad_result, &json), ONSHI_E_INVALID_HANDLE);
    onshi_result_free(bad_result);  // ignored
}

TEST(Misuse, ResultOutlivesItsContextAndDoubleFreeIsHarmless) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_check_eligibility(ctx, nullptr, nullptr, &job), ONSHI_OK);
    ASSERT_EQ(onshi_job_wait(ctx, job, 10000, nullptr), ONSHI_OK);
    onshi_result *a = nullptr, *b = nullptr;
    ASSERT_EQ(onshi_job_result(ctx, job, &a), ONSHI_OK);
    ASSERT_EQ(onshi_job_result(ctx, job, &b), ONSHI_OK);
    EXPECT_NE(a, b);
    onshi_close(ctx);
    const char *json = nullptr;
    EXPECT_EQ(onshi_result_json(a, &json), ONSHI_OK);
    onshi_result_free(a);
    onshi_result_free(a);
    EXPECT_EQ(onshi_result_json(a, &json), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_result_json(b, &json), ONSHI_OK);
    onshi_result_free(b);
}

TEST(Misuse, UnknownJobsWrongStatesAndFlags) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    EXPECT_EQ(onshi_job_cancel(ctx, 0), ONSHI_E_NOT_FOUND);
    EXPECT_EQ(onshi_job_release(ctx, 777), ONSHI_E_NOT_FOUND);
    EXPECT_EQ(onshi_provide_pin(ctx, 777, "1234", 0), ONSHI_E_NOT_FOUND);
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_check_eligibility(ctx, nullptr, nullptr, &job), ONSHI_OK);
    ASSERT_EQ(onshi_job_wait(ctx, job, 10000, nullptr), ONSHI_OK);
    EXPECT_EQ(onshi_provide_pin(ctx, job, "1234", 0), ONSHI_E_WRONG_STATE);
    EXPECT_EQ(onshi_provide_pin(ctx, job, "1234", 0x80), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_job_cancel(ctx, job), ONSHI_OK);  // cancelling an ended job is fine
    onshi_close(ctx);
}

TEST(Misuse, HostileStrings) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    onshi_job_id job = 0;
    std::string deep(10000, '{');
    EXPECT_EQ(onshi_check_eligibility(ctx, deep.c_str(), nullptr, &job), ONSHI_E_INVALID_ARGUMENT);
    std::string deep_array = std::string(10000, '[') + std::string(10000, ']');
    onshi_context *refused = nullptr;
    EXPECT_EQ(onshi_open(deep_array.c_str(), &refused), ONSHI_E_CONFIG);
    EXPECT_EQ(refused, nullptr);
    std::string huge(8 << 20, ' ');
    EXPECT_EQ(onshi_check_eligibility(ctx, huge.c_str(), nullptr, &job), ONSHI_E_INVALID_ARGUMENT);
    EXPECT_EQ(onshi_check_eligibility(ctx, "{\"reader\":\"\xc3\x28\"}", nullptr, &job), ONSHI_E_INVALID_ARGUMENT);
    std::string long_pin(1000, '1');
    EXPECT_EQ(onshi_check_eligibility(ctx, "{}", long_pin.c_str(), &job), ONSHI_E_INVALID_ARGUMENT);
    // The PIN never travels inside JSON: a "pin" member is refused, not ignored.
    EXPECT_EQ(onshi_check_eligibility(ctx, R"({"pin":"1234"})", nullptr, &job), ONSHI_E_INVALID_ARGUMENT);
    onshi_close(ctx);
}

struct CloseFromCallback {
    onshi_context *ctx = nullptr;
    std::atomic<onshi_status> close_status{-1};
    std::atomic<int> calls{0};
};

void ONSHI_CALL try_close_inside(void *user, const onshi_event *) {
    auto *self = static_cast<CloseFromCallback *>(user);
    if (self->calls++ == 0) self->close_status = onshi_close(self->ctx);
}

TEST(Misuse, CloseFromItsOwnCallbackIsRefusedNotDeadlocked) {
    CloseFromCallback state;
    ASSERT_EQ(onshi_open(kNoPcsc, &state.ctx), ONSHI_OK);
    ASSERT_EQ(onshi_set_event_callback(state.ctx, try_close_inside, &state), ONSHI_OK);
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_check_eligibility(state.ctx, nullptr, nullptr, &job), ONSHI_OK);
    ASSERT_EQ(onshi_job_wait(state.ctx, job, 10000, nullptr), ONSHI_OK);
    for (int i = 0; i < 500 && state.close_status == -1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    EXPECT_EQ(state.close_status.load(), ONSHI_E_WRONG_STATE);
    EXPECT_EQ(onshi_close(state.ctx), ONSHI_OK);
}

TEST(Misuse, CloseWakesThreadsBlockedInWaitAndPoll) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(R"({"pcsc":{"enabled":true},"card_wait_ms":600000})", &ctx), ONSHI_OK);
    std::vector<std::thread> waiters;
    std::atomic<int> returned{0};
    for (int i = 0; i < 4; ++i)
        waiters.emplace_back([&] {
            onshi_event e{};
            e.struct_size = sizeof e;
            // Returns when close drains the queue (CLOSING), or with an event.
            while (onshi_poll_event(ctx, 60000, &e) == ONSHI_OK) {
            }
            ++returned;
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(onshi_close(ctx), ONSHI_OK);
    for (auto &t : waiters) t.join();
    EXPECT_EQ(returned.load(), 4);
}

// ---- Every entry point after close: the handle is dead, each call says so -------------------

TEST(Misuse, EveryCallAfterCloseGetsInvalidHandle) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    ASSERT_EQ(onshi_close(ctx), ONSHI_OK);
    onshi_job_id job = 7;
    char *text = nullptr;
    onshi_event ev{};
    ev.struct_size = sizeof ev;
    int32_t state = 0;
    onshi_status final_status = 0;
    onshi_result *result = nullptr;
    uint8_t *pdf = nullptr;
    size_t size = 0;
    const char xml[] = "<XmlMsg/>";
    EXPECT_EQ(onshi_set_event_callback(ctx, nullptr, nullptr), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_poll_event(ctx, 0, &ev), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_set_event_window(ctx, nullptr, 0), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_list_readers(ctx, &text), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_check_eligibility(ctx, "{}", "1234", &job), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_provide_pin(ctx, 1, "1234", 0), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_job_cancel(ctx, 1), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_job_wait(ctx, 1, 1000, &final_status), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_job_state(ctx, 1, &state, &final_status), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_job_result(ctx, 1, &result), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_job_release(ctx, 1), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_result_from_xml(ctx, xml, sizeof xml - 1, &result), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_application_validate(ctx, "{}", &text), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_application_render_pdf(ctx, "{}", nullptr, &pdf, &size), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_validate_numbers(ctx, "{}", &text), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_terminal_enroll(ctx, "{}", &job), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_terminal_status(ctx, &job), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_terminal_set_end_date(ctx, "2099-03-31", &job), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_terminal_unenroll(ctx, &job), ONSHI_E_INVALID_HANDLE);
    EXPECT_EQ(onshi_terminal_renew(ctx, &job), ONSHI_E_INVALID_HANDLE);
    // The last failure on this thread with this (dead) handle: it names the handle.
    EXPECT_NE(std::string(onshi_last_error(ctx)).find("onshi_context"), std::string::npos) << onshi_last_error(ctx);
    EXPECT_EQ(text, nullptr);
    EXPECT_EQ(result, nullptr);
    EXPECT_EQ(pdf, nullptr);
}

// ---- Hostile strings in every string parameter ----------------------------------------------

// Invalid UTF-8 (an overlong form, a lone continuation byte, a surrogate, a truncated sequence)
// and an 8 MiB string, in every const char* the ABI takes; JSON nested 10,000 deep (objects,
// arrays, both mixed) in every JSON parameter. Always a status, never a crash (ASan/UBSan and
// TSan run this too).
std::vector<std::string> hostile_strings() {
    const std::string deep_objects = [] {
        std::string s;
        for (int i = 0; i < 10000; ++i) s += "{\"a\":";
        s += "1";
        s.append(10000, '}');
        return s;
    }();
    std::string mixed;
    for (int i = 0; i < 5000; ++i) mixed += "[{\"k\":";
    mixed += "0";
    for (int i = 0; i < 5000; ++i) mixed += "}]";
    return {
        std::string(10000, '{'),
        std::string(10000, '[') + std::string(10000, ']'),
        deep_objects,
        mixed,
        "{\"reader\":\"\xc0\xaf\"}",          // overlong '/'
        "{\"form\":\"\x80\x80\"}",            // lone continuation bytes
        "{\"x\":\"\xed\xa0\x80\"}",          // a UTF-16 surrogate in UTF-8
        "{\"x\":\"\xe3\x81\"}",              // truncated sequence
        "\xff\xfe{}",                          // not UTF-8 at all
        "{\"x\":\"" + std::string(8 << 20, 'a') + "\"}",  // 8 MiB
        std::string(8 << 20, '\xe3'),           // 8 MiB of broken UTF-8
    };
}

TEST(Misuse, HostileStringsInEveryStringParameter) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    onshi_job_id job = 0;
    ASSERT_EQ(onshi_check_eligibility(ctx, nullptr, nullptr, &job), ONSHI_OK);
    ASSERT_EQ(onshi_job_wait(ctx, job, 10000, nullptr), ONSHI_OK);
    onshi_result *result = nullptr;
    ASSERT_EQ(onshi_job_result(ctx, job, &result), ONSHI_OK);
    int calls = 0;
    for (const std::string &h : hostile_strings()) {
        SCOPED_TRACE("input of " + std::to_string(h.size()) + " bytes starting " + h.substr(0, 8));
        const char *s = h.c_str();
        auto expect_refused = [&](const char *call, onshi_status st) {
            ++calls;
            EXPECT_TRUE(known_status(st)) << call << ": " << st;
            EXPECT_NE(st, ONSHI_OK) << call << " accepted it";
            EXPECT_NE(st, ONSHI_E_INTERNAL) << call << ": " << onshi_last_error(ctx);
        };
        onshi_context *opened = nullptr;
        expect_refused("onshi_open", onshi_open(s, &opened));
        EXPECT_EQ(opened, nullptr);
        onshi_job_id j = 0;
        expect_refused("onshi_check_eligibility(request)", onshi_check_eligibility(ctx, s, nullptr, &j));
        expect_refused("onshi_check_eligibility(secret)", onshi_check_eligibility(ctx, "{}", s, &j));
        expect_refused("onshi_provide_pin", onshi_provide_pin(ctx, job, s, 0));
        const char *value = nullptr;
        expect_refused("onshi_result_field", onshi_result_field(result, s, 0, &value));
        onshi_result *parsed = nullptr;
        expect_refused("onshi_result_from_xml", onshi_result_from_xml(ctx, s, h.size(), &parsed));
        EXPECT_EQ(parsed, nullptr);
        char *report = nullptr;
        onshi_status st = onshi_application_validate(ctx, s, &report);
        expect_refused("onshi_application_validate", st);
        onshi_free(report);
        report = nullptr;
        st = onshi_validate_numbers(ctx, s, &report);
        expect_refused("onshi_validate_numbers", st);
        onshi_free(report);
        uint8_t *pdf = nullptr;
        size_t size = 0;
        expect_refused("onshi_application_render_pdf(form)", onshi_application_render_pdf(ctx, s, nullptr, &pdf, &size));
        expect_refused("onshi_application_render_pdf(options)", onshi_application_render_pdf(ctx, "{}", s, &pdf, &size));
        EXPECT_EQ(pdf, nullptr);
        expect_refused("onshi_terminal_enroll", onshi_terminal_enroll(ctx, s, &j));
        expect_refused("onshi_terminal_set_end_date", onshi_terminal_set_end_date(ctx, s, &j));
        // Not statuses, but must answer something printable.
        EXPECT_NE(onshi_status_message(ONSHI_E_NO_CARD, s), nullptr);
        EXPECT_NE(onshi_last_error(ctx), nullptr);
    }
    std::printf("[ figures ] %d hostile calls, each answered with a status\n", calls);
    onshi_result_free(result);
    onshi_job_release(ctx, job);
    EXPECT_EQ(onshi_close(ctx), ONSHI_OK);
}

// ---- Callbacks that block, and callbacks that call everything back ---------------------------

struct BlockingCallback {
    std::mutex mutex;
    std::condition_variable cv;
    bool release = false;
    std::atomic<int> entered{0};
    std::atomic<int> events{0};
};

void ONSHI_CALL block_until_released(void *user, const onshi_event *) {
    auto *self = static_cast<BlockingCallback *>(user);
    ++self->events;
    if (self->entered++ != 0) return;
    std::unique_lock lock(self->mutex);
    self->cv.wait_for(lock, std::chrono::seconds(30), [&] { return self->release; });
}

// The host's callback sits on the first event (a host showing a modal dialog from it): the rest
// of the ABI keeps answering on other threads, more jobs can be started and end, and close
// delivers everything once the callback returns, never calling back afterwards.
TEST(Misuse, ACallbackThatBlocksDoesNotBlockTheRestOfTheAbi) {
    BlockingCallback state;
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    ASSERT_EQ(onshi_set_event_callback(ctx, block_until_released, &state), ONSHI_OK);
    onshi_job_id first = 0;
    ASSERT_EQ(onshi_check_eligibility(ctx, nullptr, nullptr, &first), ONSHI_OK);
    while (state.entered.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    without_hanging("the ABI while a callback blocks", [&] {
        std::vector<onshi_job_id> more(5);
        for (auto &j : more) ASSERT_EQ(onshi_check_eligibility(ctx, nullptr, nullptr, &j), ONSHI_OK);
        for (auto j : more) {
            onshi_status st = ONSHI_OK;
            EXPECT_EQ(onshi_job_wait(ctx, j, 30000, &st), ONSHI_OK) << "jobs end while their events wait";
            int32_t s = 0;
            EXPECT_EQ(onshi_job_state(ctx, j, &s, nullptr), ONSHI_OK);
            EXPECT_GE(s, ONSHI_JOB_DONE);
        }
        char *json = nullptr;
        EXPECT_EQ(onshi_list_readers(ctx, &json), ONSHI_E_PCSC_UNAVAILABLE);
        EXPECT_EQ(onshi_application_validate(ctx, "{}", &json), ONSHI_E_VALIDATION);
        onshi_free(json);
    });
    const int before_close = state.events.load();
    std::thread closer([&] { EXPECT_EQ(onshi_close(ctx), ONSHI_OK); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    {
        std::lock_guard lock(state.mutex);
        state.release = true;
    }
    state.cv.notify_all();
    without_hanging("onshi_close after the callback returned", [&] { closer.join(); });
    const int after_close = state.events.load();
    EXPECT_GE(after_close, before_close);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(state.events.load(), after_close) << "a callback after onshi_close returned";
    std::printf("[ figures ] events delivered to the blocking callback: %d\n", after_close);
}

struct Reentrant {
    onshi_context *ctx = nullptr;
    std::atomic<int> depth{0};
    std::atomic<int> sweeps{0};
    std::atomic<int> events{0};
    std::atomic<int> unknown{0};  // statuses outside the header's list
    std::mutex mutex;
    std::vector<onshi_job_id> started;  // jobs started from inside the callback
    std::set<std::string> seen;         // call: status, for the report
};

void ONSHI_CALL call_everything(void *user, const onshi_event *event) {
    auto *self = static_cast<Reentrant *>(user);
    ++self->events;
    if (event->job == 0 || self->sweeps.load() >= 3) return;
    ++self->sweeps;
    onshi_context *ctx = self->ctx;
    auto note = [&](const char *call, onshi_status st) {
        if (!known_status(st)) ++self->unknown;
        std::lock_guard lock(self->mutex);
        self->seen.insert(std::string(call) + "=" + onshi_status_name(st));
    };
    (void)onshi_abi_version();
    (void)onshi_version();
    (void)onshi_status_name(event->status);
    (void)onshi_status_message(event->status, "en");
    (void)onshi_last_error(ctx);
    char *text = nullptr;
    note("list_readers", onshi_list_readers(ctx, &text));
    onshi_free(text);
    onshi_job_id job = 0;
    note("check_eligibility", onshi_check_eligibility(ctx, nullptr, nullptr, &job));
    if (job) {
        std::lock_guard lock(self->mutex);
        self->started.push_back(job);
    }
    note("provide_pin", onshi_provide_pin(ctx, event->job, "1234", 0));
    int32_t state = 0;
    onshi_status final_status = 0;
    note("job_state", onshi_job_state(ctx, event->job, &state, &final_status));
    note("job_wait", onshi_job_wait(ctx, event->job, 50, &final_status));
    onshi_result *result = nullptr;
    note("job_result", onshi_job_result(ctx, event->job, &result));
    if (result) {
        const char *json = nullptr;
        note("result_json", onshi_result_json(result, &json));
        const char *value = nullptr;
        note("result_field", onshi_result_field(result, "status", 0, &value));
        const uint8_t *png = nullptr;
        size_t size = 0;
        note("result_photo_png", onshi_result_photo_png(result, &png, &size));
        onshi_result_free(result);
    }
    onshi_event ev{};
    ev.struct_size = sizeof ev;
    note("poll_event", onshi_poll_event(ctx, 0, &ev));
    note("set_event_window", onshi_set_event_window(ctx, nullptr, 0));
    note("set_event_callback", onshi_set_event_callback(ctx, call_everything, self));
    const char xml[] = "<XmlMsg><MessageHeader/></XmlMsg>";
    onshi_result *imported = nullptr;
    note("result_from_xml", onshi_result_from_xml(ctx, xml, sizeof xml - 1, &imported));
    onshi_result_free(imported);
    note("application_validate", onshi_application_validate(ctx, "{}", &text));
    onshi_free(text);
    text = nullptr;
    note("validate_numbers", onshi_validate_numbers(ctx, R"({"insurer_number":"06130488"})", &text));
    onshi_free(text);
    uint8_t *pdf = nullptr;
    size_t pdf_size = 0;
    note("application_render_pdf", onshi_application_render_pdf(ctx, "{}", nullptr, &pdf, &pdf_size));
    onshi_free(pdf);
    onshi_job_id terminal_job = 0;
    note("terminal_status", onshi_terminal_status(ctx, &terminal_job));
    if (terminal_job) {
        std::lock_guard lock(self->mutex);
        self->started.push_back(terminal_job);
    }
    note("close", onshi_close(ctx));  // refused from its own callback
    note("job_cancel", onshi_job_cancel(ctx, event->job));
}

// From inside the callback, every ABI function (close included: refused) answers with a status;
// nothing deadlocks, events keep coming, and the context closes normally afterwards.
TEST(Misuse, ACallbackMayCallEveryFunctionBackIn) {
    Reentrant state;
    ASSERT_EQ(onshi_open(kNoPcsc, &state.ctx), ONSHI_OK);
    ASSERT_EQ(onshi_set_event_callback(state.ctx, call_everything, &state), ONSHI_OK);
    without_hanging("re-entrant callbacks", [&] {
        onshi_job_id job = 0;
        ASSERT_EQ(onshi_check_eligibility(state.ctx, nullptr, nullptr, &job), ONSHI_OK);
        ASSERT_EQ(onshi_job_wait(state.ctx, job, 30000, nullptr), ONSHI_OK);
        for (int i = 0; i < 3000 && state.sweeps.load() < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        std::vector<onshi_job_id> started;
        {
            std::lock_guard lock(state.mutex);
            started = state.started;
        }
        for (auto j : started) EXPECT_EQ(onshi_job_wait(state.ctx, j, 30000, nullptr), ONSHI_OK);
        EXPECT_EQ(onshi_close(state.ctx), ONSHI_OK);
    });
    EXPECT_EQ(state.sweeps.load(), 3);
    EXPECT_EQ(state.unknown.load(), 0);
    EXPECT_TRUE(state.seen.count("close=ONSHI_E_WRONG_STATE")) << "close from the callback is refused";
    std::string report;
    for (const auto &s : state.seen) report += s + " ";
    std::printf("[ figures ] from inside the callback: %s\n", report.c_str());
}

// ---- Many threads waiting on one job ----------------------------------------------------------

// 16 threads wait on the same job (forever, then with timeouts) while it ends, while it is
// cancelled and while another thread releases it: every wait returns, with the job's final status
// or NOT_FOUND once released.
TEST(Misuse, ManyThreadsWaitOnTheSameJob) {
    onshi_context *ctx = nullptr;
    ASSERT_EQ(onshi_open(kNoPcsc, &ctx), ONSHI_OK);
    constexpr int kThreads = 16, kRounds = 30;
    std::atomic<int> odd{0};
    without_hanging("waits on one job from 16 threads", [&] {
        for (int round = 0; round < kRounds; ++round) {
            onshi_job_id job = 0;
            ASSERT_EQ(onshi_check_eligibility(ctx, nullptr, nullptr, &job), ONSHI_OK);
            std::vector<std::thread> waiters;
            std::vector<onshi_status> finals(kThreads, -1);
            for (int t = 0; t < kThreads; ++t)
                waiters.emplace_back([&, t] {
                    onshi_status st = -1;
                    const uint32_t timeout = t % 2 ? UINT32_MAX : 20000;
                    const onshi_status rc = onshi_job_wait(ctx, job, timeout, &st);
                    if (rc == ONSHI_OK) finals[static_cast<std::size_t>(t)] = st;
                    else if (rc != ONSHI_E_NOT_FOUND) ++odd;
                });
            if (round % 3 == 1) onshi_job_cancel(ctx, job);
            if (round % 3 == 2) onshi_job_release(ctx, job);  // released under the waiters' feet
            for (auto &w : waiters) w.join();
            std::set<onshi_status> distinct;
            for (onshi_status f : finals)
                if (f != -1) distinct.insert(f);
            EXPECT_LE(distinct.size(), 1u) << "waiters saw different final statuses";
            if (round % 3 != 2) onshi_job_release(ctx, job);
        }
    });
    EXPECT_EQ(odd.load(), 0);
    EXPECT_EQ(onshi_close(ctx), ONSHI_OK);
}

}  // namespace
