/*
 * onshi-c-host — a host written in plain C99 that loads onshi at run time (dlopen / LoadLibrary),
 * the way a receipt program (レセコン) written in C, Delphi or VB6 does it:
 *
 *   1. load the library and check its ABI major before calling anything else;
 *   2. open a context from a configuration file (docs/config.md);
 *   3. register this terminal once (端末登録) with the facility's setup credentials;
 *   4. run a PIN check in the CALLBACK style (events arrive on an onshi thread);
 *   5. run a visual check (目視確認) in the POLL style (the host pulls events when it likes);
 *   6. print the verdict and a few official 資格確認結果 fields with onshi_result_field.
 *
 *   onshi-c-host --library PATH --config FILE [--setup FILE] [--reader NAME]
 *                [--visual-reader NAME] [--allow-last-attempt]
 *
 * The PIN is the first line of stdin: it stands for the PIN pad of a real reception screen.
 * Against the sandbox (sandbox/README.md):
 *   echo 1234 | onshi-c-host --library build/lib/libonshi.so.1 --config DIR/plugin.json \
 *       --setup DIR/setup.json --reader "Virtual PCD 00 00" --visual-reader "Virtual PCD 00 01"
 *
 * Exit status: 0 when both checks produced a result, 1 when one failed, 2 on a usage/setup error.
 */
#include <onshi/onshi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Loading the library: the only platform-specific part ------------------------------------ */
#ifdef _WIN32
#include <windows.h>
typedef HMODULE library_handle;
static library_handle library_open(const char *path) { return LoadLibraryA(path); }
static int library_symbol(library_handle lib, const char *name, void *out_function, size_t size) {
    FARPROC p = GetProcAddress(lib, name);
    memcpy(out_function, &p, size);
    return p != NULL;
}
#else
#include <dlfcn.h>
typedef void *library_handle;
static library_handle library_open(const char *path) { return dlopen(path, RTLD_NOW | RTLD_LOCAL); }
/* ISO C has no cast from void* to a function pointer; copying the bytes is the portable way. */
static int library_symbol(library_handle lib, const char *name, void *out_function, size_t size) {
    void *p = dlsym(lib, name);
    memcpy(out_function, &p, size);
    return p != NULL;
}
#endif

/* The entry points this host uses, resolved once by name. ONSHI_CALL is __stdcall on 32-bit
 * Windows and nothing elsewhere: the pointer types must carry it. */
typedef struct onshi_api {
    uint32_t(ONSHI_CALL *abi_version)(void);
    const char *(ONSHI_CALL *version)(void);
    const char *(ONSHI_CALL *status_name)(onshi_status);
    const char *(ONSHI_CALL *last_error)(const onshi_context *);
    void(ONSHI_CALL *free_memory)(void *);
    onshi_status(ONSHI_CALL *open)(const char *, onshi_context **);
    onshi_status(ONSHI_CALL *close)(onshi_context *);
    onshi_status(ONSHI_CALL *set_event_callback)(onshi_context *, onshi_event_callback, void *);
    onshi_status(ONSHI_CALL *poll_event)(onshi_context *, uint32_t, onshi_event *);
    onshi_status(ONSHI_CALL *list_readers)(onshi_context *, char **);
    onshi_status(ONSHI_CALL *check_eligibility)(onshi_context *, const char *, const char *, onshi_job_id *);
    onshi_status(ONSHI_CALL *provide_pin)(onshi_context *, onshi_job_id, const char *, uint32_t);
    onshi_status(ONSHI_CALL *job_wait)(onshi_context *, onshi_job_id, uint32_t, onshi_status *);
    onshi_status(ONSHI_CALL *job_result)(onshi_context *, onshi_job_id, onshi_result **);
    onshi_status(ONSHI_CALL *job_release)(onshi_context *, onshi_job_id);
    onshi_status(ONSHI_CALL *result_field)(const onshi_result *, const char *, uint32_t, const char **);
    void(ONSHI_CALL *result_free)(onshi_result *);
    onshi_status(ONSHI_CALL *terminal_enroll)(onshi_context *, const char *, onshi_job_id *);
} onshi_api;

static int load_api(const char *path, onshi_api *api) {
    library_handle lib = library_open(path);
    if (!lib) {
        fprintf(stderr, "cannot load %s\n", path);
        return 0;
    }
    /* Check the ABI first: a library of another major must not be used at all. */
    if (!library_symbol(lib, "onshi_abi_version", &api->abi_version, sizeof api->abi_version) ||
        (api->abi_version() >> 16) != ONSHI_ABI_VERSION_MAJOR) {
        fprintf(stderr, "%s is not an onshi library of ABI major %d\n", path, ONSHI_ABI_VERSION_MAJOR);
        return 0;
    }
#define RESOLVE(field, name)                                                        \
    if (!library_symbol(lib, name, &api->field, sizeof api->field)) {               \
        fprintf(stderr, "%s lacks %s\n", path, name);                               \
        return 0;                                                                   \
    }
    RESOLVE(version, "onshi_version")
    RESOLVE(status_name, "onshi_status_name")
    RESOLVE(last_error, "onshi_last_error")
    RESOLVE(free_memory, "onshi_free")
    RESOLVE(open, "onshi_open")
    RESOLVE(close, "onshi_close")
    RESOLVE(set_event_callback, "onshi_set_event_callback")
    RESOLVE(poll_event, "onshi_poll_event")
    RESOLVE(list_readers, "onshi_list_readers")
    RESOLVE(check_eligibility, "onshi_check_eligibility")
    RESOLVE(provide_pin, "onshi_provide_pin")
    RESOLVE(job_wait, "onshi_job_wait")
    RESOLVE(job_result, "onshi_job_result")
    RESOLVE(job_release, "onshi_job_release")
    RESOLVE(result_field, "onshi_result_field")
    RESOLVE(result_free, "onshi_result_free")
    RESOLVE(terminal_enroll, "onshi_terminal_enroll")
#undef RESOLVE
    return 1; /* the library stays loaded until the process ends */
}

/* ---- Small helpers ---------------------------------------------------------------------------- */

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t size = 0;
    if (!f)
        return NULL;
    for (;;) {
        char *grown = (char *)realloc(text, size + 4096 + 1);
        size_t n;
        if (!grown) {
            free(text);
            fclose(f);
            return NULL;
        }
        text = grown;
        n = fread(text + size, 1, 4096, f);
        size += n;
        if (n < 4096)
            break;
    }
    fclose(f);
    text[size] = '\0';
    return text;
}

/* {"reader":"NAME","method":"METHOD"} with NAME escaped; an empty NAME lets onshi pick the reader
 * with a card. */
static void make_request(char *out, size_t size, const char *reader, const char *method) {
    char name[512];
    size_t n = 0;
    for (; *reader && n + 2 < sizeof name; ++reader) {
        if (*reader == '"' || *reader == '\\')
            name[n++] = '\\';
        name[n++] = *reader;
    }
    name[n] = '\0';
    if (n > 0)
        snprintf(out, size, "{\"reader\":\"%s\",\"method\":\"%s\"}", name, method);
    else
        snprintf(out, size, "{\"method\":\"%s\"}", method);
}

static const char *progress_text(int32_t value) {
    switch (value) {
    case ONSHI_PROGRESS_WAITING_FOR_CARD: return "カードを置いてください (waiting for the card)";
    case ONSHI_PROGRESS_READING_CARD: return "カード読み取り中 (reading the card)";
    case ONSHI_PROGRESS_VERIFYING_PIN: return "暗証番号確認中 (verifying the PIN)";
    case ONSHI_PROGRESS_SIGNING: return "署名中 (signing)";
    case ONSHI_PROGRESS_READING_PHOTO: return "顔写真読み取り中 (reading the face photo)";
    case ONSHI_PROGRESS_CONTACTING_GATEWAY: return "照会中 (asking the gateway)";
    default: return "…"; /* a newer library may add steps: ignore what we do not know */
    }
}

/* A field's value for the screen. The official values are fixed-width: a 6-digit 国保
 * InsurerNumber comes as "  138057". Staff read and type it without the spaces (as the Qt sample
 * shows it); keep the raw value for anything you send on. */
static const char *display_text(const char *value) {
    while (*value == ' ')
        ++value;
    return value;
}

/* Prints the verdict and a few official fields of a job's result; returns 1 for a DONE job. */
static int print_result(const onshi_api *api, onshi_context *ctx, onshi_job_id job, onshi_status final_status) {
    static const char *const fields[] = {"Name", "InsurerNumber", "InsuredCardSymbol",
                                         "InsuredIdentificationNumber", "QualificationValidity",
                                         "InsuredPartialContributionRatio"};
    onshi_result *result = NULL;
    const char *value = NULL;
    size_t i;
    if (api->job_result(ctx, job, &result) != ONSHI_OK) {
        fprintf(stderr, "no result: %s\n", api->last_error(ctx));
        return 0;
    }
    if (final_status != ONSHI_OK) {
        /* A failed job's result holds the error: status, message (context locale), tries_left. */
        api->result_field(result, "message", 0, &value);
        printf("  failed: %s — %s\n", api->status_name(final_status), value ? value : "");
    } else {
        api->result_field(result, "verdict", 0, &value); /* eligible / not_eligible / needs_attention */
        printf("  verdict: %s\n", value ? value : "?");
        for (i = 0; i < sizeof fields / sizeof fields[0]; ++i) {
            value = NULL;
            if (api->result_field(result, fields[i], 0, &value) == ONSHI_OK) /* NOT_FOUND: absent */
                printf("  %s: %s\n", fields[i], display_text(value));
        }
    }
    api->result_free(result);
    api->job_release(ctx, job); /* every job is released once its result is taken */
    return final_status == ONSHI_OK;
}

/* ---- Callback style: the PIN check ------------------------------------------------------------ */

/* What the callback needs; it must stay valid until the callback is cleared or onshi_close
 * returns. */
typedef struct pin_dialog {
    const onshi_api *api;
    onshi_context *ctx;
    char pin[16];           /* what the patient typed on the PIN pad */
    int allow_last_attempt; /* the patient was told "this is the last try" and agreed */
} pin_dialog;

/* Runs on an onshi thread, one event at a time. It returns quickly and never blocks; a GUI host
 * would post the event to its UI thread here (PostMessage, BeginInvoke, ...). */
static void ONSHI_CALL on_event(void *user_data, const onshi_event *ev) {
    pin_dialog *dialog = (pin_dialog *)user_data;
    switch (ev->type) {
    case ONSHI_EVENT_PROGRESS:
        printf("  [callback] %s\n", progress_text(ev->value));
        break;
    case ONSHI_EVENT_PIN_NEEDED: {
        /* Show the PIN pad with the tries left. With 1 try left, spend it only with the patient's
         * explicit OK: otherwise onshi ends the job with ONSHI_E_LAST_TRY_REFUSED. */
        uint32_t flags = dialog->allow_last_attempt ? ONSHI_PIN_ALLOW_LAST_ATTEMPT : 0;
        onshi_status st;
        printf("  [callback] 暗証番号を入力してください (PIN needed, %d tries left)\n", (int)ev->value);
        st = dialog->api->provide_pin(dialog->ctx, ev->job, dialog->pin, flags);
        memset(dialog->pin, 0, sizeof dialog->pin); /* one PIN, one try: never re-send it */
        if (st != ONSHI_OK)
            printf("  [callback] PIN refused: %s\n", dialog->api->status_name(st));
        break;
    }
    case ONSHI_EVENT_FAILED:
        /* Never retry a PIN on the patient's behalf: a new job after asking them again. */
        printf("  [callback] failed: %s (tries left %d)\n", dialog->api->status_name(ev->status), (int)ev->value);
        break;
    case ONSHI_EVENT_CARD_REMOVED:
        printf("  [callback] card removed from %s\n", ev->text); /* copy ev->text to keep it */
        break;
    default:
        break; /* DONE, reader events, and types a newer library may add */
    }
    fflush(stdout);
}

static int pin_check(const onshi_api *api, onshi_context *ctx, const char *reader, pin_dialog *dialog) {
    char request[640];
    onshi_job_id job = 0;
    onshi_status final_status = ONSHI_E_INTERNAL;
    onshi_event stale;
    make_request(request, sizeof request, reader, "pin");
    /* Events queued so far (the enrollment's, reader changes) would go to the callback as soon as
     * it is set: drop them first, this host has no use for them. */
    do {
        memset(&stale, 0, sizeof stale);
        stale.struct_size = sizeof stale;
    } while (api->poll_event(ctx, 0, &stale) == ONSHI_OK);
    api->set_event_callback(ctx, on_event, dialog);
    /* No PIN up front (NULL): onshi asks with ONSHI_EVENT_PIN_NEEDED once the card is read. The
     * job's first events may reach the callback before this call returns. */
    if (api->check_eligibility(ctx, request, NULL, &job) != ONSHI_OK) {
        fprintf(stderr, "check not started: %s\n", api->last_error(ctx));
        return 0;
    }
    /* A console host can simply wait; a GUI host would return to its message loop instead. */
    if (api->job_wait(ctx, job, 120000, &final_status) != ONSHI_OK)
        return 0;
    api->set_event_callback(ctx, NULL, NULL); /* from now on events queue up for poll */
    return print_result(api, ctx, job, final_status);
}

/* ---- Poll style: the visual check ------------------------------------------------------------- */

static int visual_check(const onshi_api *api, onshi_context *ctx, const char *reader) {
    char request[640];
    onshi_job_id job = 0;
    int i;
    make_request(request, sizeof request, reader, "visual"); /* staff compared face and card */
    if (api->check_eligibility(ctx, request, NULL, &job) != ONSHI_OK) {
        fprintf(stderr, "check not started: %s\n", api->last_error(ctx));
        return 0;
    }
    /* A GUI host calls onshi_poll_event(ctx, 0, &ev) from a timer; here we wait 0.5 s a time. */
    for (i = 0; i < 240; ++i) {
        onshi_event ev;
        memset(&ev, 0, sizeof ev);
        ev.struct_size = sizeof ev; /* onshi fills only what this host knows */
        if (api->poll_event(ctx, 500, &ev) != ONSHI_OK || ev.job != job)
            continue; /* ONSHI_E_TIMEOUT (nothing happened) or a reader / card event */
        if (ev.type == ONSHI_EVENT_PROGRESS)
            printf("  [poll] %s\n", progress_text(ev.value));
        if (ev.type == ONSHI_EVENT_DONE || ev.type == ONSHI_EVENT_FAILED || ev.type == ONSHI_EVENT_CANCELLED)
            return print_result(api, ctx, job, ev.status);
    }
    fprintf(stderr, "the visual check did not end in time\n");
    return 0;
}

/* ---- main ------------------------------------------------------------------------------------- */

static int enroll(const onshi_api *api, onshi_context *ctx, const char *setup_file) {
    char *setup = read_file(setup_file);
    onshi_job_id job = 0;
    onshi_status st = ONSHI_E_INTERNAL;
    if (!setup) {
        fprintf(stderr, "cannot read %s\n", setup_file);
        return 0;
    }
    st = api->terminal_enroll(ctx, setup, &job);
    memset(setup, 0, strlen(setup)); /* it holds the setup password */
    free(setup);
    if (st != ONSHI_OK || api->job_wait(ctx, job, 60000, &st) != ONSHI_OK) {
        fprintf(stderr, "enrollment not started: %s\n", api->last_error(ctx));
        return 0;
    }
    api->job_release(ctx, job);
    if (st == ONSHI_E_ALREADY_ENROLLED) {
        printf("端末登録: 登録済み (already enrolled)\n");
        return 1;
    }
    printf("端末登録: %s\n", st == ONSHI_OK ? "完了 (enrolled)" : api->status_name(st));
    return st == ONSHI_OK;
}

/* Lets the reader monitor (started by onshi_open) see the readers: up to 3 s until one has a
 * card. Draining the queue with onshi_poll_event doubles as the wait. */
static void wait_for_readers(const onshi_api *api, onshi_context *ctx) {
    int i;
    for (i = 0; i < 30; ++i) {
        char *json = NULL;
        onshi_event ev;
        int ready = 0;
        if (api->list_readers(ctx, &json) == ONSHI_OK) {
            ready = strstr(json, "\"card_present\":true") != NULL;
            if (ready)
                printf("readers: %s\n", json);
            api->free_memory(json); /* onshi's memory goes back to onshi */
        }
        if (ready)
            return;
        memset(&ev, 0, sizeof ev);
        ev.struct_size = sizeof ev;
        api->poll_event(ctx, 100, &ev);
    }
}

int main(int argc, char **argv) {
    const char *library = NULL, *config_file = NULL, *setup_file = NULL;
    const char *reader = "", *visual_reader = "";
    onshi_api api;
    pin_dialog dialog;
    onshi_context *ctx = NULL;
    char *config;
    int i, ok;

    memset(&dialog, 0, sizeof dialog);
    for (i = 1; i < argc; ++i) {
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--allow-last-attempt") == 0) {
            dialog.allow_last_attempt = 1;
            continue;
        }
        if (!value)
            break;
        if (strcmp(argv[i], "--library") == 0) library = value;
        else if (strcmp(argv[i], "--config") == 0) config_file = value;
        else if (strcmp(argv[i], "--setup") == 0) setup_file = value;
        else if (strcmp(argv[i], "--reader") == 0) reader = value;
        else if (strcmp(argv[i], "--visual-reader") == 0) visual_reader = value;
        else break;
        ++i;
    }
    if (i < argc || !library || !config_file) {
        fprintf(stderr, "usage: onshi-c-host --library PATH --config FILE [--setup FILE] [--reader NAME]\n"
                        "                    [--visual-reader NAME] [--allow-last-attempt]   (PIN on stdin)\n");
        return 2;
    }
    /* The PIN pad: the first line of stdin. */
    if (!fgets(dialog.pin, sizeof dialog.pin, stdin))
        dialog.pin[0] = '\0';
    dialog.pin[strcspn(dialog.pin, "\r\n")] = '\0';

    if (!load_api(library, &api))
        return 2;
    printf("onshi %s (ABI %u.%u)\n", api.version(), (unsigned)(api.abi_version() >> 16),
           (unsigned)(api.abi_version() & 0xFFFFu));

    config = read_file(config_file);
    if (!config) {
        fprintf(stderr, "cannot read %s\n", config_file);
        return 2;
    }
    if (api.open(config, &ctx) != ONSHI_OK) {
        fprintf(stderr, "onshi_open: %s\n", api.last_error(NULL)); /* names the bad key */
        free(config);
        return 2;
    }
    free(config);
    dialog.api = &api;
    dialog.ctx = ctx;

    if (setup_file && !enroll(&api, ctx, setup_file)) {
        api.close(ctx);
        return 2;
    }
    wait_for_readers(&api, ctx);

    printf("資格確認 (PIN, callback style)\n");
    ok = pin_check(&api, ctx, reader, &dialog);
    printf("資格確認 (目視確認 visual, poll style)\n");
    ok = visual_check(&api, ctx, visual_reader) && ok;

    api.close(ctx); /* ends every job and thread; no callback after it returns */
    return ok ? 0 : 1;
}
