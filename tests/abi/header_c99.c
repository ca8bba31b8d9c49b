/* Compiled with -std=c99 -pedantic -Werror: the header is plain C. Also pins down the ABI's
 * fixed facts that a change would break for every host. */
#include <onshi/onshi.h>

typedef char onshi_status_is_32_bits[sizeof(onshi_status) == 4 ? 1 : -1];
typedef char onshi_job_id_is_32_bits[sizeof(onshi_job_id) == 4 ? 1 : -1];
typedef char onshi_event_starts_with_size[offsetof(onshi_event, struct_size) == 0 ? 1 : -1];
typedef char abi_major_is_1[ONSHI_ABI_VERSION_MAJOR == 1 ? 1 : -1];
/* The 1.1 aliases are constants of 1.0 values: a C host using them runs on any 1.x library. */
typedef char secret_needed_is_pin_needed[ONSHI_EVENT_SECRET_NEEDED == ONSHI_EVENT_PIN_NEEDED ? 1 : -1];
typedef char waiting_for_secret_is_waiting_for_pin[ONSHI_JOB_WAITING_FOR_SECRET == ONSHI_JOB_WAITING_FOR_PIN ? 1 : -1];
typedef char secret_last_attempt_is_pin_last_attempt[ONSHI_SECRET_ALLOW_LAST_ATTEMPT == ONSHI_PIN_ALLOW_LAST_ATTEMPT ? 1 : -1];

int onshi_header_c99_probe(void);
int onshi_header_c99_probe(void) {
    onshi_event e;
    e.struct_size = sizeof e;
    return (int)e.struct_size + ONSHI_E_PARSE;
}
