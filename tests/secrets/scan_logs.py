#!/usr/bin/env python3
"""Scans logs and error messages for the sandbox personas' secrets and personal data.

usage: scan_logs.py --secrets SECRETS.json [--logs PATH]... [--output PATH]... [--expect REGEX]...

SECRETS.json is what `onshi-sandbox personas --secrets` prints: every persona's PIN, 署名用パスワード,
照合番号B, セキュリティコード, name, kana, birth date, address, stand-in 個人番号 and insurance record,
so a new persona is covered without being listed here.

Two classes of text, because they may hold different things (docs/security.md, "What counts as a log"):
  --logs PATH    onshi's own logs and error messages (the ONSHI_DEBUG_LOG_DIR files, which also get
                 every error message onshi hands to a host; log.file files). Nothing of a persona may
                 appear: every kind is scanned.
  --output PATH  everything else a test run printed (ctest's LastTest.log: test programs, sample
                 hosts, onshi-check). Hosts print the results they asked for, and a result holds the
                 name, birth date and insurance number by design, so only what nobody may ever print
                 is scanned: PIN, 署名用パスワード, 照合番号B, セキュリティコード, 個人番号.
A PATH that is a directory is scanned recursively (every file).
  --expect REGEX a line the --logs must contain (e.g. a logged VERIFY): a clean scan of logs that
                 never recorded a check would prove nothing.

Matching rule, precise so that a hit is a leak and a clean run means something:
  * A value made of digits matches only as a whole number: not preceded or followed by another
    ASCII digit, nor joined to one by "-", ".", "/" or ":" (a phone number 082-555-0123, a time
    12:34:56, an address 127.0.0.1:4567, a version 1.2345 are other numbers). So the PIN "1234" is
    found in "pin=1234", "PIN 1234." or "(1234)" but not inside "51234", "2026-11-12", "...0012345...".
  * A number that onshi labels as its own counter is not data: a job id ("job 1234", "ジョブ 1234")
    a byte count ("1234 bytes", "1234 バイト") and a duration ("3003 milliseconds", "1234 ms", as
    libcurl's timeout message says). Job ids count up through every 4-digit value in a
    long run, so without this rule every PIN would be "found" in "job 1234 started".
  * In --output only: a never-printed value that is also a value a result legitimately carries
    (valid-honnin's 記号 is "1234", also its PIN) cannot tell a leak from a printed result there, so
    it is scanned in the logs only; the report counts these.
  * Digit values shorter than 4 digits (枝番 "00", 番号 "9") would match any small count; they are
    not scanned alone but as part of 記号・番号 (below), and the report counts them as skipped.
  * Anything else (names, kana, addresses, the 署名用パスワード, 記号 in kanji) matches as a
    substring, case-sensitively, after the same variants as the code could produce.
  * Variants derived here (the formats onshi, its samples and Japanese software write):
      birth date YYYYMMDD -> YYYYMMDD, YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYY年M月D日, YYYY年MM月DD日,
                             和暦 YYMMDD (the key inside 照合番号B), 元号YY年M月D日, and S/H/R YY.MM.DD;
      name, kana, address -> as given, full-width space as ASCII space, no space, NFKC (half-width
                             kana to full-width), NFKC without space;
      insurer number      -> without the padding spaces of an 国保 number;
      記号 + 番号          -> 記号・番号, 記号 番号, 記号-番号, 記号/番号, 記号番号 (as one value).
Exit status: 0 clean, 1 findings (each printed with file, line, persona and kind), 2 usage error.
"""
import argparse
import json
import os
import re
import sys
import unicodedata

# What nobody may ever print, not even a host showing its result (the --output class).
NEVER_PRINTED = {"pin", "sign_password", "collation_number_b", "security_code", "individual_number"}
MIN_DIGITS = 4

ERAS = [(20190501, "令和", "R", 2018), (19890108, "平成", "H", 1988), (19261225, "昭和", "S", 1925),
        (19120730, "大正", "T", 1911)]


def birth_date_variants(ymd):
    y, m, d = ymd[0:4], ymd[4:6], ymd[6:8]
    out = {ymd, f"{y}-{m}-{d}", f"{y}/{m}/{d}", f"{y}.{m}.{d}", f"{y}年{int(m)}月{int(d)}日", f"{y}年{m}月{d}日"}
    date = int(ymd)
    for start, kanji, letter, offset in ERAS:
        if date >= start:
            ey = int(y) - offset
            out |= {f"{ey % 100:02d}{m}{d}", f"{kanji}{ey}年{int(m)}月{int(d)}日", f"{kanji}{ey:02d}年{m}月{d}日",
                    f"{letter}{ey:02d}.{m}.{d}"}
            break
    return out


def text_variants(value):
    out = set()
    for v in (value, unicodedata.normalize("NFKC", value)):
        out |= {v, v.replace("\u3000", " "), v.replace("\u3000", "").replace(" ", "")}
    return out


def load_needles(path):
    """[(persona, kind, text)], [(persona, kind, value)] skipped."""
    with open(path, encoding="utf-8") as f:
        secrets = json.load(f)["secrets"]
    needles, skipped = set(), []
    records = {}
    for s in secrets:
        persona, kind, value = s["persona"], s["kind"], s["value"]
        records.setdefault(persona, {})[kind] = value
        if kind == "birth_date":
            variants = birth_date_variants(value)
        elif kind in ("name", "insured_name", "name_kana", "address"):
            variants = text_variants(value)
        elif kind == "insurer_number":
            variants = {value.strip()}
        else:
            variants = {value}
        for v in variants:
            if v.isdigit() and len(v) < MIN_DIGITS:
                skipped.append((persona, kind, v))
            elif v:
                needles.add((persona, kind, v))
    for persona, r in records.items():
        symbol, number = r.get("insured_card_symbol"), r.get("insured_identification_number")
        if symbol and number:
            for sep in ("・", " ", "-", "/", ""):
                needles.add((persona, "insured_card_symbol_number", symbol + sep + number))
    return sorted(needles), skipped


COUNTER_PREFIXES = ("job ", "ジョブ ")
COUNTER_SUFFIXES = (" bytes", " バイト", "バイト", " milliseconds", " ms")


def pattern(text):
    p = re.escape(text)
    if text[0].isdigit():
        p = r"(?<![0-9])(?<![0-9][-./:])" + p
    if text[-1].isdigit():
        p = p + r"(?![0-9])(?![-./:][0-9])"
    return re.compile(p)


def is_counter(line, m):
    if not m.group(0).isdigit():
        return False
    return line[:m.start()].endswith(COUNTER_PREFIXES) or line[m.end():].startswith(COUNTER_SUFFIXES)


def files_of(path):
    if os.path.isdir(path):
        for root, _, names in os.walk(path):
            for n in sorted(names):
                yield os.path.join(root, n)
    elif os.path.exists(path):
        yield path
    else:
        raise FileNotFoundError(path)


def scan(paths, needles, stats):
    findings = []
    compiled = [(persona, kind, text, pattern(text)) for persona, kind, text in needles]
    for path in paths:
        for file in files_of(path):
            stats["files"] += 1
            with open(file, "rb") as f:
                data = f.read().decode("utf-8", errors="replace")
            stats["bytes"] += len(data.encode("utf-8"))
            for lineno, line in enumerate(data.splitlines(), 1):
                stats["lines"] += 1
                for persona, kind, text, rx in compiled:
                    if text in line and any(not is_counter(line, m) for m in rx.finditer(line)):
                        findings.append((file, lineno, persona, kind, text, line.strip()[:200]))
    return findings


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--secrets", required=True)
    ap.add_argument("--logs", action="append", default=[])
    ap.add_argument("--output", action="append", default=[])
    ap.add_argument("--expect", action="append", default=[])
    a = ap.parse_args()
    if not a.logs and not a.output:
        ap.error("nothing to scan: give --logs and/or --output")
    needles, skipped = load_needles(a.secrets)
    personas = {p for p, _, _ in needles}
    printable = {t for _, k, t in needles if k not in NEVER_PRINTED}
    never = [n for n in needles if n[1] in NEVER_PRINTED and n[2] not in printable]
    ambiguous = sum(1 for n in needles if n[1] in NEVER_PRINTED and n[2] in printable)
    log_stats = {"files": 0, "lines": 0, "bytes": 0}
    out_stats = {"files": 0, "lines": 0, "bytes": 0}
    findings = scan(a.logs, needles, log_stats) + scan(a.output, never, out_stats)
    print(f"scan-logs: {len(personas)} personas, {len(needles)} values "
          f"({len(never)} never printed by anyone, {ambiguous} more that equal a result value), "
          f"{len(skipped)} too short to scan alone")
    print(f"scan-logs: logs and error messages: {log_stats['files']} files, {log_stats['lines']} lines, "
          f"{log_stats['bytes']} bytes, every value")
    print(f"scan-logs: other output: {out_stats['files']} files, {out_stats['lines']} lines, "
          f"{out_stats['bytes']} bytes, the never-printed values")
    missing = []
    for rx in a.expect:
        c = re.compile(rx)
        if not any(c.search(line) for path in a.logs for f in files_of(path)
                   for line in open(f, encoding="utf-8", errors="replace")):
            missing.append(rx)
    for rx in missing:
        print(f"MISSING in the logs: a line matching {rx!r}")
    for file, lineno, persona, kind, text, line in findings:
        print(f"LEAK {file}:{lineno}: {kind} of {persona} ({text!r}): {line}")
    if findings or missing:
        print(f"scan-logs: {len(findings)} findings, {len(missing)} expected lines missing", file=sys.stderr)
        return 1
    if a.expect:
        print(f"scan-logs: the logs hold all {len(a.expect)} expected kinds of line")
    print("scan-logs: clean")
    return 0


if __name__ == "__main__":
    sys.exit(main())
