#!/usr/bin/env python3
"""Reads a face-folder file the way a receipt program would - Python's own XML parser, the bytes
decoded as the file declares (Shift_JIS) - and checks that every official element and value of
onshi's result JSON is in it, in place: each string under XmlMsg at its path, repeated elements in
order. CharacterCodeIdentifier may differ (the file states its own encoding).

usage: face_file_check.py FILE RESULT.json ENCODING   -> prints "ok N values", exit 0; else exit 1
"""
import json
import sys
import xml.etree.ElementTree as ET


def main():
    path, result_path, encoding = sys.argv[1], sys.argv[2], sys.argv[3]
    raw = open(path, "rb").read()
    declaration = raw[: raw.index(b"?>")].decode("ascii")
    if f'encoding="{encoding}"' not in declaration:
        sys.exit(f"declaration {declaration!r} does not say {encoding}")
    text = raw.decode("shift_jis" if encoding == "Shift_JIS" else "utf-8")  # strict: a bad byte fails
    root = ET.fromstring(text[text.index("?>") + 2 :])
    if root.tag != "XmlMsg":
        sys.exit(f"root is {root.tag}")
    result = json.load(open(result_path, encoding="utf-8"))
    checked = 0

    def walk(value, element, where):
        nonlocal checked
        if isinstance(value, dict):
            for name, child in value.items():
                found = element.findall(name)
                items = child if isinstance(child, list) else [child]
                if len(found) != len(items):
                    sys.exit(f"{where}/{name}: {len(items)} in the result, {len(found)} in the file")
                for i, (item, node) in enumerate(zip(items, found)):
                    walk(item, node, f"{where}/{name}[{i}]")
        elif isinstance(value, str):
            if where.endswith("CharacterCodeIdentifier[0]"):
                return
            if (element.text or "") != value:
                sys.exit(f"{where}: the file has another value")  # never print personal data
            checked += 1
        else:
            sys.exit(f"{where}: not a string in the result")

    walk(result["XmlMsg"], root, "XmlMsg")
    code = root.find("MessageHeader/CharacterCodeIdentifier")
    if code is None or code.text != ("1" if encoding == "Shift_JIS" else "0"):
        sys.exit("CharacterCodeIdentifier does not match the encoding")
    print(f"ok {checked} values")


if __name__ == "__main__":
    main()
