/* An out-of-tree host built against the installed onshi (CMake package or pkg-config): it links
 * libonshi, checks the ABI major and opens and closes a context without PC/SC. */
#include <onshi/onshi.h>

#include <stdio.h>

int main(void) {
    onshi_context *ctx = NULL;
    uint32_t abi = onshi_abi_version();
    if ((abi >> 16) != ONSHI_ABI_VERSION_MAJOR) {
        fprintf(stderr, "ABI major %u, header %d\n", (unsigned)(abi >> 16), ONSHI_ABI_VERSION_MAJOR);
        return 1;
    }
    if (onshi_open("{\"pcsc\":{\"enabled\":false}}", &ctx) != ONSHI_OK) {
        fprintf(stderr, "onshi_open: %s\n", onshi_last_error(NULL));
        return 1;
    }
    printf("consumer: onshi %s, ABI %u.%u, %s\n", onshi_version(), (unsigned)(abi >> 16),
           (unsigned)(abi & 0xFFFFu), onshi_status_name(ONSHI_E_PCSC_UNAVAILABLE));
    return onshi_close(ctx) == ONSHI_OK ? 0 : 1;
}
