#!/usr/bin/env python3
"""onshi-python-host — a Python host that uses onshi through ctypes only (no compiled glue).

The same flow as samples/c-host:
  1. load the library and check its ABI major before calling anything else;
  2. open a context from a configuration file (docs/config.md);
  3. register this terminal once (端末登録) with the facility's setup credentials;
  4. run a PIN check in the CALLBACK style (events arrive on an onshi thread);
  5. run a visual check (目視確認) in the POLL style;
  6. print the verdict and a few official 資格確認結果 fields with onshi_result_field.

  onshi_host.py --library PATH --config FILE [--setup FILE] [--reader NAME]
                [--visual-reader NAME] [--allow-last-attempt]

The PIN is the first line of stdin: it stands for the PIN pad of a real reception screen.
Exit status: 0 when both checks produced a result, 1 when one failed, 2 on a usage/setup error.
"""
import argparse
import ctypes
import json
import sys

ABI_MAJOR = 1  # ONSHI_ABI_VERSION_MAJOR of the header this host was written against

# Constants from onshi.h (values never change).
ONSHI_OK = 0
ONSHI_E_TIMEOUT = 7
ONSHI_E_ALREADY_ENROLLED = 211
EVENT_PROGRESS, EVENT_PIN_NEEDED, EVENT_DONE, EVENT_FAILED, EVENT_CANCELLED = 1, 2, 3, 4, 5
EVENT_CARD_REMOVED = 19
PIN_ALLOW_LAST_ATTEMPT = 1
FINAL_EVENTS = (EVENT_DONE, EVENT_FAILED, EVENT_CANCELLED)
PROGRESS_TEXT = {
    1: "カードを置いてください (waiting for the card)",
    2: "カード読み取り中 (reading the card)",
    3: "暗証番号確認中 (verifying the PIN)",
    4: "署名中 (signing)",
    5: "顔写真読み取り中 (reading the face photo)",
    6: "照会中 (asking the gateway)",
}
FIELDS = ("Name", "InsurerNumber", "InsuredCardSymbol", "InsuredIdentificationNumber",
          "QualificationValidity", "InsuredPartialContributionRatio")


class Event(ctypes.Structure):
    """onshi_event. Later ABI minors only append fields; struct_size says how much was filled."""
    _fields_ = [("struct_size", ctypes.c_uint32), ("type", ctypes.c_int32), ("job", ctypes.c_uint32),
                ("status", ctypes.c_int32), ("value", ctypes.c_int32), ("detail", ctypes.c_int32),
                ("text", ctypes.c_char_p)]


# __stdcall on 32-bit Windows (WINFUNCTYPE / WinDLL), cdecl elsewhere.
FUNCTYPE = ctypes.WINFUNCTYPE if sys.platform == "win32" else ctypes.CFUNCTYPE
EventCallback = FUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(Event))


def load(path):
    """Loads onshi, checks the ABI, and declares every function this host uses."""
    lib = (ctypes.WinDLL if sys.platform == "win32" else ctypes.CDLL)(path)
    lib.onshi_abi_version.restype = ctypes.c_uint32
    if lib.onshi_abi_version() >> 16 != ABI_MAJOR:
        raise RuntimeError(f"{path} is not an onshi library of ABI major {ABI_MAJOR}")
    c_void_p, c_char_p, c_uint32, c_int32 = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint32, ctypes.c_int32
    P = ctypes.POINTER
    # Declaring argtypes/restype for every call matters: ctypes would otherwise pass and return C ints,
    # which truncates pointers on 64-bit platforms.
    signatures = {
        "onshi_version": (c_char_p, []),
        "onshi_status_name": (c_char_p, [c_int32]),
        "onshi_last_error": (c_char_p, [c_void_p]),
        "onshi_free": (None, [c_void_p]),
        "onshi_open": (c_int32, [c_char_p, P(c_void_p)]),
        "onshi_close": (c_int32, [c_void_p]),
        "onshi_set_event_callback": (c_int32, [c_void_p, EventCallback, c_void_p]),
        "onshi_poll_event": (c_int32, [c_void_p, c_uint32, P(Event)]),
        "onshi_list_readers": (c_int32, [c_void_p, P(c_void_p)]),
        "onshi_check_eligibility": (c_int32, [c_void_p, c_char_p, c_char_p, P(c_uint32)]),
        "onshi_provide_pin": (c_int32, [c_void_p, c_uint32, c_char_p, c_uint32]),
        "onshi_job_wait": (c_int32, [c_void_p, c_uint32, c_uint32, P(c_int32)]),
        "onshi_job_result": (c_int32, [c_void_p, c_uint32, P(c_void_p)]),
        "onshi_job_release": (c_int32, [c_void_p, c_uint32]),
        "onshi_result_field": (c_int32, [c_void_p, c_char_p, c_uint32, P(c_char_p)]),
        "onshi_result_free": (None, [c_void_p]),
        "onshi_terminal_enroll": (c_int32, [c_void_p, c_char_p, P(c_uint32)]),
    }
    for name, (restype, argtypes) in signatures.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = restype, argtypes
    return lib


class Host:
    def __init__(self, lib, ctx):
        self.lib, self.ctx = lib, ctx

    def status_name(self, status):
        return self.lib.onshi_status_name(status).decode()

    def last_error(self):
        return self.lib.onshi_last_error(self.ctx).decode("utf-8")

    def field(self, result, name):
        value = ctypes.c_char_p()
        if self.lib.onshi_result_field(result, name.encode(), 0, ctypes.byref(value)) != ONSHI_OK:
            return None  # ONSHI_E_NOT_FOUND: the element is absent
        return value.value.decode("utf-8")  # owned by the result: copy before onshi_result_free

    def print_result(self, job, final_status):
        """Prints the verdict and a few official fields; True for a DONE job."""
        result = ctypes.c_void_p()
        if self.lib.onshi_job_result(self.ctx, job, ctypes.byref(result)) != ONSHI_OK:
            print("no result:", self.last_error(), file=sys.stderr)
            return False
        try:
            if final_status != ONSHI_OK:
                # A failed job's result holds the error: status, message (context locale), tries_left.
                print(f"  failed: {self.status_name(final_status)} — {self.field(result, 'message')}")
            else:
                print(f"  verdict: {self.field(result, 'verdict')}")  # eligible / not_eligible / needs_attention
                for name in FIELDS:
                    value = self.field(result, name)
                    if value is not None:  # fixed-width values ("  138057"): shown without the padding
                        print(f"  {name}: {value.lstrip(' ')}")
        finally:
            self.lib.onshi_result_free(result)
            self.lib.onshi_job_release(self.ctx, job)  # every job is released once its result is taken
        return final_status == ONSHI_OK

    def drain(self, timeout_ms=0):
        """Takes queued events (poll style); returns the last one or None."""
        last = None
        ev = Event(struct_size=ctypes.sizeof(Event))
        while self.lib.onshi_poll_event(self.ctx, timeout_ms, ctypes.byref(ev)) == ONSHI_OK:
            last = ev
            timeout_ms = 0
        return last

    def enroll(self, setup_file):
        with open(setup_file, "rb") as f:
            setup = f.read()
        job, status = ctypes.c_uint32(), ctypes.c_int32(-1)
        if (self.lib.onshi_terminal_enroll(self.ctx, setup, ctypes.byref(job)) != ONSHI_OK or
                self.lib.onshi_job_wait(self.ctx, job, 60000, ctypes.byref(status)) != ONSHI_OK):
            print("enrollment not started:", self.last_error(), file=sys.stderr)
            return False
        self.lib.onshi_job_release(self.ctx, job)
        if status.value == ONSHI_E_ALREADY_ENROLLED:
            print("端末登録: 登録済み (already enrolled)")
            return True
        print("端末登録:", "完了 (enrolled)" if status.value == ONSHI_OK else self.status_name(status.value))
        return status.value == ONSHI_OK

    def wait_for_readers(self):
        """Up to 3 s until the reader monitor (started by onshi_open) lists a reader with a card."""
        for _ in range(30):
            out = ctypes.c_void_p()
            if self.lib.onshi_list_readers(self.ctx, ctypes.byref(out)) == ONSHI_OK:
                readers = json.loads(ctypes.string_at(out.value).decode("utf-8"))
                self.lib.onshi_free(out)  # onshi's memory goes back to onshi, never to Python
                if any(r["card_present"] for r in readers):
                    print("readers:", ", ".join(r["name"] for r in readers))
                    return
            self.drain(100)  # doubles as a 100 ms wait

    # ---- Callback style: the PIN check ----
    def pin_check(self, reader, pin, allow_last_attempt):
        pending = {"pin": pin}

        def on_event(_user_data, event_ptr):
            # Runs on an onshi thread, one event at a time. Never let an exception escape, return
            # quickly; a GUI host would hand the event to its UI thread here.
            try:
                ev = event_ptr.contents
                if ev.type == EVENT_PROGRESS:
                    print("  [callback]", PROGRESS_TEXT.get(ev.value, "…"), flush=True)
                elif ev.type == EVENT_PIN_NEEDED:
                    # The PIN pad shows the tries left. With 1 try left, spend it only with the
                    # patient's explicit OK, else onshi ends the job with ONSHI_E_LAST_TRY_REFUSED.
                    print(f"  [callback] 暗証番号を入力してください (PIN needed, {ev.value} tries left)", flush=True)
                    flags = PIN_ALLOW_LAST_ATTEMPT if allow_last_attempt else 0
                    secret, pending["pin"] = pending["pin"], ""  # one PIN, one try: never re-send it
                    st = self.lib.onshi_provide_pin(self.ctx, ev.job, secret.encode(), flags)
                    if st != ONSHI_OK:
                        print("  [callback] PIN refused:", self.status_name(st), flush=True)
                elif ev.type == EVENT_FAILED:
                    # Never retry a PIN on the patient's behalf: ask them, then start a new job.
                    print(f"  [callback] failed: {self.status_name(ev.status)} (tries left {ev.value})", flush=True)
                elif ev.type == EVENT_CARD_REMOVED:
                    print("  [callback] card removed from", ev.text.decode("utf-8"), flush=True)
            except Exception as e:  # noqa: BLE001 — nothing may propagate into onshi
                print("  [callback] error:", e, file=sys.stderr)

        # Keep the ctypes callback object alive until it is cleared (or onshi_close returns):
        # if Python collected it, onshi would call freed memory.
        self.callback = EventCallback(on_event)
        self.drain()  # events queued so far (enrollment, readers) would reach the callback at once
        self.lib.onshi_set_event_callback(self.ctx, self.callback, None)
        request = {"method": "pin"}
        if reader:
            request["reader"] = reader
        job = ctypes.c_uint32()
        # No PIN up front (None): onshi asks with ONSHI_EVENT_PIN_NEEDED once the card is read.
        if self.lib.onshi_check_eligibility(self.ctx, json.dumps(request).encode(), None, ctypes.byref(job)) != ONSHI_OK:
            print("check not started:", self.last_error(), file=sys.stderr)
            return False
        final = ctypes.c_int32(-1)
        # A console host can wait; a GUI host returns to its event loop instead.
        self.lib.onshi_job_wait(self.ctx, job, 120000, ctypes.byref(final))
        self.lib.onshi_set_event_callback(self.ctx, EventCallback(), None)  # NULL: back to the queue
        return self.print_result(job.value, final.value)

    # ---- Poll style: the visual check ----
    def visual_check(self, reader):
        request = {"method": "visual"}  # 目視確認: staff compared the patient with the card's face
        if reader:
            request["reader"] = reader
        job = ctypes.c_uint32()
        if self.lib.onshi_check_eligibility(self.ctx, json.dumps(request).encode(), None, ctypes.byref(job)) != ONSHI_OK:
            print("check not started:", self.last_error(), file=sys.stderr)
            return False
        ev = Event()
        for _ in range(240):  # a GUI host polls with timeout 0 from a timer instead
            ev.struct_size = ctypes.sizeof(Event)
            if self.lib.onshi_poll_event(self.ctx, 500, ctypes.byref(ev)) != ONSHI_OK or ev.job != job.value:
                continue  # ONSHI_E_TIMEOUT (nothing happened) or a reader / card event
            if ev.type == EVENT_PROGRESS:
                print("  [poll]", PROGRESS_TEXT.get(ev.value, "…"))
            if ev.type in FINAL_EVENTS:
                return self.print_result(job.value, ev.status)
        print("the visual check did not end in time", file=sys.stderr)
        return False


def main():
    parser = argparse.ArgumentParser(description="onshi sample host (ctypes); the PIN is read from stdin")
    parser.add_argument("--library", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--setup")
    parser.add_argument("--reader", default="")
    parser.add_argument("--visual-reader", default="")
    parser.add_argument("--allow-last-attempt", action="store_true")
    args = parser.parse_args()
    pin = sys.stdin.readline().strip()  # the PIN pad

    try:
        lib = load(args.library)
    except (OSError, RuntimeError, AttributeError) as e:
        print(e, file=sys.stderr)
        return 2
    abi = lib.onshi_abi_version()
    print(f"onshi {lib.onshi_version().decode()} (ABI {abi >> 16}.{abi & 0xFFFF})")
    with open(args.config, "rb") as f:
        config = f.read()
    ctx = ctypes.c_void_p()
    if lib.onshi_open(config, ctypes.byref(ctx)) != ONSHI_OK:
        print("onshi_open:", lib.onshi_last_error(None).decode("utf-8"), file=sys.stderr)  # names the bad key
        return 2
    host = Host(lib, ctx)
    try:
        if args.setup and not host.enroll(args.setup):
            return 2
        host.wait_for_readers()
        print("資格確認 (PIN, callback style)")
        ok = host.pin_check(args.reader, pin, args.allow_last_attempt)
        print("資格確認 (目視確認 visual, poll style)")
        ok = host.visual_check(args.visual_reader) and ok
    finally:
        lib.onshi_close(ctx)  # ends every job and thread; no callback after it returns
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
