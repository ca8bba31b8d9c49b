#!/usr/bin/env python3
"""watch_face: onshi-check --watch-face against real folders (issue 16 §2, docs/folder-interface.md).

  watch_face_test.py ONSHI_CHECK FIXTURE_DIR

Every fixture in FIXTURE_DIR is printed exactly once, with the same result JSON as
--import-xml gives, whether it was renamed in, written in place in pieces through one handle, or
appended piece by piece with a close after each (inotify sees a close before the file is
complete); a malformed file gives an error line naming it and the watcher goes on; polling mode
takes files written slowly in place; a restart with the same state prints nothing twice; no file is
ever deleted. Exit 0 when all holds, 1 with the differences."""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from watch_face_lines import check_lines, expect, failures

CHECK, FIXTURES = sys.argv[1], sys.argv[2]


class Watch:
    """One onshi-check --watch-face process; its JSON lines collected by a thread."""

    def __init__(self, folder, state, mode, config):
        self.lines = []
        self.cond = threading.Condition()
        self.proc = subprocess.Popen(
            [CHECK, "--config", config, "--json", "--watch-face", folder, "--watch-mode", mode,
             "--poll-ms", "300", "--watch-state", state],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        threading.Thread(target=self._read, daemon=True).start()
        time.sleep(1.0)  # the context is open and the first listing done

    def _read(self):
        for raw in self.proc.stdout:
            with self.cond:
                self.lines.append(json.loads(raw))
                self.cond.notify_all()

    def wait_for(self, n, seconds=30):
        with self.cond:
            self.cond.wait_for(lambda: len(self.lines) >= n, timeout=seconds)
            return list(self.lines)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            _, err = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            expect(False, "onshi-check did not stop within 20 s of SIGTERM")
            return
        expect(self.proc.returncode == 0, f"exit status {self.proc.returncode}: {err.decode(errors='replace')}")


def imported(path):
    out = subprocess.run([CHECK, "--json", "--import-xml", path], capture_output=True)
    return json.loads(out.stdout) if out.returncode in (0, 1) and out.stdout.strip() else None


def rename_in(folder, name, data):
    temp = os.path.join(folder, ".incoming-" + name + ".tmp")
    with open(temp, "wb") as f:
        f.write(data)
    os.rename(temp, os.path.join(folder, name))


def one_handle_slowly(folder, name, data, pieces=6, pause=0.05):
    with open(os.path.join(folder, name), "wb") as f:
        step = len(data) // pieces + 1
        for at in range(0, len(data), step):
            f.write(data[at:at + step])
            f.flush()
            time.sleep(pause)


def reopened_per_piece(folder, name, data, pieces=4, pause=0.05):
    step = len(data) // pieces + 1
    for at in range(0, len(data), step):
        with open(os.path.join(folder, name), "ab") as f:  # closed after each piece
            f.write(data[at:at + step])
        time.sleep(pause)


def main():
    fixtures = sorted(glob.glob(os.path.join(FIXTURES, "*.xml")))
    expect(len(fixtures) >= 5, f"only {len(fixtures)} fixtures in {FIXTURES}")
    root = tempfile.mkdtemp(prefix="onshi-watch-face-")
    try:
        config = os.path.join(root, "plugin.json")
        with open(config, "w") as f:
            json.dump({"pcsc": {"enabled": False}, "locale": "en"}, f)
        for mode, writers in (("notify", (rename_in, one_handle_slowly, reopened_per_piece)),
                              ("poll", (rename_in, one_handle_slowly, reopened_per_piece))):
            folder = os.path.join(root, mode, "face")
            os.makedirs(folder)
            state = os.path.join(root, mode, "face_watch.state")
            expected = {}
            watch = Watch(folder, state, mode, config)
            for i, path in enumerate(fixtures):
                name = f"OQSsiquc01res_face_{i:03d}_20261205120{i:03d}.xml"
                want = imported(path)
                if want is None:
                    want = {"status": "ONSHI_E_ELIGIBILITY_ERROR"}  # refused as not processed (error_segment9)
                expected[name] = want
                with open(path, "rb") as f:
                    writers[i % len(writers)](folder, name, f.read())
                if i == 2:  # a malformed file in the middle: the watcher goes on
                    expected["OQSsiquc01res_face_broken_20261205120999.xml"] = "malformed"
                    rename_in(folder, "OQSsiquc01res_face_broken_20261205120999.xml", b"<XmlMsg><MessageHeader>")
            rename_in(folder, ".onshi-face-1-2.tmp", b"not for the watcher")
            lines = watch.wait_for(len(expected))
            time.sleep(1.0)  # a repeat would show now
            watch.stop()
            check_lines(watch.lines, expected, mode)
            print(f"{mode}: {len(watch.lines)} lines for {len(expected)} files")

            # A restart with the same state: nothing again, only the new file.
            watch = Watch(folder, state, mode, config)
            rename_in(folder, "OQSsiquc01res_face_new_20261205130000.xml", open(fixtures[0], "rb").read())
            lines = watch.wait_for(1)
            time.sleep(1.0)
            watch.stop()
            expect([line["file"] for line in watch.lines] == ["OQSsiquc01res_face_new_20261205130000.xml"],
                   f"{mode} restart: {[line['file'] for line in watch.lines]}")
            remaining = sorted(os.listdir(folder))
            for name in expected:
                expect(name in remaining, f"{mode}: {name} was deleted")
        # "notify" on a folder that does not exist: refused at open, naming face_watch.
        out = subprocess.run([CHECK, "--config", config, "--watch-face", os.path.join(root, "missing"),
                              "--watch-mode", "notify", "--watch-state", os.path.join(root, "s"), "--max", "1"],
                             capture_output=True, timeout=30)
        err = out.stderr.decode(errors="replace")
        expect(out.returncode == 1 and "ONSHI_E_CONFIG" in err and "face_watch" in err,
               f"notify on a missing folder: exit {out.returncode}, {err!r}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if failures:
        print(f"watch_face: {len(failures)} failure(s)")
        return 1
    print("watch_face: every fixture printed exactly once in both modes; errors named; restart repeats nothing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
