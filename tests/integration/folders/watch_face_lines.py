"""What both face-watch tests (Linux: watch_face_test.py, Wine: tests/windows/face_watch_test.py)
require of onshi-check --watch-face's JSON lines: every expected file printed exactly once, a
result equal to --import-xml's, the same failure status, or an error line for a malformed file."""

failures = []


def expect(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def check_lines(lines, expected, label):
    """expected: file name -> --import-xml's JSON for it, or "malformed"."""
    names = [line["file"] for line in lines]
    for name in expected:
        expect(names.count(name) == 1, f"{label}: {name} printed {names.count(name)} times")
    expect(len(names) == len(expected), f"{label}: {len(names)} lines for {len(expected)} files: {names}")
    for line in lines:
        want = expected.get(line["file"])
        if want is None:
            continue
        if want == "malformed":
            expect(line["status"] == "ONSHI_E_PARSE" and line.get("message"),
                   f"{label}: {line['file']}: {line['status']}, not an error line with a message")
        elif want.get("source") == "xml":
            expect(line["status"] == "ONSHI_OK" and line.get("result") == want,
                   f"{label}: {line['file']}: not the result --import-xml gives")
        else:  # an --import-xml failure: the same status
            expect(line["status"] == want.get("status"), f"{label}: {line['file']}: {line['status']} != {want}")
