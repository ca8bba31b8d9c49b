/* A 32-bit host as VB6 or Delphi is one: it loads onshi.dll x86 with LoadLibrary, takes every
 * function of the one ABI list (abi/onshi_abi.list, through the generated onshi_stdcall_table.h)
 * with GetProcAddress as a `__stdcall` pointer, and calls each one while checking that ESP is the
 * same after the call as before it, which is what VB6's "Bad DLL calling convention" check does. A
 * callee that popped the wrong number of bytes shows up at the first call instead of as a corrupt
 * stack later. Events come through a `__stdcall` callback and as window messages.
 *
 *   onshi_stdcall_host.exe ONSHI_DLL RESULT_XML APP_TEXT
 *
 * Exit 0: every function was called, ESP never moved, every job ended with exactly one final event.
 * Exit 3 names the call whose ESP moved; the other non-zero codes name what else went wrong. */
#include <onshi/onshi.h>

#include <windows.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onshi_stdcall_table.h"

static struct onshi_host_table T;
static unsigned long call_counts[ONSHI_HOST_FUNCTION_COUNT];
static unsigned long total_calls;

static void after_call(int index, uintptr_t esp_before, uintptr_t esp_after) {
    if (esp_before != esp_after) {
        printf("FAIL: ESP moved by %ld bytes around %s (__stdcall pointer from abi/onshi_abi.list)\n",
               (long)esp_after - (long)esp_before, onshi_host_function_names[index]);
        fflush(stdout);
        ExitProcess(3);
    }
    ++call_counts[index];
    ++total_calls;
}

/* CALL(name, args...) calls T.name(args...) and checks ESP around it: read into registers right
 * before and after the call expression (volatile asm with a memory clobber stays in place around
 * a call), so a callee that pops too much or too little moves ESP by the difference. */
#define CALL(name, ...)                                                                     \
    __extension__({                                                                         \
        uintptr_t esp_before_, esp_after_;                                                  \
        __asm__ __volatile__("movl %%esp, %0" : "=r"(esp_before_)::"memory");               \
        __typeof__(T.name(__VA_ARGS__)) result_ = T.name(__VA_ARGS__);                      \
        __asm__ __volatile__("movl %%esp, %0" : "=r"(esp_after_)::"memory");                \
        after_call(name##_index, esp_before_, esp_after_);                                  \
        result_;                                                                            \
    })
#define CALL_VOID(name, ...)                                                                \
    do {                                                                                    \
        uintptr_t esp_before_, esp_after_;                                                  \
        __asm__ __volatile__("movl %%esp, %0" : "=r"(esp_before_)::"memory");               \
        T.name(__VA_ARGS__);                                                                \
        __asm__ __volatile__("movl %%esp, %0" : "=r"(esp_after_)::"memory");                \
        after_call(name##_index, esp_before_, esp_after_);                                  \
    } while (0)

static int failures;
#define EXPECT(cond, ...)                                                                   \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                          \
            printf(__VA_ARGS__);                                                            \
            printf("\n");                                                                   \
            ++failures;                                                                     \
        }                                                                                   \
    } while (0)

static const char *const kNoPcsc = "{\"pcsc\":{\"enabled\":false},\"locale\":\"en\"}";

/* --- Events through a __stdcall callback, counted per job from onshi's dispatcher thread. ---- */

#define MAX_JOB_ID 4096
struct tally {
    volatile LONG finals[MAX_JOB_ID];
    volatile LONG final_status[MAX_JOB_ID];
    volatile LONG other_events;
    volatile LONG out_of_range;
    volatile LONG wrong_user_data;
};
static struct tally tally;

static void __stdcall on_event(void *user_data, const onshi_event *event) {
    if (user_data != &tally) {
        InterlockedIncrement(&tally.wrong_user_data);
        return;
    }
    if (event->job >= MAX_JOB_ID) {
        InterlockedIncrement(&tally.out_of_range);
        return;
    }
    if (event->type == ONSHI_EVENT_DONE || event->type == ONSHI_EVENT_FAILED || event->type == ONSHI_EVENT_CANCELLED) {
        InterlockedExchange(&tally.final_status[event->job], event->status);
        InterlockedIncrement(&tally.finals[event->job]);
    } else {
        InterlockedIncrement(&tally.other_events);
    }
}

/* Waits until `count` jobs from `first` on have a final event, then a little longer, so that a
 * second final event for any of them would be seen too. */
static int wait_for_finals(onshi_job_id first, unsigned count, DWORD timeout_ms) {
    const DWORD start = GetTickCount();
    for (;;) {
        unsigned seen = 0;
        for (unsigned i = 0; i < count; ++i) seen += tally.finals[first + i] > 0;
        if (seen == count) break;
        if (GetTickCount() - start > timeout_ms) return 0;
        Sleep(10);
    }
    Sleep(200);
    return 1;
}

static char *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(f);
    if (data) {
        data[n] = 0;
        *size = (size_t)n;
    }
    return data;
}

/* --- The parts of the ABI, one function each. ----------------------------------------------- */

static void library_facts(void) {
    EXPECT(CALL(onshi_abi_version) == ONSHI_ABI_VERSION, "abi version");
    const char *version = CALL(onshi_version);
    EXPECT(version && *version, "onshi_version is empty");
    const char *name = CALL(onshi_status_name, ONSHI_E_NO_CARD);
    EXPECT(name && strcmp(name, "ONSHI_E_NO_CARD") == 0, "status name '%s'", name ? name : "(null)");
    const char *message = CALL(onshi_status_message, ONSHI_E_NO_CARD, "ja");
    EXPECT(message && *message, "no Japanese message");
    onshi_context *bad = (onshi_context *)(uintptr_t)1;
    EXPECT(CALL(onshi_open, "{\"locale\":\"en\",\"gatway\":{}}", &bad) == ONSHI_E_CONFIG, "bad config accepted");
    EXPECT(bad == NULL, "out_context not cleared");
    const char *why = CALL(onshi_last_error, NULL);
    EXPECT(why && strstr(why, "gatway"), "last error '%s'", why ? why : "(null)");
    printf("onshi %s, ABI %u.%u\n", version, CALL(onshi_abi_version) >> 16, CALL(onshi_abi_version) & 0xffff);
}

static void context_calls(const char *xml_path, const char *app_text_path) {
    onshi_context *ctx = NULL;
    if (CALL(onshi_open, kNoPcsc, &ctx) != ONSHI_OK || !ctx) {
        printf("FAIL: onshi_open: %s\n", CALL(onshi_last_error, NULL));
        ExitProcess(5);
    }
    char *json = (char *)(uintptr_t)1;
    EXPECT(CALL(onshi_list_readers, ctx, &json) == ONSHI_E_PCSC_UNAVAILABLE, "list_readers without PC/SC");
    EXPECT(json == NULL, "out_json not cleared");
    const char *why = CALL(onshi_last_error, ctx);
    EXPECT(why && strstr(why, "disabled"), "last error '%s'", why ? why : "(null)");

    size_t size = 0;
    char *xml = read_file(xml_path, &size);
    EXPECT(xml != NULL, "cannot read %s", xml_path);
    onshi_result *result = NULL;
    EXPECT(CALL(onshi_result_from_xml, ctx, xml, size, &result) == ONSHI_OK, "result_from_xml: %s", CALL(onshi_last_error, ctx));
    if (result) {
        const char *result_json = NULL;
        EXPECT(CALL(onshi_result_json, result, &result_json) == ONSHI_OK && result_json && *result_json == '{', "result_json");
        const char *value = NULL;
        EXPECT(CALL(onshi_result_field, result, "source", 0, &value) == ONSHI_OK && value && strcmp(value, "xml") == 0, "field source");
        EXPECT(CALL(onshi_result_field, result, "NoSuchElement", 0, &value) == ONSHI_E_NOT_FOUND, "absent field");
        const uint8_t *png = NULL;
        size_t png_size = 0;
        onshi_status photo = CALL(onshi_result_photo_png, result, &png, &png_size);
        EXPECT(photo == ONSHI_OK || photo == ONSHI_E_NOT_FOUND, "photo_png %d", photo);
        CALL_VOID(onshi_result_free, result);
    }
    free(xml);

    char *text = read_file(app_text_path, &size);
    EXPECT(text != NULL, "cannot read %s", app_text_path);
    result = NULL;
    EXPECT(CALL(onshi_result_from_app_text, ctx, text, size, &result) == ONSHI_OK, "result_from_app_text: %s", CALL(onshi_last_error, ctx));
    if (result) CALL_VOID(onshi_result_free, result);
    free(text);

    char *report = NULL;
    EXPECT(CALL(onshi_validate_numbers, ctx, "{\"insurer_number\": \"06130489\"}", &report) == ONSHI_E_VALIDATION, "validate_numbers");
    EXPECT(report != NULL, "no report");
    CALL_VOID(onshi_free, report);
    report = NULL;
    EXPECT(CALL(onshi_application_validate, ctx, "{}", &report) == ONSHI_E_VALIDATION, "application_validate");
    CALL_VOID(onshi_free, report);
    uint8_t *pdf = NULL;
    size_t pdf_size = 0;
    /* No cairo/pango in the Windows build: documented as ONSHI_E_NOT_SUPPORTED (an empty form
     * would fail validation first, hence the refusal either way). */
    onshi_status rendered = CALL(onshi_application_render_pdf, ctx, "{}", NULL, &pdf, &pdf_size);
    EXPECT(rendered == ONSHI_E_NOT_SUPPORTED || rendered == ONSHI_E_VALIDATION, "render_pdf %d", rendered);

    onshi_job_id job = 0;
    EXPECT(CALL(onshi_terminal_enroll, ctx, "{}", &job) == ONSHI_E_INVALID_ARGUMENT, "enroll without credentials");
    /* The terminal jobs end at once without an enrolled terminal; each is waited for and released. */
    onshi_status starts[4];
    onshi_job_id jobs[4] = {0, 0, 0, 0};
    starts[0] = CALL(onshi_terminal_status, ctx, &jobs[0]);
    starts[1] = CALL(onshi_terminal_set_end_date, ctx, "2030-03-31", &jobs[1]);
    starts[2] = CALL(onshi_terminal_unenroll, ctx, &jobs[2]);
    starts[3] = CALL(onshi_terminal_renew, ctx, &jobs[3]);
    for (int i = 0; i < 4; ++i) {
        EXPECT(starts[i] == ONSHI_OK, "terminal job %d: %s", i, CALL(onshi_last_error, ctx));
        onshi_status final_status = ONSHI_OK;
        EXPECT(CALL(onshi_job_wait, ctx, jobs[i], 30000, &final_status) == ONSHI_OK, "wait terminal job %d", i);
        EXPECT(i == 0 || final_status == ONSHI_E_NOT_ENROLLED, "terminal job %d ended %d", i, final_status);
        EXPECT(CALL(onshi_job_release, ctx, jobs[i]) == ONSHI_OK, "release terminal job %d", i);
    }
    /* A diagnosis without PC/SC: a job that ends, or refused at once. */
    onshi_status diagnose = CALL(onshi_reader_diagnose, ctx, "{}", &job);
    if (diagnose == ONSHI_OK) {
        onshi_status final_status = ONSHI_OK;
        EXPECT(CALL(onshi_job_wait, ctx, job, 30000, &final_status) == ONSHI_OK, "wait diagnose");
        EXPECT(final_status != ONSHI_OK, "a diagnosis without PC/SC succeeded");
        CALL(onshi_job_release, ctx, job);
    } else {
        EXPECT(diagnose == ONSHI_E_PCSC_UNAVAILABLE, "reader_diagnose %d", diagnose);
    }
    /* The events of those jobs wait in the queue (no callback on this context). */
    onshi_event event;
    memset(&event, 0, sizeof event);
    event.struct_size = sizeof event;
    int polled = 0;
    while (CALL(onshi_poll_event, ctx, 0, &event) == ONSHI_OK) ++polled;
    EXPECT(polled >= 4, "only %d queued events", polled);
    EXPECT(CALL(onshi_close, ctx) == ONSHI_OK, "close");
}

/* 個別照会 through the terminal's folders: refused without "terminal_folders", then a real job
 * against two empty temporary folders that no terminal answers. It must end with
 * ONSHI_E_TERMINAL_NO_ANSWER after its timeout and take its own request file back out of req. */
static const char *const kInsuranceRequest =
    "{\"InsurerNumber\":\"06130488\",\"InsuredIdentificationNumber\":\"567\",\"Birthdate\":\"19800217\"}";

static int folder_is_empty(const char *dir) {
    char pattern[MAX_PATH];
    snprintf(pattern, sizeof pattern, "%s\\*", dir);
    WIN32_FIND_DATAA found;
    HANDLE h = FindFirstFileA(pattern, &found);
    if (h == INVALID_HANDLE_VALUE) return 0;
    int files = 0;
    do {
        if (strcmp(found.cFileName, ".") != 0 && strcmp(found.cFileName, "..") != 0) ++files;
    } while (FindNextFileA(h, &found));
    FindClose(h);
    return files == 0;
}

/* A Windows path as a JSON string's contents: its backslashes doubled. */
static void json_path(const char *path, char *out, size_t size) {
    size_t n = 0;
    for (; *path && n + 2 < size; ++path) {
        if (*path == '\\') out[n++] = '\\';
        out[n++] = *path;
    }
    out[n] = '\0';
}

static void insurance_calls(void) {
    onshi_context *ctx = NULL;
    onshi_job_id job = 0;
    if (CALL(onshi_open, kNoPcsc, &ctx) != ONSHI_OK) ExitProcess(5);
    EXPECT(CALL(onshi_check_by_insurance, ctx, kInsuranceRequest, &job) == ONSHI_E_TERMINAL_FOLDERS, "without terminal_folders");
    EXPECT(CALL(onshi_check_by_insurance, ctx, NULL, &job) == ONSHI_E_INVALID_ARGUMENT, "NULL request");
    CALL(onshi_close, ctx);

    char temp[MAX_PATH], root[MAX_PATH], req[MAX_PATH], res[MAX_PATH], config[4 * MAX_PATH];
    GetTempPathA(sizeof temp, temp);
    snprintf(root, sizeof root, "%sonshi-stdcall-%lu", temp, GetCurrentProcessId());
    snprintf(req, sizeof req, "%s\\req", root);
    snprintf(res, sizeof res, "%s\\res", root);
    EXPECT(CreateDirectoryA(root, NULL) && CreateDirectoryA(req, NULL) && CreateDirectoryA(res, NULL), "folders under %s", root);
    char req_json[2 * MAX_PATH], res_json[2 * MAX_PATH];
    json_path(req, req_json, sizeof req_json);
    json_path(res, res_json, sizeof res_json);
    snprintf(config, sizeof config,
             "{\"pcsc\":{\"enabled\":false},\"locale\":\"en\",\"terminal_folders\":{\"req\":\"%s\",\"res\":\"%s\",\"timeout_ms\":300}}",
             req_json, res_json);
    if (CALL(onshi_open, config, &ctx) != ONSHI_OK) {
        printf("FAIL: onshi_open with terminal_folders: %s\n", CALL(onshi_last_error, NULL));
        ExitProcess(5);
    }
    EXPECT(CALL(onshi_check_by_insurance, ctx, "{\"InsurerNumber\":\"06130487\",\"InsuredIdentificationNumber\":\"1\",\"Birthdate\":\"19800217\"}", &job) ==
               ONSHI_E_VALIDATION, "a wrong check digit accepted");
    EXPECT(folder_is_empty(req), "a refused request left a file in req");
    onshi_status final_status = ONSHI_OK;
    EXPECT(CALL(onshi_check_by_insurance, ctx, kInsuranceRequest, &job) == ONSHI_OK, "check_by_insurance: %s", CALL(onshi_last_error, ctx));
    EXPECT(CALL(onshi_job_wait, ctx, job, 30000, &final_status) == ONSHI_OK, "wait for the query");
    EXPECT(final_status == ONSHI_E_TERMINAL_NO_ANSWER, "query ended %d", final_status);
    EXPECT(folder_is_empty(req), "the unanswered query left its request in req");
    CALL(onshi_job_release, ctx, job);
    CALL(onshi_close, ctx);
    RemoveDirectoryA(req);
    RemoveDirectoryA(res);
    RemoveDirectoryA(root);
}

/* One check without a reader, its callback events, state, result, PIN refused, cancel, release. */
static void one_check(onshi_context *ctx) {
    onshi_job_id job = 0;
    EXPECT(CALL(onshi_check_eligibility, ctx, "{\"method\":\"pin\"}", "1234", &job) == ONSHI_OK, "check: %s", CALL(onshi_last_error, ctx));
    EXPECT(job > 0 && job < MAX_JOB_ID, "job id %u", job);
    onshi_status final_status = ONSHI_OK;
    EXPECT(CALL(onshi_job_wait, ctx, job, 30000, &final_status) == ONSHI_OK, "wait");
    EXPECT(final_status == ONSHI_E_NOT_ENROLLED, "final status %d", final_status);
    int32_t state = 0;
    EXPECT(CALL(onshi_job_state, ctx, job, &state, &final_status) == ONSHI_OK && state == ONSHI_JOB_FAILED, "state %d", state);
    onshi_result *result = NULL;
    EXPECT(CALL(onshi_job_result, ctx, job, &result) == ONSHI_OK, "job_result");
    if (result) {
        const char *value = NULL;
        EXPECT(CALL(onshi_result_field, result, "status", 0, &value) == ONSHI_OK && value && strcmp(value, "ONSHI_E_NOT_ENROLLED") == 0,
               "result status '%s'", value ? value : "(null)");
        CALL_VOID(onshi_result_free, result);
    }
    EXPECT(CALL(onshi_provide_pin, ctx, job, "1234", 0) == ONSHI_E_WRONG_STATE, "PIN for an ended job");
    EXPECT(CALL(onshi_job_cancel, ctx, job) == ONSHI_OK, "cancel of an ended job");
    EXPECT(wait_for_finals(job, 1, 30000), "no final event for job %u", job);
    EXPECT(tally.finals[job] == 1, "job %u: %ld final events", job, tally.finals[job]);
    EXPECT(tally.final_status[job] == ONSHI_E_NOT_ENROLLED, "job %u: final event status %ld", job, tally.final_status[job]);
    EXPECT(CALL(onshi_job_release, ctx, job) == ONSHI_OK, "release");
    EXPECT(CALL(onshi_job_state, ctx, job, &state, NULL) == ONSHI_E_NOT_FOUND, "released job still known");
}

/* Many jobs in batches (a context keeps a bounded number of unreleased jobs): each started, some
 * cancelled at once, all waited for and released; each must end with exactly one final event. */
static unsigned many_jobs(onshi_context *ctx, unsigned count) {
    enum { kBatch = 20 };
    onshi_job_id first = 0, last = 0;
    unsigned started = 0;
    while (started < count) {
        onshi_job_id batch[kBatch];
        unsigned n = 0;
        for (; n < kBatch && started < count; ++n, ++started) {
            batch[n] = 0;
            EXPECT(CALL(onshi_check_eligibility, ctx, NULL, NULL, &batch[n]) == ONSHI_OK, "job %u: %s", started, CALL(onshi_last_error, ctx));
            if (started % 3 == 0) CALL(onshi_job_cancel, ctx, batch[n]);
            if (!first) first = batch[n];
            last = batch[n];
        }
        for (unsigned i = 0; i < n; ++i) {
            EXPECT(CALL(onshi_job_wait, ctx, batch[i], 30000, NULL) == ONSHI_OK, "wait job %u", batch[i]);
            EXPECT(CALL(onshi_job_release, ctx, batch[i]) == ONSHI_OK, "release job %u", batch[i]);
        }
    }
    EXPECT(last - first + 1 == count && last < MAX_JOB_ID, "job ids %u..%u for %u jobs", first, last, count);
    if (last - first + 1 != count || last >= MAX_JOB_ID) return 0;
    EXPECT(wait_for_finals(first, count, 120000), "final events missing");
    unsigned exactly_one = 0;
    for (onshi_job_id j = first; j <= last; ++j) {
        if (tally.finals[j] == 1) ++exactly_one;
        else EXPECT(0, "job %u: %ld final events", j, tally.finals[j]);
    }
    return exactly_one;
}

static void callback_calls(unsigned job_count) {
    onshi_context *ctx = NULL;
    if (CALL(onshi_open, kNoPcsc, &ctx) != ONSHI_OK) ExitProcess(5);
    EXPECT(CALL(onshi_set_event_callback, ctx, on_event, &tally) == ONSHI_OK, "set callback");
    one_check(ctx);
    unsigned ok = many_jobs(ctx, job_count);
    EXPECT(CALL(onshi_close, ctx) == ONSHI_OK, "close");
    EXPECT(tally.wrong_user_data == 0 && tally.out_of_range == 0, "user_data wrong %ld times, job out of range %ld times",
           tally.wrong_user_data, tally.out_of_range);
    printf("%u of %u jobs ended with exactly one final event through the __stdcall callback\n", ok, job_count);
}

/* --- Events as window messages (a message-only window on this thread). ---------------------- */

#define ONSHI_MESSAGE (WM_APP + 7)
static volatile LONG window_finals;
static onshi_job_id window_job;

static LRESULT CALLBACK window_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp) {
    if (msg == ONSHI_MESSAGE) {
        if ((onshi_job_id)lp == window_job && (wp == ONSHI_EVENT_DONE || wp == ONSHI_EVENT_FAILED)) ++window_finals;
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

static void window_calls(void) {
    WNDCLASSW wc;
    memset(&wc, 0, sizeof wc);
    wc.lpfnWndProc = window_proc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.lpszClassName = L"onshi-stdcall-host";
    RegisterClassW(&wc);
    HWND hwnd = CreateWindowExW(0, wc.lpszClassName, L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, wc.hInstance, NULL);
    EXPECT(hwnd != NULL, "CreateWindowEx(HWND_MESSAGE): %lu", GetLastError());
    if (!hwnd) return;
    onshi_context *ctx = NULL;
    if (CALL(onshi_open, kNoPcsc, &ctx) != ONSHI_OK) ExitProcess(5);
    EXPECT(CALL(onshi_set_event_window, ctx, hwnd, ONSHI_MESSAGE) == ONSHI_OK, "set_event_window");
    EXPECT(CALL(onshi_terminal_status, ctx, &window_job) == ONSHI_OK, "terminal_status");
    const DWORD start = GetTickCount();
    while (!window_finals && GetTickCount() - start < 30000) {
        MSG msg;
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) DispatchMessageW(&msg);
        MsgWaitForMultipleObjects(0, NULL, FALSE, 50, QS_ALLINPUT);
    }
    EXPECT(window_finals == 1, "%ld final-event messages for job %u", window_finals, window_job);
    onshi_event event;
    memset(&event, 0, sizeof event);
    event.struct_size = sizeof event;
    int found = 0;
    while (CALL(onshi_poll_event, ctx, 0, &event) == ONSHI_OK)
        if (event.job == window_job && event.type == ONSHI_EVENT_DONE) ++found;
    EXPECT(found == 1, "the DONE event was queued %d times", found);
    EXPECT(CALL(onshi_set_event_window, ctx, NULL, 0) == ONSHI_OK, "clear window");
    EXPECT(CALL(onshi_close, ctx) == ONSHI_OK, "close");
    DestroyWindow(hwnd);
}

/* Many calls of the cheap functions, so that the call count is a figure and not a handful. */
static void call_storm(unsigned rounds) {
    onshi_context *ctx = NULL;
    if (CALL(onshi_open, kNoPcsc, &ctx) != ONSHI_OK) ExitProcess(5);
    for (unsigned i = 0; i < rounds; ++i) {
        CALL(onshi_abi_version);
        CALL(onshi_status_name, (onshi_status)(i % 4));
        CALL(onshi_status_message, ONSHI_E_TIMEOUT, (i & 1) ? "ja" : "en");
        CALL(onshi_last_error, ctx);
        int32_t state;
        CALL(onshi_job_state, ctx, 12345, &state, NULL);
        CALL_VOID(onshi_free, NULL);
    }
    CALL(onshi_close, ctx);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s ONSHI_DLL RESULT_XML APP_TEXT\n", argv[0]);
        return 2;
    }
    HMODULE dll = LoadLibraryA(argv[1]);
    if (!dll) {
        printf("FAIL: LoadLibrary(%s): error %lu\n", argv[1], GetLastError());
        return 2;
    }
    /* Every function of the list through GetProcAddress by its plain name, as Declare does. */
    FARPROC *slots = (FARPROC *)&T;
    for (int i = 0; i < ONSHI_HOST_FUNCTION_COUNT; ++i) {
        slots[i] = GetProcAddress(dll, onshi_host_function_names[i]);
        if (!slots[i]) {
            printf("FAIL: GetProcAddress(%s): error %lu\n", onshi_host_function_names[i], GetLastError());
            return 2;
        }
    }
    const DWORD start = GetTickCount();
    if (ONSHI_HOST_CDECL_PROBE[0]) {
        /* The negative build: the one function declared __cdecl must be caught by the ESP check. */
        CALL(onshi_status_name, ONSHI_OK);
        printf("the ESP check missed the __cdecl pointer to %s\n", ONSHI_HOST_CDECL_PROBE);
        return 1;
    }
    library_facts();
    context_calls(argv[2], argv[3]);
    insurance_calls();
    callback_calls(500);
    window_calls();
    call_storm(10000);

    int uncalled = 0;
    for (int i = 0; i < ONSHI_HOST_FUNCTION_COUNT; ++i) {
        if (call_counts[i] == 0) {
            printf("FAIL: %s (abi/onshi_abi.list) was never called\n", onshi_host_function_names[i]);
            ++uncalled;
        }
    }
    printf("%lu calls of %d functions through __stdcall pointers, ESP unchanged around each, in %lu ms\n", total_calls,
           ONSHI_HOST_FUNCTION_COUNT - uncalled, (unsigned long)(GetTickCount() - start));
    if (uncalled) return 4;
    if (failures) {
        printf("%d failures\n", failures);
        return 1;
    }
    return 0;
}
