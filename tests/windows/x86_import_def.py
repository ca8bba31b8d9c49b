#!/usr/bin/env python3
"""Writes the .def of an import library for onshi.dll x86 from abi/onshi_abi.list: each function
under its __stdcall name (onshi_open@8, 4 bytes per parameter: every parameter type of the ABI is
4 bytes on x86) bound to the plain exported name. C and C++ test programs that declare the
functions through onshi.h (ONSHI_CALL = __stdcall) link against it, as docs/windows.md tells a
host that links an import library to make one from onshi.def.

  x86_import_def.py --list abi/onshi_abi.list --out onshi-stdcall.def"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "abi", "abi_list"))
import abi_list  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    abi = abi_list.read(args.list)
    lines = ["LIBRARY onshi.dll", "EXPORTS"]
    lines += [f"    {f.name}@{4 * len(f.params)}" for f in abi.functions.values()]
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
