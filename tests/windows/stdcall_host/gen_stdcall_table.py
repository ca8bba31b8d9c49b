#!/usr/bin/env python3
"""Writes the 32-bit stdcall host's function table from abi/onshi_abi.list, the one list of onshi's C
ABI: one `__stdcall` pointer type per exported function (as a VB6 `Declare` or a Delphi `stdcall`
declaration spells it, written from the list and not from onshi.h's ONSHI_CALL), a struct holding
one pointer of each, and the names the host resolves with GetProcAddress. A function added to the
list is thereby one the host must resolve and call, or stdcall_host.c fails to report it as called.

  gen_stdcall_table.py --list abi/onshi_abi.list --out table.h [--cdecl NAME]

--cdecl NAME declares that one pointer `__cdecl` instead: the negative build, whose ESP check must
catch the mismatch (the call pops the arguments twice)."""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "abi", "abi_list"))
import abi_list  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--cdecl", default="")
    args = parser.parse_args()

    abi = abi_list.read(args.list)
    if args.cdecl and args.cdecl not in abi.functions:
        sys.exit(f"--cdecl {args.cdecl}: not a function of {args.list}")

    lines = [
        "/* Generated from abi/onshi_abi.list by tests/windows/stdcall_host/gen_stdcall_table.py. */",
        "#ifndef ONSHI_STDCALL_TABLE_H",
        "#define ONSHI_STDCALL_TABLE_H",
        "",
        f"#define ONSHI_HOST_FUNCTION_COUNT {len(abi.functions)}",
        "",
    ]
    for f in abi.functions.values():
        convention = "__cdecl" if f.name == args.cdecl else "__stdcall"
        params = ", ".join(f"{p.ctype} {p.name}" for p in f.params) or "void"
        lines.append(f"typedef {f.returns} ({convention} *{f.name}_fn)({params});  /* list line {f.line} */")
    lines += ["", "/* Indices into onshi_host_function_names and the host's call counts. */", "enum onshi_host_function {"]
    lines += [f"    {f.name}_index = {i}," for i, f in enumerate(abi.functions.values())]
    lines += ["};", "", "struct onshi_host_table {"]
    lines += [f"    {f.name}_fn {f.name};" for f in abi.functions.values()]
    lines += ["};", "", "static const char *const onshi_host_function_names[ONSHI_HOST_FUNCTION_COUNT] = {"]
    lines += [f'    "{f.name}",' for f in abi.functions.values()]
    lines += ["};", "", f'#define ONSHI_HOST_CDECL_PROBE "{args.cdecl}"', "", "#endif", ""]

    text = "\n".join(lines)
    try:
        with open(args.out, encoding="utf-8") as existing:
            if existing.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(args.out, "w", encoding="utf-8") as out:
        out.write(text)


if __name__ == "__main__":
    main()
