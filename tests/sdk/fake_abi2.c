/* A library that claims ABI 2.0 and exports nothing else: hosts built for ABI 1 must refuse it
 * (the SDK checks the version before resolving any other entry point). */
#include <onshi/onshi.h>

ONSHI_API uint32_t ONSHI_CALL onshi_abi_version(void) { return 2u << 16; }
