#!/usr/bin/env python3
"""abi.list: every declaration of onshi's C ABI against the one list, abi/onshi_abi.list.

  check_abi_list.py --root SOURCE_DIR [--cxx COMPILER...]

Prints one line per difference (which entry, missing or different where) and exits 1 if there is
any. BINDINGS below is the table of what is checked: a new binding is one more line."""
import argparse
import importlib
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abi_list  # noqa: E402
import binding  # noqa: E402
import check_exports  # noqa: E402
import check_header  # noqa: E402

# (path in the repository, the module that reads it, complete): a complete binding declares every
# function, constant and onshi_event field; a sample host declares what it uses, and that must match.
BINDINGS = [
    ("host-sdk/dotnet/Onshi/NativeMethods.cs", "check_csharp", False),
    ("samples/python-host/onshi_host.py", "check_python", False),
    ("host-sdk/pascal/onshi.pas", "check_pascal", True),
    ("host-sdk/vb/onshi.bas", "check_vb", True),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--list", default="abi/onshi_abi.list")
    parser.add_argument("--cxx", nargs="+", help="C++ compiler for the header's static_asserts")
    args = parser.parse_args()
    root = args.root

    abi = abi_list.read(os.path.join(root, args.list), args.list)
    errors = check_header.check(abi, os.path.join(root, "abi/include/onshi/onshi.h"),
                                "abi/include/onshi/onshi.h", args.cxx)
    errors += check_exports.check_def(abi, os.path.join(root, "abi/onshi.def"), "abi/onshi.def")
    errors += check_exports.check_sdk_table(abi, os.path.join(root, "host-sdk/include/onshi/sdk/api_table.hpp"),
                                            "host-sdk/include/onshi/sdk/api_table.hpp")
    checked = 3
    for path, reader, complete in BINDINGS:
        full = os.path.join(root, path)
        if not os.path.exists(full):
            errors.append(f"{path}: not found (listed in BINDINGS of {os.path.basename(__file__)})")
            continue
        found = importlib.import_module(reader).parse(full, path, complete, abi)
        for one in found if isinstance(found, list) else [found]:  # VB: VBA7 and VB6 declarations
            errors += binding.compare(abi, one)
            checked += 1
    for e in errors:
        print(e)
    if errors:
        print(f"abi.list: {len(errors)} difference(s) from {args.list}")
        return 1
    print(f"abi.list: {len(abi.functions)} functions, {len(abi.consts)} constants, {len(abi.fields)} "
          f"onshi_event fields and the callback agree in {checked} places")
    return 0


if __name__ == "__main__":
    sys.exit(main())
