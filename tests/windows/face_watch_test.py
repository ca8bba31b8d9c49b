#!/usr/bin/env python3
"""windows.face_watch: the face watcher's Windows paths under Wine (issue 16 §2, docs/windows.md).

  face_watch_test.py WINDOWS_BIN_DIR FIXTURE_DIR WORK_DIR

onshi-check.exe (beside onshi.dll) watches a folder given as a Windows path (Z:\\...):

1. "notify" (ReadDirectoryChangesW) with a long poll_ms: every fixture (as the Linux
   folder_watch_face test expects: the valid ones a result equal to --import-xml's, the malformed
   one an error line) is printed exactly once. Files renamed in (one of them written slowly, in
   pieces, under its temporary name first) must arrive sooner than poll_ms after their rename: a
   file found only by listing waits poll_ms for a stable size, so only a
   FILE_ACTION_RENAMED_NEW_NAME that reached onshi can deliver one that soon. Files written in place
   (which Windows only reports as added/modified) must wait for the stable size and still be whole.
2. "poll" with a fast poll_ms: the same files, the same expectations.
3. A restart with each state file prints nothing again, only a new file renamed in.
No file of the watched folders is ever deleted. Expects WINEPREFIX etc. as
scripts/windows/test-windows.sh sets them; runs the 64-bit loader (wine64) explicitly. Exit 0
when all holds, 1 with the differences."""
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration", "folders"))
from watch_face_lines import check_lines, expect, failures  # noqa: E402

BIN, FIXTURES, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
NOTIFY_POLL_MS = 10000  # longer than any notification may take, shorter than the run


def wine64():
    # /usr/bin/wine may start the 32-bit loader once wine32 is installed; the prefix is win64.
    for candidate in (os.environ.get("ONSHI_WINE64"), "/usr/lib/wine/wine64", shutil.which("wine64")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return "wine"


WINE = wine64()


def winpath(path):
    return "Z:" + os.path.abspath(path).replace("/", "\\")


def check_exe(*args):
    return [WINE, os.path.join(BIN, "onshi-check.exe"), *args]


class Watch:
    """One onshi-check.exe --watch-face under Wine; its JSON lines collected with arrival times."""

    def __init__(self, folder, state, mode, poll_ms, max_lines, seconds, config):
        self.lines = []  # (monotonic time, parsed line)
        self.err = []
        self.live = threading.Event()
        self.proc = subprocess.Popen(
            check_exe("--config", winpath(config), "--json", "--watch-face", winpath(folder), "--watch-mode", mode,
                      "--poll-ms", str(poll_ms), "--watch-state", winpath(state), "--max", str(max_lines),
                      "--for-seconds", str(seconds)),
            cwd=BIN, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()
        if not self.live.wait(60):
            self.proc.kill()
            self.proc.wait()
            time.sleep(0.2)
            print(f"FAIL: {mode}: onshi-check.exe did not start watching within 60 s: {self.err}")
            sys.exit(1)
        time.sleep(0.5)  # the watcher thread's first listing

    def _read(self):
        for raw in self.proc.stdout:
            try:
                self.lines.append((time.monotonic(), json.loads(raw)))
            except ValueError:
                expect(False, f"not a JSON line: {raw[:200]!r}")

    def _read_err(self):
        for raw in self.proc.stderr:
            text = raw.decode(errors="replace").rstrip()
            self.err.append(text)
            if "watching" in text:
                self.live.set()

    def finish(self, label, seconds):
        try:
            self.proc.wait(timeout=seconds + 60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            expect(False, f"{label}: onshi-check.exe did not end after --for-seconds")
        time.sleep(0.2)  # the reader threads drain the pipes
        expect(self.proc.returncode == 0, f"{label}: exit status {self.proc.returncode}: {self.err}")
        return [line for _, line in self.lines]


def imported(path):
    out = subprocess.run(check_exe("--json", "--import-xml", winpath(path)), cwd=BIN, capture_output=True,
                         timeout=120)
    return json.loads(out.stdout) if out.returncode in (0, 1) and out.stdout.strip() else None


# Writers; each returns the moment the file became complete under its final name, and whether it
# got there by a rename (what a notification reports as complete).
def rename_in(folder, name, data):
    temp = os.path.join(folder, ".incoming-" + name + ".tmp")
    with open(temp, "wb") as f:
        f.write(data)
    os.rename(temp, os.path.join(folder, name))
    return time.monotonic(), True


def slowly_then_renamed(folder, name, data, pieces=6, pause=0.1):
    temp = os.path.join(folder, ".incoming-" + name + ".tmp")
    with open(temp, "wb") as f:  # the watcher sees the temporary name grow, and ignores it
        step = len(data) // pieces + 1
        for at in range(0, len(data), step):
            f.write(data[at:at + step])
            f.flush()
            time.sleep(pause)
    os.rename(temp, os.path.join(folder, name))
    return time.monotonic(), True


def in_place_slowly(folder, name, data, pieces=6, pause=0.1):
    with open(os.path.join(folder, name), "wb") as f:
        step = len(data) // pieces + 1
        for at in range(0, len(data), step):
            f.write(data[at:at + step])
            f.flush()
            time.sleep(pause)
    return time.monotonic(), False


def reopened_per_piece(folder, name, data, pieces=4, pause=0.1):
    step = len(data) // pieces + 1
    for at in range(0, len(data), step):
        with open(os.path.join(folder, name), "ab") as f:  # closed after each piece
            f.write(data[at:at + step])
        time.sleep(pause)
    return time.monotonic(), False


WRITERS = (rename_in, slowly_then_renamed, in_place_slowly, reopened_per_piece)
BROKEN = "OQSsiquc01res_face_broken_20261205120999.xml"


def run_mode(root, config, mode, poll_ms, seconds, fixtures, wants):
    folder = os.path.join(root, mode, "face")
    os.makedirs(folder)
    state = os.path.join(root, mode, "face_watch.state")
    expected, complete_at = {}, {}
    # --max one more than expected: a repeat within the run would be printed, not cut off.
    watch = Watch(folder, state, mode, poll_ms, len(fixtures) + 2, seconds, config)
    for i, path in enumerate(fixtures):
        name = f"OQSsiquc01res_face_{i:03d}_20261205120{i:03d}.xml"
        expected[name] = wants[path]
        with open(path, "rb") as f:
            complete_at[name] = WRITERS[i % len(WRITERS)](folder, name, f.read())
        if i == 2:  # a malformed file in the middle: the watcher goes on
            expected[BROKEN] = "malformed"
            rename_in(folder, BROKEN, b"<XmlMsg><MessageHeader>")
    rename_in(folder, ".onshi-face-1-2.tmp", b"not for the watcher")
    lines = watch.finish(mode, seconds)
    check_lines(lines, expected, mode)
    arrived = {line["file"]: at for at, line in watch.lines}
    with_result = [n for n in complete_at if expected[n].get("source") == "xml" and n in arrived]
    renamed = [arrived[n] - complete_at[n][0] for n in with_result if complete_at[n][1]]
    in_place = [arrived[n] - complete_at[n][0] for n in with_result if not complete_at[n][1]]
    if mode == "notify":
        # Renamed files with a result: read at once when the rename is reported. (A file whose
        # content gives an error waits for the stable size by design, in case a writer renamed a
        # first piece; face_watcher.cpp take_completed.)
        bounded = [n for n in complete_at if complete_at[n][1] and expected[n].get("source") == "xml"]
        expect(len(bounded) >= 3, f"notify: only {len(bounded)} renamed files with a result")
        for name in bounded:
            # Not a speed goal: below poll_ms only a rename notification can have delivered it.
            late = arrived.get(name, float("inf")) - complete_at[name][0]
            expect(late < poll_ms / 1000, f"notify: {name} came {late:.1f} s after its rename, not sooner than "
                                          f"poll_ms ({poll_ms} ms): ReadDirectoryChangesW did not report it")

    def figures(values):
        return (f"{len(values)} files, median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"
                if values else "none")
    print(f"{mode} (poll_ms {poll_ms}): {len(lines)} lines for {len(expected)} files; "
          f"result files renamed in -> printed: {figures(renamed)}; written in place -> printed: {figures(in_place)}")

    # A restart with the same state: nothing again, only a new file (proof that it watches).
    watch = Watch(folder, state, mode, 300, 3, 8, config)
    new = "OQSsiquc01res_face_new_20261205130000.xml"
    with open(fixtures[0], "rb") as f:
        rename_in(folder, new, f.read())
    lines = watch.finish(mode + " restart", 8)
    expect([line["file"] for line in lines] == [new], f"{mode} restart: {[line['file'] for line in lines]}")
    remaining = sorted(os.listdir(folder))
    for name in list(expected) + [new]:
        expect(name in remaining, f"{mode}: {name} was deleted")


def main():
    fixtures = sorted(glob.glob(os.path.join(FIXTURES, "*.xml")))
    expect(len(fixtures) >= 5, f"only {len(fixtures)} fixtures in {FIXTURES}")
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    config = os.path.join(WORK, "plugin.json")
    with open(config, "w") as f:
        json.dump({"pcsc": {"enabled": False}, "locale": "en"}, f)
    wants = {}
    for path in fixtures:
        want = imported(path)
        # refused as not processed (error_segment9): --import-xml exits with no result JSON
        wants[path] = want if want is not None else {"status": "ONSHI_E_ELIGIBILITY_ERROR"}
    run_mode(WORK, config, "notify", NOTIFY_POLL_MS, 45, fixtures, wants)
    run_mode(WORK, config, "poll", 200, 15, fixtures, wants)
    if failures:
        print(f"windows.face_watch: {len(failures)} failure(s)")
        return 1
    shutil.rmtree(WORK, ignore_errors=True)  # the test's own scratch folder, after the checks
    print("windows.face_watch: ReadDirectoryChangesW and polling under Wine: every fixture printed exactly "
          "once; renamed files before poll_ms; restart repeats nothing; nothing deleted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
