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
 *    never renumbered. Each function lists the statuses it returns (@retval, as pcsc-lite does);
 *    any of them may also return ONSHI_E_NO_MEMORY and ONSHI_E_INTERNAL, which are not repeated.
 *    Every status other than ONSHI_OK leaves a message for onshi_last_error().
 *  - Every name says the ABI version that added it ("@since 1.0", "since 1.1"), as libcurl does.
 *    Use a name only when the loaded library's minor (onshi_abi_version() & 0xFFFF) is at least
 *    that; names marked "alias" are new spellings of older values and work with every 1.x library.
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

/* Since 1.0 (as is everything in this section). The ABI version this header describes. The major
 * changes only on an incompatible change (it is also the ELF SONAME suffix); the minor grows with
 * every addition: the names marked "since 1.1" are what 1.1 adds to 1.0. */
#define ONSHI_ABI_VERSION_MAJOR 1
#define ONSHI_ABI_VERSION_MINOR 1
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

typedef int32_t onshi_status; /* since 1.0 */

enum {
    ONSHI_OK = 0,                  /* since 1.0 */

    /* General (1-99) */
    ONSHI_E_INVALID_ARGUMENT = 1,  /* since 1.0: NULL where a value is required, malformed or oversized input */
    ONSHI_E_INVALID_HANDLE = 2,    /* since 1.0: not a live onshi_context / onshi_result */
    ONSHI_E_NO_MEMORY = 3,         /* since 1.0 */
    ONSHI_E_NOT_SUPPORTED = 4,     /* since 1.0: not available in this build or on this platform */
    ONSHI_E_INTERNAL = 5,          /* since 1.0: a bug in onshi; the message says where */
    ONSHI_E_CLOSING = 6,           /* since 1.0: the context is being closed */
    ONSHI_E_TIMEOUT = 7,           /* since 1.0: from onshi_poll_event / onshi_job_wait, nothing came in
                                    * time (no job failed); as a job's final status, the patient did
                                    * not enter the PIN / 照合番号B within "pin_timeout_ms", or the
                                    * PC/SC service did not answer in time */
    ONSHI_E_CANCELLED = 8,         /* since 1.0: the job was cancelled */
    ONSHI_E_CONFIG = 9,            /* since 1.0: the configuration is invalid or incomplete; the message names the key */
    ONSHI_E_NOT_FOUND = 10,        /* since 1.0: unknown or released job id; element or photo absent from a
                                    * result (an unknown reader is ONSHI_E_NO_READER) */
    ONSHI_E_BUSY = 11,             /* since 1.0: "max_jobs" jobs are not released yet, or checks were started
                                    * on too many distinct reader names (64 with a gateway configured) */
    ONSHI_E_WRONG_STATE = 12,      /* since 1.0: a secret for a job not waiting for one, the result of a
                                    * job still running, onshi_close from its own callback */

    /* Card and reader (100-199) */
    ONSHI_E_PCSC_UNAVAILABLE = 100, /* since 1.0: the PC/SC service (pcscd / Smart Card service) is not running */
    ONSHI_E_NO_READER = 101,        /* since 1.0: no card reader, or the named reader does not exist */
    ONSHI_E_NO_CARD = 102,          /* since 1.0: no card on the reader */
    ONSHI_E_CARD_REMOVED = 103,     /* since 1.0: the card left the reader during the job */
    ONSHI_E_NOT_MYNUMBER_CARD = 104, /* since 1.0 */
    ONSHI_E_JUKI_CARD = 105,        /* since 1.0: an old 住民基本台帳カード, not a My Number Card */
    ONSHI_E_PIN_INCORRECT = 106,    /* since 1.0: event value = tries left */
    ONSHI_E_PIN_BLOCKED = 107,      /* since 1.0: the PIN is locked; the patient must reset it at the municipality */
    ONSHI_E_LAST_TRY_REFUSED = 108, /* since 1.0: one try left and the host did not allow spending it */
    ONSHI_E_PIN_FORMAT = 109,       /* since 1.0: the PIN is not 4 digits; no try was spent */
    ONSHI_E_COLLATION_B_INCORRECT = 110, /* since 1.0: 照合番号B wrong; event value = tries left */
    ONSHI_E_COLLATION_B_BLOCKED = 111,   /* since 1.0 */
    ONSHI_E_COLLATION_B_FORMAT = 112,    /* since 1.0: not 14 digits of the form YYMMDD + YYYY + 4 digits */
    ONSHI_E_CARD_ERROR = 113,       /* since 1.0: the card answered something unexpected */
    ONSHI_E_CARD_IN_USE = 114,      /* since 1.0: another program holds the card exclusively */
    ONSHI_E_VISUAL_NOT_AVAILABLE = 115, /* since 1.1: 目視確認 is impossible on this medium (a smartphone has no
                                         * card face and no 券面事項確認AP); no secret was asked */
    ONSHI_E_MEDIUM_NOT_SUPPORTED = 116, /* since 1.1: onshi cannot check this medium yet (an iPhone: docs/smartphones.md);
                                         * refused before any secret was asked */

    /* Gateway (200-299) */
    ONSHI_E_NETWORK = 200,          /* since 1.0: cannot reach the gateway, or the connection broke */
    ONSHI_E_GATEWAY_TIMEOUT = 201,  /* since 1.0 */
    ONSHI_E_TLS = 202,              /* since 1.0: TLS failed: certificate not trusted, wrong host, old protocol */
    ONSHI_E_GATEWAY_ERROR = 203,    /* since 1.0: the gateway reported an internal error */
    ONSHI_E_GATEWAY_PROTOCOL = 204, /* since 1.0: the gateway's answer was malformed or unexpected */
    ONSHI_E_NOT_ENROLLED = 205,     /* since 1.0: this terminal is not registered (see onshi_terminal_enroll) */
    ONSHI_E_CERT_REVOKED = 206,     /* since 1.0: the card's certificate is revoked */
    ONSHI_E_CERT_EXPIRED = 207,     /* since 1.0: the card's certificate has expired (since 1.1: past the
                                     * grace window of docs/certificate-expiry.md; the message gives the dates) */
    ONSHI_E_REJECTED = 208,         /* since 1.0: signature, freshness or replay check failed at the gateway */
    ONSHI_E_TERMINAL_LIMIT = 209,   /* since 1.0: the facility already uses every terminal it applied for */
    ONSHI_E_SETUP_CREDENTIALS = 210,/* since 1.0: the setup credentials were not accepted */
    ONSHI_E_ALREADY_ENROLLED = 211, /* since 1.0 */
    ONSHI_E_ELIGIBILITY_ERROR = 212, /* since 1.1: the eligibility system reported that it could not process the
                                      * check (SegmentOfResult other than 1, ProcessingResultStatus 2); the detail
                                      * keeps its ErrorCode / ProcessingResultCode and text */
    ONSHI_E_TERMINAL_FOLDERS = 213,  /* since 1.1: "terminal_folders" is not configured, or its req folder is
                                      * missing or not writable (onshi_check_by_insurance) */
    ONSHI_E_TERMINAL_NO_ANSWER = 214, /* since 1.1: the 資格確認端末 did not answer the request file in time;
                                       * the request file was removed */
    ONSHI_E_TERMINAL_ANSWER = 215,   /* since 1.1: the 資格確認端末's answer file could not be read (malformed,
                                      * wrong encoding, not a 資格確認結果) */

    /* Registration and data (300-399) */
    ONSHI_E_VALIDATION = 300,       /* since 1.0: input failed validation; the report JSON lists every error */
    ONSHI_E_CREDENTIAL_STORE = 301, /* since 1.0: the terminal's key/certificate store is missing, corrupt or unwritable */
    ONSHI_E_PARSE = 302,            /* since 1.0: a result document could not be parsed */
    ONSHI_E_FACE_EXPORT = 303       /* since 1.1: a result could not be written to the face folder ("face_export"):
                                     * the folder is missing or not writable, the disk is full, or a character
                                     * has no Shift_JIS code; the check itself is done (ONSHI_EVENT_FACE_EXPORTED) */
};

/* ---------------------------------------------------------------------------------------------
 * Handles and identifiers
 * ------------------------------------------------------------------------------------------- */

typedef struct onshi_context onshi_context; /* since 1.0: one per host (usually); owns threads and jobs */
typedef struct onshi_result onshi_result;   /* since 1.0: an immutable outcome of a job or an imported XML */

/* Since 1.0. Jobs are numbered from 1 within a context; 0 is never a valid job. 32 bits so that a
 * job id fits a window message's LPARAM on 32-bit Windows. */
typedef uint32_t onshi_job_id;

/* Job states (onshi_job_state). */
enum {
    ONSHI_JOB_QUEUED = 1,          /* since 1.0 */
    ONSHI_JOB_RUNNING = 2,         /* since 1.0 */
    ONSHI_JOB_WAITING_FOR_PIN = 3, /* since 1.0: waiting for onshi_provide_pin (the PIN or 照合番号B) */
    ONSHI_JOB_DONE = 4,            /* since 1.0: final: succeeded, a result is available */
    ONSHI_JOB_FAILED = 5,          /* since 1.0: final: the status says why */
    ONSHI_JOB_CANCELLED = 6,       /* since 1.0: final */

    /* since 1.1, alias, preferred: the job waits for either secret, not only the PIN */
    ONSHI_JOB_WAITING_FOR_SECRET = ONSHI_JOB_WAITING_FOR_PIN
};

/* ---------------------------------------------------------------------------------------------
 * Events
 * ------------------------------------------------------------------------------------------- */

enum {
    ONSHI_EVENT_NONE = 0,       /* since 1.0 (never delivered) */
    ONSHI_EVENT_PROGRESS = 1,   /* since 1.0: value = ONSHI_PROGRESS_* */
    ONSHI_EVENT_PIN_NEEDED = 2, /* since 1.0: value = tries left, detail = ONSHI_SECRET_* (PIN or 照合番号B);
                                 * since 1.1: text = the prompt, which on an Android phone asks for
                                 * the スマホ用電子証明書's PIN (docs/smartphones.md) */
    ONSHI_EVENT_DONE = 3,       /* since 1.0: final, status = ONSHI_OK */
    ONSHI_EVENT_FAILED = 4,     /* since 1.0: final, status = why; value = tries left for PIN / 照合番号B
                                 * errors, else -1; text = the message */
    ONSHI_EVENT_CANCELLED = 5,  /* since 1.0: final, status = ONSHI_E_CANCELLED */
    ONSHI_EVENT_READER_ADDED = 16,   /* since 1.0: text = reader name */
    ONSHI_EVENT_READER_REMOVED = 17, /* since 1.0: text = reader name */
    ONSHI_EVENT_CARD_INSERTED = 18,  /* since 1.0: text = reader name; since 1.1: detail = ONSHI_MEDIUM_* */
    ONSHI_EVENT_CARD_REMOVED = 19,   /* since 1.0: text = reader name */
    ONSHI_EVENT_RESULT_ARRIVED = 20, /* since 1.1: with "face_watch" configured, a 資格確認結果 file arrived in the
                                      * watched folder: job = a new finished job for that file (its result by
                                      * onshi_job_result, freed by onshi_job_release), status = ONSHI_OK, or
                                      * ONSHI_E_PARSE / ONSHI_E_ELIGIBILITY_ERROR for a file that gave no result;
                                      * text = the file's name (docs/folder-interface.md) */
    ONSHI_EVENT_FACE_EXPORTED = 21,  /* since 1.1: after a check's DONE, with "face_export" configured: job = the
                                      * check, status = ONSHI_OK and text = the file's name, or status =
                                      * ONSHI_E_FACE_EXPORT and text = why (the result stays with the job) */

    /* since 1.1, alias, preferred: the event asks for either secret (see its detail) */
    ONSHI_EVENT_SECRET_NEEDED = ONSHI_EVENT_PIN_NEEDED
};

/* ONSHI_EVENT_PROGRESS values. */
enum {
    ONSHI_PROGRESS_WAITING_FOR_CARD = 1,  /* since 1.0 */
    ONSHI_PROGRESS_READING_CARD = 2,      /* since 1.0 */
    ONSHI_PROGRESS_VERIFYING_PIN = 3,     /* since 1.0 */
    ONSHI_PROGRESS_SIGNING = 4,           /* since 1.0 */
    ONSHI_PROGRESS_READING_PHOTO = 5,     /* since 1.0 */
    ONSHI_PROGRESS_CONTACTING_GATEWAY = 6 /* since 1.0 */
};

/* What answers on a reader (since 1.1), told apart without a secret by the JPKI token
 * (docs/smartphones.md): ONSHI_EVENT_CARD_INSERTED's detail and "medium" in reader listings. */
enum {
    ONSHI_MEDIUM_UNKNOWN = 0, /* since 1.1: not identified (the card was in use by another program, or gone) */
    ONSHI_MEDIUM_CARD = 1,    /* since 1.1: the plastic My Number Card: PIN and visual checks */
    ONSHI_MEDIUM_ANDROID = 2, /* since 1.1: an Android スマホ用電子証明書: PIN checks only */
    ONSHI_MEDIUM_IPHONE = 3,  /* since 1.1: an iPhone マイナンバーカード: not supported (ONSHI_E_MEDIUM_NOT_SUPPORTED) */
    ONSHI_MEDIUM_JUKI = 4,    /* since 1.1: an old 住民基本台帳カード */
    ONSHI_MEDIUM_OTHER = 5    /* since 1.1: some other card */
};

/* Which secret an ONSHI_EVENT_SECRET_NEEDED asks for (event detail). */
enum {
    ONSHI_SECRET_PIN = 1,        /* since 1.0: 利用者証明用暗証番号, 4 digits */
    ONSHI_SECRET_COLLATION_B = 2 /* since 1.0: 照合番号B, 14 digits: birth YYMMDD + expiry year YYYY + security code */
};

/* Since 1.0; every member below is since 1.0. Members added later are appended, each with its
 * version: read one only when struct_size >= offsetof(onshi_event, member) + sizeof(member). */
typedef struct onshi_event {
    uint32_t struct_size; /* since 1.0: bytes of this struct that are valid; fields are only ever appended */
    int32_t type;         /* since 1.0: ONSHI_EVENT_* */
    onshi_job_id job;     /* since 1.0: the job, or 0 for reader and card events */
    onshi_status status;  /* since 1.0: final status for DONE / FAILED / CANCELLED, else ONSHI_OK */
    int32_t value;        /* since 1.0: see the event type; -1 when unused */
    int32_t detail;       /* since 1.0: see the event type; 0 when unused */
    const char *text;     /* since 1.0: UTF-8, never NULL ("" when unused); see lifetime rules in docs/abi.md */
} onshi_event;

/* Since 1.0. Called on an onshi thread, one event at a time, in order. It may call any onshi
 * function except onshi_close on the same context, and should return quickly. */
typedef void(ONSHI_CALL *onshi_event_callback)(void *user_data, const onshi_event *event);

/* Flags for onshi_provide_pin. */
enum {
    ONSHI_PIN_ALLOW_LAST_ATTEMPT = 1, /* since 1.0: the patient may spend the last try of the PIN or
                                       * 照合番号B (the host asked them) */

    /* since 1.1, alias, preferred: it allows the last try of either secret */
    ONSHI_SECRET_ALLOW_LAST_ATTEMPT = ONSHI_PIN_ALLOW_LAST_ATTEMPT
};

/* ---------------------------------------------------------------------------------------------
 * Library
 * ------------------------------------------------------------------------------------------- */

/* ONSHI_ABI_VERSION of the loaded library. A host built against major M must refuse a library
 * whose major differs, and may use only names of minor <= the library's minor. Never fails.
 * @since 1.0 */
ONSHI_API uint32_t ONSHI_CALL onshi_abi_version(void);

/* Release version, e.g. "0.1.0". Static storage. Never fails.
 * @since 1.0 */
ONSHI_API const char *ONSHI_CALL onshi_version(void);

/* Symbolic name ("ONSHI_E_NO_CARD") and a generic message in "ja" or "en" (NULL = "ja") for a
 * status. Static storage; unknown values give "ONSHI_E_UNKNOWN" and a generic message. Never fail.
 * @since 1.0 */
ONSHI_API const char *ONSHI_CALL onshi_status_name(onshi_status status);
ONSHI_API const char *ONSHI_CALL onshi_status_message(onshi_status status, const char *locale);

/* Frees a string or buffer that onshi returned through a char** or uint8_t** parameter.
 * NULL is ignored.
 * @since 1.0 */
ONSHI_API void ONSHI_CALL onshi_free(void *memory);

/* ---------------------------------------------------------------------------------------------
 * Context
 * ------------------------------------------------------------------------------------------- */

/* Opens a context from a JSON configuration (NULL or "{}" = defaults; see docs/config.md).
 * Starts the worker and event threads and the reader monitor. Messages: onshi_last_error(NULL).
 * @since 1.0
 * @retval ONSHI_OK
 * @retval ONSHI_E_INVALID_ARGUMENT  out_context is NULL
 * @retval ONSHI_E_CONFIG            not JSON, or a key unknown, of the wrong type or out of range */
ONSHI_API onshi_status ONSHI_CALL onshi_open(const char *config_json, onshi_context **out_context);

/* Cancels every job, delivers each unfinished job's final event, joins every thread and frees the
 * context. After it returns onshi never calls the host again for this context. NULL is ignored.
 * @since 1.0
 * @retval ONSHI_OK                  closed (or context is NULL)
 * @retval ONSHI_E_INVALID_HANDLE    not an open context (e.g. closed already)
 * @retval ONSHI_E_WRONG_STATE       called from an onshi callback of this context */
ONSHI_API onshi_status ONSHI_CALL onshi_close(onshi_context *context);

/* The message of the last call on this thread that returned a status other than ONSHI_OK, when
 * that call was made with this context; "" otherwise. With NULL: of the last failed call made with
 * no context (onshi_open, onshi_result_json / _field / _photo_png, onshi_result_from_xml with
 * NULL). In the context's locale; in Japanese and English for calls without a context and for
 * handles that are not open. Every failure sets it (timeouts of onshi_poll_event and onshi_job_wait
 * included); a successful call leaves it as it was. Valid until the next onshi call on this thread.
 * Never fails; never NULL.
 * @since 1.0 */
ONSHI_API const char *ONSHI_CALL onshi_last_error(const onshi_context *context);

/* ---------------------------------------------------------------------------------------------
 * Event delivery: pick one style per context. Events go to the callback when one is set, else
 * they wait in a queue for onshi_poll_event. A window (Windows) only rings a bell: on each posted
 * message the host drains the queue with onshi_poll_event(ctx, 0, &ev).
 * ------------------------------------------------------------------------------------------- */

/* Sets or (with NULL) clears the callback. Events already queued are then delivered to it.
 * @since 1.0
 * @retval ONSHI_OK
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_CLOSING           onshi_close is running */
ONSHI_API onshi_status ONSHI_CALL onshi_set_event_callback(onshi_context *context,
                                                          onshi_event_callback callback,
                                                          void *user_data);

/* Takes the next queued event, waiting up to timeout_ms (0 = do not wait). The caller sets
 * out_event->struct_size = sizeof(onshi_event) first. text stays valid until the next
 * onshi_poll_event on this thread.
 * @since 1.0
 * @retval ONSHI_OK                  *out_event holds the event
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_INVALID_ARGUMENT  out_event is NULL, or its struct_size is smaller than 1.0's struct
 * @retval ONSHI_E_TIMEOUT           no event within timeout_ms (always so while a callback is set);
 *                                   the end of every drain loop, not a failure of anything
 * @retval ONSHI_E_CLOSING           onshi_close is running (it wakes every waiting poll) */
ONSHI_API onshi_status ONSHI_CALL onshi_poll_event(onshi_context *context, uint32_t timeout_ms,
                                                   onshi_event *out_event);

/* Windows: after an event is queued, PostMessage(hwnd, message, event type, job id). NULL hwnd
 * stops it.
 * @since 1.0
 * @retval ONSHI_OK
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_INVALID_ARGUMENT  (Windows) hwnd is not a window
 * @retval ONSHI_E_NOT_SUPPORTED     (other platforms) hwnd is not NULL */
ONSHI_API onshi_status ONSHI_CALL onshi_set_event_window(onshi_context *context, void *hwnd,
                                                         uint32_t message);

/* ---------------------------------------------------------------------------------------------
 * Readers
 * ------------------------------------------------------------------------------------------- */

/* The readers the monitor currently sees, as a JSON array:
 * [{"name": "...", "card_present": true, "medium": "card"}, ...]. Never blocks on PC/SC. Free with
 * onshi_free. Since 1.1 a reader with a card has "medium": "card", "android", "iphone", "juki",
 * "other" or "unknown", read without any secret when the card arrived (docs/smartphones.md).
 * @since 1.0
 * @retval ONSHI_OK                  *out_json is set ("[]" when there is no reader)
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_INVALID_ARGUMENT  out_json is NULL
 * @retval ONSHI_E_PCSC_UNAVAILABLE  the PC/SC service is not running, or disabled in the config,
 *                                   so that "no service" and "no reader" can be told apart */
ONSHI_API onshi_status ONSHI_CALL onshi_list_readers(onshi_context *context, char **out_json);

/* Starts a reader diagnosis for support desks (since 1.1) and returns its job id at once.
 * request_json: NULL, "{}" or {"reader": "ACS ACR39U 00 00"} (absent: the first reader with a card).
 * The job reads, without spending any PIN or 照合番号B try, what the reader, its driver and the card
 * or phone in it look like: reader name and vendor attributes, protocol (T=0 / T=1 / contactless)
 * and ATR, the medium, whether the JPKI AP and the 券面事項確認AP answer, the PIN and 照合番号B tries
 * left, the auth certificate's expiry month and the expiry notice (not on an Android phone: it
 * needs the PIN), APDU round trips, the largest answer, extended length, and whether the reader
 * offers a PIN pad (PC/SC part 10). The report is the job's result (onshi_job_result, then
 * onshi_result_json): {"diagnosis": {...}} (docs/abi.md §Reader diagnosis). It holds no personal
 * data. A job: no reader or card, and card or PC/SC problems end it (ONSHI_E_NO_READER,
 * ONSHI_E_NO_CARD without waiting for a card, ONSHI_E_CARD_REMOVED, ONSHI_E_CARD_IN_USE,
 * ONSHI_E_PCSC_UNAVAILABLE), never this call. It runs after the reader's queued checks.
 * @since 1.1
 * @retval ONSHI_OK                  *out_job is the new job
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_INVALID_ARGUMENT  out_job is NULL; request_json is not valid JSON or has an
 *                                   unknown key, or "reader" is not a string of at most 256 bytes
 * @retval ONSHI_E_BUSY              "max_jobs" jobs are not released, or too many reader names
 *                                   are in use
 * @retval ONSHI_E_CLOSING           onshi_close is running */
ONSHI_API onshi_status ONSHI_CALL onshi_reader_diagnose(onshi_context *context,
                                                        const char *request_json,
                                                        onshi_job_id *out_job);

/* ---------------------------------------------------------------------------------------------
 * Eligibility check (資格確認)
 * ------------------------------------------------------------------------------------------- */

/* Starts a check and returns its job id at once (with a callback, the job's first events may
 * arrive before this returns; match them by job id). request_json, e.g.
 *   {"reader": "ACS ACR39U 00 00", "method": "pin", "allow_last_attempt": false,
 *    "consents": {"limit_application_certificate": true}}
 * method "pin": secret is the 4-digit PIN, or NULL to be asked with ONSHI_EVENT_SECRET_NEEDED.
 * method "visual" (目視確認): secret is NULL, or 照合番号B when "photo": true asks for the face photo.
 * The secret is copied and wiped; the caller may wipe its own copy when this returns. Reader,
 * card, PIN and gateway problems end the job (its final event and result), never this call.
 * @since 1.0
 * @retval ONSHI_OK                    *out_job is the new job
 * @retval ONSHI_E_INVALID_HANDLE      not an open context
 * @retval ONSHI_E_INVALID_ARGUMENT    out_job is NULL; request_json is not valid or has an unknown
 *                                     key or value; secret is longer than 64 bytes, or given for a
 *                                     visual check without "photo"
 * @retval ONSHI_E_PIN_FORMAT          method "pin" and secret is not 4 digits (no try spent)
 * @retval ONSHI_E_COLLATION_B_FORMAT  "photo": true and secret is not a 照合番号B (no try spent)
 * @retval ONSHI_E_BUSY                "max_jobs" jobs are not released, or too many reader names
 *                                     are in use (64 with a gateway configured)
 * @retval ONSHI_E_CLOSING             onshi_close is running */
ONSHI_API onshi_status ONSHI_CALL onshi_check_eligibility(onshi_context *context,
                                                          const char *request_json,
                                                          const char *secret,
                                                          onshi_job_id *out_job);

/* Answers ONSHI_EVENT_SECRET_NEEDED with the PIN (or 照合番号B, see the event's detail).
 * flags: ONSHI_SECRET_ALLOW_LAST_ATTEMPT or 0. The name stays onshi_provide_pin for both secrets.
 * @since 1.0
 * @retval ONSHI_OK                    handed to the job
 * @retval ONSHI_E_INVALID_HANDLE      not an open context
 * @retval ONSHI_E_INVALID_ARGUMENT    secret is NULL or longer than 64 bytes; unknown flags
 * @retval ONSHI_E_NOT_FOUND           no such job (never started or released)
 * @retval ONSHI_E_PIN_FORMAT          the job asks for the PIN and secret is not 4 digits; the job
 *                                     keeps waiting (ask again)
 * @retval ONSHI_E_COLLATION_B_FORMAT  the same for 照合番号B
 * @retval ONSHI_E_WRONG_STATE         the job is not waiting for a secret (or already got one) */
ONSHI_API onshi_status ONSHI_CALL onshi_provide_pin(onshi_context *context, onshi_job_id job,
                                                    const char *secret, uint32_t flags);

/* Starts a 個別照会 (a check by insurance numbers, for a 資格確認書 or no card) through the
 * 資格確認端末's folders ("terminal_folders" in the config) and returns its job id at once.
 * request_json uses the official element names (strings):
 *   {"InsurerNumber": "06139992", "InsuredCardSymbol": "...", "InsuredIdentificationNumber": "...",
 *    "InsuredBranchNumber": "00", "Birthdate": "19800101",
 *    "LimitApplicationCertificateRelatedConsFlg": "1", "timeout_ms": 30000}
 * The numbers are checked (InsurerNumber's check digit, padded to 8 characters) before any file
 * is written. The job writes OQSsiquc01req_<id>.xml into req and waits for the terminal's
 * OQSsiquc01res_<id>…xml in res; the result is the one result model (source "terminal"). The
 * terminal's problems end the job (ONSHI_E_TERMINAL_NO_ANSWER, ONSHI_E_TERMINAL_ANSWER,
 * ONSHI_E_ELIGIBILITY_ERROR with the ErrorCode and message kept), never this call. On cancel or
 * timeout the job removes its own request file, and only that one; a late answer is ignored.
 * @since 1.1
 * @retval ONSHI_OK                  *out_job is the new job
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_INVALID_ARGUMENT  out_job is NULL; request_json is NULL, not valid JSON, or has an
 *                                   unknown key or a value of the wrong type
 * @retval ONSHI_E_VALIDATION        a number or the birth date is malformed (check digit, length,
 *                                   characters); the message names the element, no file was written
 * @retval ONSHI_E_TERMINAL_FOLDERS  "terminal_folders" is not configured
 * @retval ONSHI_E_BUSY              "max_jobs" jobs are not released
 * @retval ONSHI_E_CLOSING           onshi_close is running */
ONSHI_API onshi_status ONSHI_CALL onshi_check_by_insurance(onshi_context *context,
                                                           const char *request_json,
                                                           onshi_job_id *out_job);

/* ---------------------------------------------------------------------------------------------
 * Jobs
 * ------------------------------------------------------------------------------------------- */

/* Asks a job to stop. It ends with ONSHI_EVENT_CANCELLED unless it already ended; never spends a
 * PIN try after the request.
 * @since 1.0
 * @retval ONSHI_OK                  cancelled, or it had already ended
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_NOT_FOUND         no such job (never started or released) */
ONSHI_API onshi_status ONSHI_CALL onshi_job_cancel(onshi_context *context, onshi_job_id job);

/* Waits until the job has ended, up to timeout_ms (UINT32_MAX = forever); *out_final_status (may
 * be NULL) is its final status.
 * @since 1.0
 * @retval ONSHI_OK                  the job has ended
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_NOT_FOUND         no such job (never started or released)
 * @retval ONSHI_E_TIMEOUT           it has not ended within timeout_ms (the job goes on) */
ONSHI_API onshi_status ONSHI_CALL onshi_job_wait(onshi_context *context, onshi_job_id job,
                                                 uint32_t timeout_ms, onshi_status *out_final_status);

/* Current ONSHI_JOB_* state and, once ended, the final status (either pointer may be NULL).
 * @since 1.0
 * @retval ONSHI_OK
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_NOT_FOUND         no such job (never started or released) */
ONSHI_API onshi_status ONSHI_CALL onshi_job_state(onshi_context *context, onshi_job_id job,
                                                  int32_t *out_state, onshi_status *out_final_status);

/* The outcome of an ended job (DONE: the result; FAILED / CANCELLED: a result whose JSON holds
 * the error, see "Results" below). Each call gives a new handle: free it with onshi_result_free.
 * @since 1.0
 * @retval ONSHI_OK
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_INVALID_ARGUMENT  out_result is NULL
 * @retval ONSHI_E_NOT_FOUND         no such job (never started or released)
 * @retval ONSHI_E_WRONG_STATE       the job has not ended yet */
ONSHI_API onshi_status ONSHI_CALL onshi_job_result(onshi_context *context, onshi_job_id job,
                                                   onshi_result **out_result);

/* Forgets an ended job and frees what it holds (results already taken stay valid). A running
 * job is cancelled first and forgotten when it ends. Unreleased jobs count against "max_jobs".
 * @since 1.0
 * @retval ONSHI_OK
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_NOT_FOUND         no such job (never started or released already) */
ONSHI_API onshi_status ONSHI_CALL onshi_job_release(onshi_context *context, onshi_job_id job);

/* ---------------------------------------------------------------------------------------------
 * Results
 *
 * A result is one immutable JSON object; docs/abi.md ("Result JSON") has the full schema. Hosts
 * ignore members they do not know: later minors add members, never remove or change one.
 *
 * An eligibility result (a check that ended DONE; onshi_result_from_xml), every member since 1.0:
 *   "verdict"       "eligible" | "not_eligible" | "needs_attention": onshi's reading of the
 *                   official result. Read it first, with onshi_result_field(r, "verdict", 0, &v):
 *                   "eligible" = valid insurance and exactly one qualification; "not_eligible" =
 *                   無効 or 該当資格なし; "needs_attention" = anything else (staff read XmlMsg).
 *   "source"        "xml" for onshi_result_from_xml; absent for checks; since 1.1 "app_text" for
 *                   onshi_result_from_app_text.
 *   "confirmation"  {"id", "method": "pin" | "visual", "time": "YYYYMMDDHHmmss" (Japan time)}:
 *                   the gateway's confirmation of a check; absent for imported XML.
 *   "XmlMsg"        the official 資格確認結果 (OQSsiquc01res), element by element under its
 *                   official names; every value a string exactly as sent ("  123456", "010");
 *                   repeated elements are arrays.
 *   "labels"        {"<coded element>": {"ja", "en"} | [{"ja", "en"} | null, ...]}: display
 *                   texts of the coded elements present (an array when the element repeats).
 *   "timing"        {"card_ms", "warm_up_wait_ms", "network_ms", "other_ms", "total_ms"} (numbers):
 *                   where a check spent its time; checks only.
 *   since 1.1:
 *   "medium"        "card" | "android": what answered the card phase; checks only (onshi's own
 *                   member, not an official element).
 *   "notices"       [{"code", "ja", "en", ...string details}], only when there is one: what staff
 *                   should act on (CERT_EXPIRES_SOON, CERT_EXPIRED_GRACE,
 *                   PUBLIC_EXPENSE_NUMBER_CHECK_DIGIT, BENEFICIARY_NUMBER_CHECK_DIGIT; docs/abi.md).
 *                   A notice never changes the verdict.
 * Since 1.1 a result that says it was not processed (SegmentOfResult other than 1, or
 * ProcessingResultStatus other than 1) is no result: ONSHI_E_ELIGIBILITY_ERROR instead.
 * A failed or cancelled job (FAILED / CANCELLED), every member since 1.0:
 *   {"status": "ONSHI_E_...", "code": <the status as a number>, "message": "<context locale>",
 *    "tries_left": <number; only for PIN / 照合番号B errors that know the tries left>}
 * A terminal job (onshi_terminal_*): {"enrolled": ..., ...} as docs/abi.md describes.
 *
 * onshi_result_field finds string values by member name anywhere in the result ("verdict",
 * "status", official element names); numbers and booleans are read from the JSON only.
 * ------------------------------------------------------------------------------------------- */

/* The whole result as JSON. Owned by the result. Messages: onshi_last_error(NULL).
 * @since 1.0
 * @retval ONSHI_OK
 * @retval ONSHI_E_INVALID_ARGUMENT  out_json is NULL
 * @retval ONSHI_E_INVALID_HANDLE    not a live result */
ONSHI_API onshi_status ONSHI_CALL onshi_result_json(const onshi_result *result, const char **out_json);

/* The index-th (from 0) string value of a member with this name anywhere in the result, e.g.
 * "verdict", "InsurerNumber", "QualificationValidity", "ElderlyRecipientContributionRatio". Owned
 * by the result. Messages: onshi_last_error(NULL).
 * @since 1.0
 * @retval ONSHI_OK
 * @retval ONSHI_E_INVALID_ARGUMENT  element_name or out_value is NULL
 * @retval ONSHI_E_INVALID_HANDLE    not a live result
 * @retval ONSHI_E_NOT_FOUND         no such string value (or fewer than index + 1) */
ONSHI_API onshi_status ONSHI_CALL onshi_result_field(const onshi_result *result,
                                                     const char *element_name, uint32_t index,
                                                     const char **out_value);

/* The IC chip's face photo as PNG (visual checks with "photo": true). Owned by the result.
 * Messages: onshi_last_error(NULL).
 * @since 1.0
 * @retval ONSHI_OK
 * @retval ONSHI_E_INVALID_ARGUMENT  out_png or out_size is NULL
 * @retval ONSHI_E_INVALID_HANDLE    not a live result
 * @retval ONSHI_E_NOT_FOUND         the result has no photo */
ONSHI_API onshi_status ONSHI_CALL onshi_result_photo_png(const onshi_result *result,
                                                         const uint8_t **out_png, size_t *out_size);

/* Parses an official result XML (OQSsiquc01res_*.xml from a face-recognition terminal's res/face
 * folder; UTF-8 or Shift_JIS) into the same result model. context may be NULL (messages then go
 * to onshi_last_error(NULL), in both languages).
 * @since 1.0
 * @retval ONSHI_OK
 * @retval ONSHI_E_INVALID_ARGUMENT  out_result is NULL, or xml is NULL with size > 0
 * @retval ONSHI_E_INVALID_HANDLE    context is neither NULL nor open
 * @retval ONSHI_E_PARSE             not a well-formed result XML (the message names where)
 * @retval ONSHI_E_NOT_SUPPORTED     the C library cannot convert its encoding (iconv)
 * @retval ONSHI_E_ELIGIBILITY_ERROR (since 1.1) the file says the check was not processed;
 *                                   onshi_last_error keeps its ErrorCode / ProcessingResultCode and text */
ONSHI_API onshi_status ONSHI_CALL onshi_result_from_xml(onshi_context *context, const void *xml,
                                                        size_t size, onshi_result **out_result);

/* Maps the result text of the マイナ資格確認アプリ, as staff copy it (UTF-8; "label: value" lines
 * in any order, full- or half-width colons, tabs, CRLF; 和暦 dates of 明治 to 令和 with 元年), into
 * the same result model: official element names, YYYYMMDD dates, "source": "app_text", and
 * "app_text": {"inferred": [...elements onshi filled in...], "unmapped": [...lines it does not
 * know...]} (docs/folder-interface.md). context may be NULL (messages then go to
 * onshi_last_error(NULL), in both languages). size is the text's length in bytes.
 * @since 1.1
 * @retval ONSHI_OK
 * @retval ONSHI_E_INVALID_ARGUMENT  out_result is NULL, or text is NULL with size > 0
 * @retval ONSHI_E_INVALID_HANDLE    context is neither NULL nor open
 * @retval ONSHI_E_PARSE             not such a result (no 保険者番号 with a 氏名 or 生年月日), not
 *                                   UTF-8, too long, or a value its label cannot have (the message
 *                                   names the line and the label, never the value) */
ONSHI_API onshi_status ONSHI_CALL onshi_result_from_app_text(onshi_context *context, const char *text,
                                                             size_t size, onshi_result **out_result);

/* NULL is ignored.
 * @since 1.0 */
ONSHI_API void ONSHI_CALL onshi_result_free(onshi_result *result);

/* ---------------------------------------------------------------------------------------------
 * Registration (利用申請 and the terminal's life cycle)
 * ------------------------------------------------------------------------------------------- */

/* Validates an application form (利用申請書) given as JSON. With ONSHI_OK and ONSHI_E_VALIDATION,
 * *out_report_json lists every error by field with Japanese and English messages (free it).
 * @since 1.0
 * @retval ONSHI_OK                  the form is valid
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_INVALID_ARGUMENT  form_json or out_report_json is NULL; form_json is not a JSON object
 * @retval ONSHI_E_VALIDATION        the form has errors (the last error gives the count and the first) */
ONSHI_API onshi_status ONSHI_CALL onshi_application_validate(onshi_context *context,
                                                             const char *form_json,
                                                             char **out_report_json);

/* Renders a valid form as a printable A4 PDF. options_json may be NULL, or
 * {"include_password": true} to print the password. Free *out_pdf with onshi_free.
 * @since 1.0
 * @retval ONSHI_OK
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_INVALID_ARGUMENT  form_json, out_pdf or out_size is NULL; form_json is not a JSON
 *                                   object; options_json is not {} or {"include_password": bool}
 * @retval ONSHI_E_VALIDATION        the form has errors (the last error names the first ones)
 * @retval ONSHI_E_NOT_SUPPORTED     no Japanese font installed, or a build without cairo/pango */
ONSHI_API onshi_status ONSHI_CALL onshi_application_render_pdf(onshi_context *context,
                                                               const char *form_json,
                                                               const char *options_json,
                                                               uint8_t **out_pdf, size_t *out_size);

/* Checks 保険者番号, 公費負担者番号, 受給者番号 or 医療機関等コード by format and check digit, e.g.
 * {"insurer_number": "06130488"}. Same report shape as onshi_application_validate.
 * @since 1.0
 * @retval ONSHI_OK                  every number is valid
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_INVALID_ARGUMENT  numbers_json or out_report_json is NULL; numbers_json is not a
 *                                   JSON object, or names no number
 * @retval ONSHI_E_VALIDATION        a number is invalid (the report says which) */
ONSHI_API onshi_status ONSHI_CALL onshi_validate_numbers(onshi_context *context,
                                                         const char *numbers_json,
                                                         char **out_report_json);

/* Registers this terminal with the gateway using the facility's setup credentials (JSON as in the
 * approval letter / the sandbox's setup.json). A key pair is made here; only the CSR leaves. A job:
 * gateway and credential-store problems end it, never this call.
 * @since 1.0
 * @retval ONSHI_OK                  *out_job is the new job
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_INVALID_ARGUMENT  setup_json or out_job is NULL; setup_json is not valid setup
 *                                   credentials, or names another gateway than the configured one
 * @retval ONSHI_E_BUSY              "max_jobs" jobs are not released
 * @retval ONSHI_E_CLOSING           onshi_close is running */
ONSHI_API onshi_status ONSHI_CALL onshi_terminal_enroll(onshi_context *context,
                                                        const char *setup_json,
                                                        onshi_job_id *out_job);

/* The terminal's registration status (enrolled, terminal id, facility, certificate expiry,
 * terminals used / allowed, planned end date) as a job result.
 * @since 1.0
 * @retval ONSHI_OK                  *out_job is the new job
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_INVALID_ARGUMENT  out_job is NULL
 * @retval ONSHI_E_BUSY              "max_jobs" jobs are not released
 * @retval ONSHI_E_CLOSING           onshi_close is running */
ONSHI_API onshi_status ONSHI_CALL onshi_terminal_status(onshi_context *context,
                                                        onshi_job_id *out_job);

/* Sets (date "YYYY-MM-DD") or cancels (NULL) the planned end of use (利用終了予定年月日). A job.
 * @since 1.0
 * @retval ONSHI_OK                  *out_job is the new job
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_INVALID_ARGUMENT  out_job is NULL; date is not a calendar date YYYY-MM-DD
 * @retval ONSHI_E_BUSY              "max_jobs" jobs are not released
 * @retval ONSHI_E_CLOSING           onshi_close is running */
ONSHI_API onshi_status ONSHI_CALL onshi_terminal_set_end_date(onshi_context *context,
                                                              const char *date,
                                                              onshi_job_id *out_job);

/* Ends use now (利用終了): frees the slot at the gateway and wipes the local key. A job.
 * @since 1.0
 * @retval ONSHI_OK                  *out_job is the new job
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_INVALID_ARGUMENT  out_job is NULL
 * @retval ONSHI_E_BUSY              "max_jobs" jobs are not released
 * @retval ONSHI_E_CLOSING           onshi_close is running */
ONSHI_API onshi_status ONSHI_CALL onshi_terminal_unenroll(onshi_context *context,
                                                          onshi_job_id *out_job);

/* Renews the terminal certificate with a new key before the current one expires. A job.
 * @since 1.0
 * @retval ONSHI_OK                  *out_job is the new job
 * @retval ONSHI_E_INVALID_HANDLE    not an open context
 * @retval ONSHI_E_INVALID_ARGUMENT  out_job is NULL
 * @retval ONSHI_E_BUSY              "max_jobs" jobs are not released
 * @retval ONSHI_E_CLOSING           onshi_close is running */
ONSHI_API onshi_status ONSHI_CALL onshi_terminal_renew(onshi_context *context,
                                                       onshi_job_id *out_job);

#ifdef __cplusplus
}
#endif

#endif /* ONSHI_ONSHI_H */
