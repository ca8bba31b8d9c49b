/*
 * onshi.h — the public C ABI of onshi, a plugin that confirms a patient's health-insurance
 * eligibility with the My Number Card (オンライン資格確認, 資格確認限定型).
 *
 * This header is the whole contract between onshi and a host program. It is plain C99 and
 * compiles as C and as C++. docs/abi.md explains every function, ownership and threading rule.
 *
 * Conventions (shared with SQLite, libcurl and PKCS#11):
 *  - Handles are opaque pointers. Only fixed-width integers, size_t, UTF-8 NUL-terminated strings
 *    and pointers to opaque handles cross the boundary. The single struct (onshi_event) starts
 *    with its own size and only ever grows at the end.
 *  - Every function that can fail returns an onshi_status. Values never change meaning and are
 *    never renumbered. onshi_last_error() gives a human message for the last failure.
 *  - Memory that onshi hands to the host is released by onshi: strings and buffers with
 *    onshi_free(), results with onshi_result_free(), the context with onshi_close().
 *  - Calls that touch a card or the network return a job id at once; the outcome arrives as
 *    events (callback, poll, or a Windows window message). Nothing else blocks the caller.
 *  - The PIN and 照合番号B never travel inside JSON: they have their own parameters, are copied
 *    into wiped memory and are never logged.
 */
#ifndef ONSHI_ONSHI_H
#define ONSHI_ONSHI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Versions and linkage
 * ------------------------------------------------------------------------------------------- */

/* The ABI version this header describes. The major changes only on an incompatible change (it is
 * also the ELF SONAME suffix); the minor grows with every addition. */
#define ONSHI_ABI_VERSION_MAJOR 1
#define ONSHI_ABI_VERSION_MINOR 0
#define ONSHI_ABI_VERSION ((ONSHI_ABI_VERSION_MAJOR << 16) | ONSHI_ABI_VERSION_MINOR)

/* Calling convention: __stdcall on 32-bit Windows (what VB, Delphi and .NET declare by default),
 * the platform default elsewhere. Exported names are undecorated on every platform. */
#if defined(_WIN32) && (defined(_M_IX86) || defined(__i386__))
#define ONSHI_CALL __stdcall
#else
#define ONSHI_CALL
#endif

#if defined(ONSHI_BUILDING_LIBRARY)
#if defined(_WIN32)
#define ONSHI_API __declspec(dllexport)
#else
#define ONSHI_API __attribute__((visibility("default")))
#endif
#else
#define ONSHI_API
#endif

/* ---------------------------------------------------------------------------------------------
 * Status codes (stable numeric values)
 * ------------------------------------------------------------------------------------------- */

typedef int32_t onshi_status;

enum {
    ONSHI_OK = 0,

    /* General (1-99) */
    ONSHI_E_INVALID_ARGUMENT = 1,  /* NULL where a value is required, malformed or oversized input */
    ONSHI_E_INVALID_HANDLE = 2,    /* not a live onshi_context / onshi_result */
    ONSHI_E_NO_MEMORY = 3,
    ONSHI_E_NOT_SUPPORTED = 4,     /* not available in this build or on this platform */
    ONSHI_E_INTERNAL = 5,          /* a bug in onshi; the message says where */
    ONSHI_E_CLOSING = 6,           /* the context is being closed */
    ONSHI_E_TIMEOUT = 7,           /* a wait or poll ran out of time (nothing failed) */
    ONSHI_E_CANCELLED = 8,         /* the job was cancelled */
    ONSHI_E_CONFIG = 9,            /* the configuration JSON is invalid; the message names the key */
    ONSHI_E_NOT_FOUND = 10,        /* unknown job id, result field or reader */
    ONSHI_E_BUSY = 11,             /* too many unreleased jobs, or the reader is already in use */
    ONSHI_E_WRONG_STATE = 12,      /* e.g. a PIN given for a job that is not waiting for one */

    /* Card and reader (100-199) */
    ONSHI_E_PCSC_UNAVAILABLE = 100, /* the PC/SC service (pcscd / Smart Card service) is not running */
    ONSHI_E_NO_READER = 101,        /* no card reader, or the named reader does not exist */
    ONSHI_E_NO_CARD = 102,          /* no card on the reader */
    ONSHI_E_CARD_REMOVED = 103,     /* the card left the reader during the job */
    ONSHI_E_NOT_MYNUMBER_CARD = 104,
    ONSHI_E_JUKI_CARD = 105,        /* an old 住民基本台帳カード, not a My Number Card */
    ONSHI_E_PIN_INCORRECT = 106,    /* event value = tries left */
    ONSHI_E_PIN_BLOCKED = 107,      /* the PIN is locked; the patient must reset it at the municipality */
    ONSHI_E_LAST_TRY_REFUSED = 108, /* one try left and the host did not allow spending it */
    ONSHI_E_PIN_FORMAT = 109,       /* the PIN is not 4 digits; no try was spent */
    ONSHI_E_COLLATION_B_INCORRECT = 110, /* 照合番号B wrong; event value = tries left */
    ONSHI_E_COLLATION_B_BLOCKED = 111,
    ONSHI_E_COLLATION_B_FORMAT = 112,    /* not 14 digits of the form YYMMDD + YYYY + 4 digits */
    ONSHI_E_CARD_ERROR = 113,       /* the card answered something unexpected */
    ONSHI_E_CARD_IN_USE = 114,      /* another program holds the card exclusively */

    /* Gateway (200-299) */
    ONSHI_E_NETWORK = 200,          /* cannot reach the gateway, or the connection broke */
    ONSHI_E_GATEWAY_TIMEOUT = 201,
    ONSHI_E_TLS = 202,              /* TLS failed: certificate not trusted, wrong host, old protocol */
    ONSHI_E_GATEWAY_ERROR = 203,    /* the gateway reported an internal error */
    ONSHI_E_GATEWAY_PROTOCOL = 204, /* the gateway's answer was malformed or unexpected */
    ONSHI_E_NOT_ENROLLED = 205,     /* this terminal is not registered (see onshi_terminal_enroll) */
    ONSHI_E_CERT_REVOKED = 206,     /* the card's certificate is revoked */
    ONSHI_E_CERT_EXPIRED = 207,     /* the card's certificate has expired */
    ONSHI_E_REJECTED = 208,         /* signature, freshness or replay check failed at the gateway */
    ONSHI_E_TERMINAL_LIMIT = 209,   /* the facility already uses every terminal it applied for */
    ONSHI_E_SETUP_CREDENTIALS = 210,/* the setup credentials were not accepted */
    ONSHI_E_ALREADY_ENROLLED = 211,

    /* Registration and data (300-399) */
    ONSHI_E_VALIDATION = 300,       /* input failed validation; the report JSON lists every error */
    ONSHI_E_CREDENTIAL_STORE = 301, /* the terminal's key/certificate store is missing, corrupt or unwritable */
    ONSHI_E_PARSE = 302             /* a result document could not be parsed */
};

/* ---------------------------------------------------------------------------------------------
 * Handles and identifiers
 * ------------------------------------------------------------------------------------------- */

typedef struct onshi_context onshi_context; /* one per host (usually); owns threads and jobs */
typedef struct onshi_result onshi_result;   /* an immutable outcome of a job or an imported XML */

/* Jobs are numbered from 1 within a context; 0 is never a valid job. 32 bits so that a job id fits
 * a window message's LPARAM on 32-bit Windows. */
typedef uint32_t onshi_job_id;

/* Job states (onshi_job_state). */
enum {
    ONSHI_JOB_QUEUED = 1,
    ONSHI_JOB_RUNNING = 2,
    ONSHI_JOB_WAITING_FOR_PIN = 3, /* waiting for onshi_provide_pin */
    ONSHI_JOB_DONE = 4,            /* final: succeeded, a result is available */
    ONSHI_JOB_FAILED = 5,          /* final: the status says why */
    ONSHI_JOB_CANCELLED = 6        /* final */
};

/* ---------------------------------------------------------------------------------------------
 * Events
 * ------------------------------------------------------------------------------------------- */

enum {
    ONSHI_EVENT_NONE = 0,
    ONSHI_EVENT_PROGRESS = 1,   /* value = ONSHI_PROGRESS_* */
    ONSHI_EVENT_PIN_NEEDED = 2, /* value = tries left, detail = ONSHI_SECRET_* */
    ONSHI_EVENT_DONE = 3,       /* final, status = ONSHI_OK */
    ONSHI_EVENT_FAILED = 4,     /* final, status = why; value = tries left for PIN errors, else -1 */
    ONSHI_EVENT_CANCELLED = 5,  /* final, status = ONSHI_E_CANCELLED */
    ONSHI_EVENT_READER_ADDED = 16,   /* text = reader name */
    ONSHI_EVENT_READER_REMOVED = 17, /* text = reader name */
    ONSHI_EVENT_CARD_INSERTED = 18,  /* text = reader name */
    ONSHI_EVENT_CARD_REMOVED = 19    /* text = reader name */
};

/* ONSHI_EVENT_PROGRESS values. */
enum {
    ONSHI_PROGRESS_WAITING_FOR_CARD = 1,
    ONSHI_PROGRESS_READING_CARD = 2,
    ONSHI_PROGRESS_VERIFYING_PIN = 3,
    ONSHI_PROGRESS_SIGNING = 4,
    ONSHI_PROGRESS_READING_PHOTO = 5,
    ONSHI_PROGRESS_CONTACTING_GATEWAY = 6
};

/* Which secret an ONSHI_EVENT_PIN_NEEDED asks for (event detail). */
enum {
    ONSHI_SECRET_PIN = 1,        /* 利用者証明用暗証番号, 4 digits */
    ONSHI_SECRET_COLLATION_B = 2 /* 照合番号B, 14 digits: birth YYMMDD + expiry year YYYY + security code */
};

typedef struct onshi_event {
    uint32_t struct_size; /* bytes of this struct that are valid; fields are only ever appended */
    int32_t type;         /* ONSHI_EVENT_* */
    onshi_job_id job;     /* the job, or 0 for reader and card events */
    onshi_status status;  /* final status for DONE / FAILED / CANCELLED, else ONSHI_OK */
    int32_t value;        /* see the event type; -1 when unused */
    int32_t detail;       /* see the event type; 0 when unused */
    const char *text;     /* UTF-8, never NULL ("" when unused); see lifetime rules in docs/abi.md */
} onshi_event;

/* Called on an onshi thread, one event at a time, in order. It may call any onshi function except
 * onshi_close on the same context, and should return quickly. */
typedef void(ONSHI_CALL *onshi_event_callback)(void *user_data, const onshi_event *event);

/* Flags for onshi_provide_pin. */
enum {
    ONSHI_PIN_ALLOW_LAST_ATTEMPT = 1 /* the patient may spend the last try (the host asked them) */
};

/* ---------------------------------------------------------------------------------------------
 * Library
 * ------------------------------------------------------------------------------------------- */

/* ONSHI_ABI_VERSION of the loaded library. A host built against major M must refuse a library
 * whose major differs, and may use only functions of minor <= the library's minor. */
ONSHI_API uint32_t ONSHI_CALL onshi_abi_version(void);

/* Release version, e.g. "0.1.0". Static storage. */
ONSHI_API const char *ONSHI_CALL onshi_version(void);

/* Symbolic name ("ONSHI_E_NO_CARD") and a generic message in "ja" or "en" (NULL = "ja") for a
 * status. Static storage; unknown values give "ONSHI_E_UNKNOWN" and a generic message. */
ONSHI_API const char *ONSHI_CALL onshi_status_name(onshi_status status);
ONSHI_API const char *ONSHI_CALL onshi_status_message(onshi_status status, const char *locale);

/* Frees a string or buffer that onshi returned through a char** or uint8_t** parameter.
 * NULL is ignored. */
ONSHI_API void ONSHI_CALL onshi_free(void *memory);

/* ---------------------------------------------------------------------------------------------
 * Context
 * ------------------------------------------------------------------------------------------- */

/* Opens a context from a JSON configuration (NULL or "{}" = defaults; see docs/config.md).
 * Starts the worker and event threads and the reader monitor. */
ONSHI_API onshi_status ONSHI_CALL onshi_open(const char *config_json, onshi_context **out_context);

/* Cancels every job, delivers each unfinished job's final event, joins every thread and frees the
 * context. After it returns onshi never calls the host again for this context. Must not be called
 * from an onshi callback of the same context (returns ONSHI_E_WRONG_STATE). NULL is ignored. */
ONSHI_API onshi_status ONSHI_CALL onshi_close(onshi_context *context);

/* The message (in the context's locale) of the last failed call made on this thread with this
 * context; with NULL, of the last failed call that has no context (onshi_open, onshi_result_*),
 * in Japanese and English. "" when there is none. Valid until the next onshi call on this thread. */
ONSHI_API const char *ONSHI_CALL onshi_last_error(const onshi_context *context);

/* ---------------------------------------------------------------------------------------------
 * Event delivery: pick one style per context. Events go to the callback when one is set, else
 * they wait in a queue for onshi_poll_event. A window (Windows) only rings a bell: on each posted
 * message the host drains the queue with onshi_poll_event(ctx, 0, &ev).
 * ------------------------------------------------------------------------------------------- */

/* Sets or (with NULL) clears the callback. Events already queued are then delivered to it. */
ONSHI_API onshi_status ONSHI_CALL onshi_set_event_callback(onshi_context *context,
                                                          onshi_event_callback callback,
                                                          void *user_data);

/* Takes the next queued event, waiting up to timeout_ms (0 = do not wait). Returns ONSHI_E_TIMEOUT
 * when none came. The caller sets out_event->struct_size = sizeof(onshi_event) first. text stays
 * valid until the next onshi_poll_event on this thread. */
ONSHI_API onshi_status ONSHI_CALL onshi_poll_event(onshi_context *context, uint32_t timeout_ms,
                                                   onshi_event *out_event);

/* Windows: after an event is queued, PostMessage(hwnd, message, event type, job id). NULL hwnd
 * stops it. Other platforms: ONSHI_E_NOT_SUPPORTED. */
ONSHI_API onshi_status ONSHI_CALL onshi_set_event_window(onshi_context *context, void *hwnd,
                                                         uint32_t message);

/* ---------------------------------------------------------------------------------------------
 * Readers
 * ------------------------------------------------------------------------------------------- */

/* The readers the monitor currently sees, as a JSON array:
 * [{"name": "...", "card_present": true}, ...]. Never blocks on PC/SC. Free with onshi_free.
 * ONSHI_E_PCSC_UNAVAILABLE when the PC/SC service is not running (or disabled in the config),
 * so that "no service" and "no reader" ([]) can be told apart. */
ONSHI_API onshi_status ONSHI_CALL onshi_list_readers(onshi_context *context, char **out_json);

/* ---------------------------------------------------------------------------------------------
 * Eligibility check (資格確認)
 * ------------------------------------------------------------------------------------------- */

/* Starts a check and returns its job id at once (with a callback, the job's first events may
 * arrive before this returns; match them by job id). request_json, e.g.
 *   {"reader": "ACS ACR39U 00 00", "method": "pin", "allow_last_attempt": false,
 *    "consents": {"limit_application_certificate": true}}
 * method "pin": secret is the 4-digit PIN, or NULL to be asked with ONSHI_EVENT_PIN_NEEDED.
 * method "visual" (目視確認): secret is NULL, or 照合番号B when "photo": true asks for the face photo.
 * The secret is copied and wiped; the caller may wipe its own copy when this returns. */
ONSHI_API onshi_status ONSHI_CALL onshi_check_eligibility(onshi_context *context,
                                                          const char *request_json,
                                                          const char *secret,
                                                          onshi_job_id *out_job);

/* Answers ONSHI_EVENT_PIN_NEEDED with the PIN (or 照合番号B, see the event's detail).
 * flags: ONSHI_PIN_ALLOW_LAST_ATTEMPT or 0. */
ONSHI_API onshi_status ONSHI_CALL onshi_provide_pin(onshi_context *context, onshi_job_id job,
                                                    const char *secret, uint32_t flags);

/* ---------------------------------------------------------------------------------------------
 * Jobs
 * ------------------------------------------------------------------------------------------- */

/* Asks a job to stop. It ends with ONSHI_EVENT_CANCELLED unless it already ended; never spends a
 * PIN try after the request. Cancelling an ended job is ONSHI_OK. */
ONSHI_API onshi_status ONSHI_CALL onshi_job_cancel(onshi_context *context, onshi_job_id job);

/* Waits until the job has ended, up to timeout_ms (UINT32_MAX = forever). ONSHI_OK with
 * *out_final_status (may be NULL) when it ended, ONSHI_E_TIMEOUT otherwise. */
ONSHI_API onshi_status ONSHI_CALL onshi_job_wait(onshi_context *context, onshi_job_id job,
                                                 uint32_t timeout_ms, onshi_status *out_final_status);

/* Current ONSHI_JOB_* state and, once ended, the final status (either pointer may be NULL). */
ONSHI_API onshi_status ONSHI_CALL onshi_job_state(onshi_context *context, onshi_job_id job,
                                                  int32_t *out_state, onshi_status *out_final_status);

/* The outcome of an ended job (DONE: the result; FAILED / CANCELLED: a result whose JSON holds
 * the error). ONSHI_E_WRONG_STATE while it runs. Free with onshi_result_free. */
ONSHI_API onshi_status ONSHI_CALL onshi_job_result(onshi_context *context, onshi_job_id job,
                                                   onshi_result **out_result);

/* Forgets an ended job and frees what it holds (results already taken stay valid). A running
 * job is cancelled first and forgotten when it ends. Unreleased jobs count against "max_jobs". */
ONSHI_API onshi_status ONSHI_CALL onshi_job_release(onshi_context *context, onshi_job_id job);

/* ---------------------------------------------------------------------------------------------
 * Results
 * ------------------------------------------------------------------------------------------- */

/* The whole result as JSON (official 資格確認結果 element names, values as strings). Owned by the
 * result. */
ONSHI_API onshi_status ONSHI_CALL onshi_result_json(const onshi_result *result, const char **out_json);

/* The index-th (from 0) value of an official element anywhere in the result, e.g.
 * "InsurerNumber", "QualificationValidity", "ElderlyRecipientContributionRatio". Owned by the
 * result. ONSHI_E_NOT_FOUND when absent. */
ONSHI_API onshi_status ONSHI_CALL onshi_result_field(const onshi_result *result,
                                                     const char *element_name, uint32_t index,
                                                     const char **out_value);

/* The IC chip's face photo as PNG (visual checks with "photo": true). Owned by the result.
 * ONSHI_E_NOT_FOUND when the result has none. */
ONSHI_API onshi_status ONSHI_CALL onshi_result_photo_png(const onshi_result *result,
                                                         const uint8_t **out_png, size_t *out_size);

/* Parses an official result XML (OQSsiquc01res_*.xml from a face-recognition terminal's res/face
 * folder; UTF-8 or Shift_JIS) into the same result model. context may be NULL. */
ONSHI_API onshi_status ONSHI_CALL onshi_result_from_xml(onshi_context *context, const void *xml,
                                                        size_t size, onshi_result **out_result);

/* NULL is ignored. */
ONSHI_API void ONSHI_CALL onshi_result_free(onshi_result *result);

/* ---------------------------------------------------------------------------------------------
 * Registration (利用申請 and the terminal's life cycle)
 * ------------------------------------------------------------------------------------------- */

/* Validates an application form (利用申請書) given as JSON. ONSHI_OK or ONSHI_E_VALIDATION; either
 * way *out_report_json lists every error by field with Japanese and English messages. */
ONSHI_API onshi_status ONSHI_CALL onshi_application_validate(onshi_context *context,
                                                             const char *form_json,
                                                             char **out_report_json);

/* Renders a valid form as a printable A4 PDF. options_json may be NULL, or
 * {"include_password": true} to print the password. Free *out_pdf with onshi_free. */
ONSHI_API onshi_status ONSHI_CALL onshi_application_render_pdf(onshi_context *context,
                                                               const char *form_json,
                                                               const char *options_json,
                                                               uint8_t **out_pdf, size_t *out_size);

/* Checks 保険者番号, 公費負担者番号, 受給者番号 or 医療機関等コード by format and check digit, e.g.
 * {"insurer_number": "06130488"}. Same report shape and statuses as onshi_application_validate. */
ONSHI_API onshi_status ONSHI_CALL onshi_validate_numbers(onshi_context *context,
                                                         const char *numbers_json,
                                                         char **out_report_json);

/* Registers this terminal with the gateway using the facility's setup credentials (JSON as in the
 * approval letter / the sandbox's setup.json). A key pair is made here; only the CSR leaves. */
ONSHI_API onshi_status ONSHI_CALL onshi_terminal_enroll(onshi_context *context,
                                                        const char *setup_json,
                                                        onshi_job_id *out_job);

/* The terminal's registration status (enrolled, terminal id, facility, certificate expiry,
 * terminals used / allowed, planned end date) as a job result. */
ONSHI_API onshi_status ONSHI_CALL onshi_terminal_status(onshi_context *context,
                                                        onshi_job_id *out_job);

/* Sets (date "YYYY-MM-DD") or cancels (NULL) the planned end of use (利用終了予定年月日). */
ONSHI_API onshi_status ONSHI_CALL onshi_terminal_set_end_date(onshi_context *context,
                                                              const char *date,
                                                              onshi_job_id *out_job);

/* Ends use now (利用終了): frees the slot at the gateway and wipes the local key. */
ONSHI_API onshi_status ONSHI_CALL onshi_terminal_unenroll(onshi_context *context,
                                                          onshi_job_id *out_job);

/* Renews the terminal certificate with a new key before the current one expires. */
ONSHI_API onshi_status ONSHI_CALL onshi_terminal_renew(onshi_context *context,
                                                       onshi_job_id *out_job);

#ifdef __cplusplus
}
#endif

#endif /* ONSHI_ONSHI_H */
