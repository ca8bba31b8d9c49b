/*
 * A test-only winscard.dll for running onshi.dll under Wine, whose own winscard is a stub
 * (SCardEstablishContext answers SCARD_F_INTERNAL_ERROR). It is one reader whose card is a vpcd
 * client: the DLL listens on 127.0.0.1:$ONSHI_TEST_VPCD_PORT and a virtual card
 * (`onshi-sandbox card --port PORT`, or vicc -P PORT) connects to it and speaks vpcd's protocol
 * (2-byte big-endian length + payload; a 1-byte payload is a control: 0 power off, 1 power on,
 * 2 reset, 4 get ATR, only the last one answered). A connected card is a present card; the card
 * closing its connection is a removal.
 *
 * Used with WINEDLLOVERRIDES=winscard=n and this directory on WINEPATH. Never installed, never
 * shipped: tests/windows only. The reader's name is $ONSHI_TEST_READER (default "Virtual PCD
 * 00 00", the name the sandbox's first reader has on Linux, so that results compare equal).
 */
#define WINSCARDAPI __declspec(dllexport)
#define WINSCARDDATA __declspec(dllexport)
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <winscard.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const SCARD_IO_REQUEST g_rgSCardT0Pci = {SCARD_PROTOCOL_T0, sizeof(SCARD_IO_REQUEST)};
const SCARD_IO_REQUEST g_rgSCardT1Pci = {SCARD_PROTOCOL_T1, sizeof(SCARD_IO_REQUEST)};
const SCARD_IO_REQUEST g_rgSCardRawPci = {SCARD_PROTOCOL_RAW, sizeof(SCARD_IO_REQUEST)};

#define CARD_HANDLE ((SCARDHANDLE)0xca4d)
#define PNP_READER "\\\\?PnP?\\Notification"

static CRITICAL_SECTION g_lock; /* every socket operation and the state below */
static SOCKET g_listen = INVALID_SOCKET;
static SOCKET g_card = INVALID_SOCKET;
static LONG g_listen_error = SCARD_S_SUCCESS;
static DWORD g_events;              /* insertions + removals, reported in the high word */
static int g_connected;             /* one exclusive SCardConnect at a time */
static BYTE g_atr[33];
static DWORD g_atr_len;
static volatile LONG g_cancel;      /* SCardCancel: wakes a waiting SCardGetStatusChange */
static volatile LONG g_contexts;
static char g_reader[128] = "Virtual PCD 00 00";

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
    (void)instance;
    (void)reserved;
    if (reason == DLL_PROCESS_ATTACH) {
        InitializeCriticalSection(&g_lock);
        const char *name = getenv("ONSHI_TEST_READER");
        if (name && *name && strlen(name) < sizeof g_reader - 2) strcpy(g_reader, name);
    }
    return TRUE;
}

static int send_all(const BYTE *b, int n) {
    while (n > 0) {
        int k = send(g_card, (const char *)b, n, 0);
        if (k <= 0) return -1;
        b += k;
        n -= k;
    }
    return 0;
}

static int recv_all(BYTE *b, int n) {
    while (n > 0) {
        int k = recv(g_card, (char *)b, n, 0);
        if (k <= 0) return -1;
        b += k;
        n -= k;
    }
    return 0;
}

static void drop_card(void) { /* under g_lock */
    if (g_card == INVALID_SOCKET) return;
    closesocket(g_card);
    g_card = INVALID_SOCKET;
    g_connected = 0;
    g_atr_len = 0;
    ++g_events;
}

/* One vpcd message out; the answer (if `out`) back. -1 when the card went away. */
static int vpcd_exchange(const BYTE *in, int in_len, BYTE *out, int out_max) {
    BYTE header[2] = {(BYTE)(in_len >> 8), (BYTE)in_len};
    if (send_all(header, 2) || send_all(in, in_len)) return -1;
    if (!out) return 0;
    if (recv_all(header, 2)) return -1;
    int n = (header[0] << 8) | header[1];
    if (n > out_max) return -1;
    return recv_all(out, n) ? -1 : n;
}

static int vpcd_control(BYTE control) { return vpcd_exchange(&control, 1, NULL, 0); }

/* Accepts a waiting card, notices a card that closed its connection. Under g_lock. */
static void poll_card(void) {
    fd_set fs;
    struct timeval zero = {0, 0};
    if (g_listen == INVALID_SOCKET) return;
    if (g_card == INVALID_SOCKET) {
        FD_ZERO(&fs);
        FD_SET(g_listen, &fs);
        if (select(0, &fs, NULL, NULL, &zero) > 0) {
            SOCKET s = accept(g_listen, NULL, NULL);
            if (s != INVALID_SOCKET) {
                int one = 1;
                setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
                g_card = s;
                ++g_events;
            }
        }
        return;
    }
    /* A card never speaks first: readable means closed (or garbage, which is a removal too). */
    FD_ZERO(&fs);
    FD_SET(g_card, &fs);
    if (select(0, &fs, NULL, NULL, &zero) > 0) drop_card();
}

static LONG start_listening(void) { /* under g_lock */
    if (g_listen != INVALID_SOCKET || g_listen_error != SCARD_S_SUCCESS) return g_listen_error;
    WSADATA wd;
    if (WSAStartup(MAKEWORD(2, 2), &wd) != 0) return g_listen_error = SCARD_E_NO_SERVICE;
    const char *port = getenv("ONSHI_TEST_VPCD_PORT");
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((u_short)(port ? atoi(port) : 35990));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    BOOL reuse = TRUE;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (const char *)&reuse, sizeof reuse);
    if (s == INVALID_SOCKET || bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 1) != 0) {
        fprintf(stderr, "[test winscard] cannot listen on 127.0.0.1:%s\n", port ? port : "35990");
        if (s != INVALID_SOCKET) closesocket(s);
        return g_listen_error = SCARD_E_NO_SERVICE;
    }
    g_listen = s;
    /* A card already on the reader when the program starts: the virtual card retries its connect
     * every few ms, so give it a moment to arrive before the first listing. */
    for (int waited = 0; g_card == INVALID_SOCKET && waited < 3000; waited += 20) {
        poll_card();
        if (g_card == INVALID_SOCKET) Sleep(20);
    }
    return SCARD_S_SUCCESS;
}

LONG WINAPI SCardEstablishContext(DWORD scope, LPCVOID r1, LPCVOID r2, LPSCARDCONTEXT context) {
    (void)scope;
    (void)r1;
    (void)r2;
    if (!context) return SCARD_E_INVALID_PARAMETER;
    EnterCriticalSection(&g_lock);
    LONG rv = start_listening();
    LeaveCriticalSection(&g_lock);
    if (rv != SCARD_S_SUCCESS) return rv;
    *context = (SCARDCONTEXT)(ULONG_PTR)(0x5ca70000 + InterlockedIncrement(&g_contexts));
    return SCARD_S_SUCCESS;
}

LONG WINAPI SCardReleaseContext(SCARDCONTEXT context) { return context ? SCARD_S_SUCCESS : SCARD_E_INVALID_HANDLE; }
LONG WINAPI SCardIsValidContext(SCARDCONTEXT context) { return context ? SCARD_S_SUCCESS : SCARD_E_INVALID_HANDLE; }
LONG WINAPI SCardFreeMemory(SCARDCONTEXT context, LPCVOID memory) {
    (void)context;
    (void)memory;
    return SCARD_S_SUCCESS; /* this DLL never allocates for the caller (no SCARD_AUTOALLOCATE) */
}

LONG WINAPI SCardCancel(SCARDCONTEXT context) {
    (void)context;
    InterlockedExchange(&g_cancel, 1);
    return SCARD_S_SUCCESS;
}

LONG WINAPI SCardListReadersA(SCARDCONTEXT context, LPCSTR groups, LPSTR out, LPDWORD len) {
    (void)context;
    (void)groups;
    if (!len) return SCARD_E_INVALID_PARAMETER;
    DWORD need = (DWORD)strlen(g_reader) + 2; /* multi-string: name, NUL, NUL */
    if (*len == SCARD_AUTOALLOCATE) return SCARD_E_INVALID_PARAMETER;
    if (!out) {
        *len = need;
        return SCARD_S_SUCCESS;
    }
    if (*len < need) {
        *len = need;
        return SCARD_E_INSUFFICIENT_BUFFER;
    }
    memcpy(out, g_reader, need - 1);
    out[need - 1] = '\0';
    *len = need;
    return SCARD_S_SUCCESS;
}

static DWORD reader_state(void) { /* under g_lock */
    DWORD s = g_card != INVALID_SOCKET ? SCARD_STATE_PRESENT : SCARD_STATE_EMPTY;
    if (g_connected) s |= SCARD_STATE_EXCLUSIVE | SCARD_STATE_INUSE;
    return s | (g_events << 16);
}

LONG WINAPI SCardGetStatusChangeA(SCARDCONTEXT context, DWORD timeout, LPSCARD_READERSTATEA states, DWORD count) {
    (void)context;
    if (count > 0 && !states) return SCARD_E_INVALID_PARAMETER;
    DWORD waited = 0;
    for (;;) {
        int changed = 0;
        EnterCriticalSection(&g_lock);
        poll_card();
        for (DWORD i = 0; i < count; ++i) {
            SCARD_READERSTATEA *r = &states[i];
            DWORD now;
            if (r->szReader && strcmp(r->szReader, PNP_READER) == 0) {
                now = 1u << 16; /* one reader, for ever */
            } else if (r->szReader && strcmp(r->szReader, g_reader) == 0) {
                now = reader_state();
                r->cbAtr = g_connected ? g_atr_len : 0;
                if (r->cbAtr) memcpy(r->rgbAtr, g_atr, r->cbAtr);
            } else {
                LeaveCriticalSection(&g_lock);
                return SCARD_E_UNKNOWN_READER;
            }
            DWORD mask = 0xFFFF0000u | SCARD_STATE_PRESENT | SCARD_STATE_EMPTY;
            int differs = r->dwCurrentState == SCARD_STATE_UNAWARE || ((r->dwCurrentState ^ now) & mask) != 0;
            r->dwEventState = now | (differs ? SCARD_STATE_CHANGED : 0);
            changed |= differs;
        }
        LeaveCriticalSection(&g_lock);
        if (changed) return SCARD_S_SUCCESS;
        if (InterlockedExchange(&g_cancel, 0)) return SCARD_E_CANCELLED;
        if (timeout != INFINITE && waited >= timeout) return SCARD_E_TIMEOUT;
        Sleep(20);
        waited += 20;
    }
}

LONG WINAPI SCardConnectA(SCARDCONTEXT context, LPCSTR reader, DWORD share, DWORD preferred, LPSCARDHANDLE card,
                          LPDWORD protocol) {
    (void)context;
    (void)share;
    if (!reader || !card || !protocol) return SCARD_E_INVALID_PARAMETER;
    if (strcmp(reader, g_reader) != 0) return SCARD_E_UNKNOWN_READER;
    LONG rv = SCARD_S_SUCCESS;
    EnterCriticalSection(&g_lock);
    poll_card();
    if (g_card == INVALID_SOCKET) {
        rv = SCARD_E_NO_SMARTCARD;
    } else if (g_connected) {
        rv = SCARD_E_SHARING_VIOLATION;
    } else {
        BYTE get_atr = 4;
        int n = vpcd_control(1) == 0 ? vpcd_exchange(&get_atr, 1, g_atr, (int)sizeof g_atr) : -1;
        if (n <= 0) {
            drop_card();
            rv = SCARD_W_REMOVED_CARD;
        } else {
            g_atr_len = (DWORD)n;
            g_connected = 1;
            *card = CARD_HANDLE;
            *protocol = (preferred & SCARD_PROTOCOL_T1) ? SCARD_PROTOCOL_T1 : SCARD_PROTOCOL_T0;
        }
    }
    LeaveCriticalSection(&g_lock);
    return rv;
}

LONG WINAPI SCardStatusA(SCARDHANDLE card, LPSTR names, LPDWORD names_len, LPDWORD state, LPDWORD protocol,
                         LPBYTE atr, LPDWORD atr_len) {
    if (card != CARD_HANDLE) return SCARD_E_INVALID_HANDLE;
    LONG rv = SCARD_S_SUCCESS;
    EnterCriticalSection(&g_lock);
    if (!g_connected) {
        rv = SCARD_W_REMOVED_CARD;
    } else {
        DWORD need = (DWORD)strlen(g_reader) + 2;
        if (names_len) {
            if (names && *names_len >= need) {
                memcpy(names, g_reader, need - 1);
                names[need - 1] = '\0';
            } else if (names) {
                rv = SCARD_E_INSUFFICIENT_BUFFER;
            }
            *names_len = need;
        }
        if (state) *state = SCARD_SPECIFIC;
        if (protocol) *protocol = SCARD_PROTOCOL_T1;
        if (atr_len) {
            if (atr && *atr_len >= g_atr_len) memcpy(atr, g_atr, g_atr_len);
            else if (atr) rv = SCARD_E_INSUFFICIENT_BUFFER;
            *atr_len = g_atr_len;
        }
    }
    LeaveCriticalSection(&g_lock);
    return rv;
}

LONG WINAPI SCardTransmit(SCARDHANDLE card, LPCSCARD_IO_REQUEST send_pci, LPCBYTE in, DWORD in_len,
                          LPSCARD_IO_REQUEST recv_pci, LPBYTE out, LPDWORD out_len) {
    (void)send_pci;
    (void)recv_pci;
    if (card != CARD_HANDLE) return SCARD_E_INVALID_HANDLE;
    if (!in || !out || !out_len || in_len == 0 || in_len > 65544) return SCARD_E_INVALID_PARAMETER;
    LONG rv = SCARD_S_SUCCESS;
    EnterCriticalSection(&g_lock);
    if (!g_connected) {
        rv = SCARD_W_REMOVED_CARD;
    } else {
        int n = vpcd_exchange(in, (int)in_len, out, (int)*out_len);
        if (n < 0) { /* the card went away mid-exchange */
            drop_card();
            rv = SCARD_W_REMOVED_CARD;
        } else {
            *out_len = (DWORD)n;
        }
    }
    LeaveCriticalSection(&g_lock);
    return rv;
}

LONG WINAPI SCardDisconnect(SCARDHANDLE card, DWORD disposition) {
    if (card != CARD_HANDLE) return SCARD_E_INVALID_HANDLE;
    EnterCriticalSection(&g_lock);
    if (g_connected && g_card != INVALID_SOCKET) {
        /* A reset or power-off clears the card's verified PIN state, as on a real reader. */
        int failed = 0;
        if (disposition == SCARD_RESET_CARD) failed = vpcd_control(2);
        else if (disposition == SCARD_UNPOWER_CARD || disposition == SCARD_EJECT_CARD) failed = vpcd_control(0);
        if (failed) drop_card();
    }
    g_connected = 0;
    LeaveCriticalSection(&g_lock);
    return SCARD_S_SUCCESS;
}

LONG WINAPI SCardBeginTransaction(SCARDHANDLE card) { return card == CARD_HANDLE ? SCARD_S_SUCCESS : SCARD_E_INVALID_HANDLE; }
LONG WINAPI SCardEndTransaction(SCARDHANDLE card, DWORD disposition) {
    (void)disposition;
    return card == CARD_HANDLE ? SCARD_S_SUCCESS : SCARD_E_INVALID_HANDLE;
}

/* A reader like vpcd: no vendor attributes and no PC/SC part 10 features (the reader diagnosis
 * then reports them as absent). */
LONG WINAPI SCardGetAttrib(SCARDHANDLE card, DWORD attr, LPBYTE out, LPDWORD out_len) {
    (void)attr;
    (void)out;
    (void)out_len;
    return card == CARD_HANDLE ? SCARD_E_UNSUPPORTED_FEATURE : SCARD_E_INVALID_HANDLE;
}
LONG WINAPI SCardControl(SCARDHANDLE card, DWORD code, LPCVOID in, DWORD in_len, LPVOID out, DWORD out_len,
                         LPDWORD returned) {
    (void)code;
    (void)in;
    (void)in_len;
    (void)out;
    (void)out_len;
    if (returned) *returned = 0;
    return card == CARD_HANDLE ? SCARD_E_UNSUPPORTED_FEATURE : SCARD_E_INVALID_HANDLE;
}
