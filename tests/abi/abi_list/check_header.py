"""onshi.h against the list: the same names (read from the header's text), and the same types and
values, proved by the compiler: a generated C++ file static_asserts every constant's value, every
typedef, every onshi_event member's type and offset, the callback type, and that each function has
exactly the listed type (calling convention included)."""
import os
import re
import subprocess
import tempfile

MACROS_NOT_CONSTANTS = {"ONSHI_ONSHI_H", "ONSHI_CALL", "ONSHI_API", "ONSHI_BUILDING_LIBRARY"}


def _names(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    functions = re.findall(r"ONSHI_CALL\s+(onshi_\w+)\s*\(", text)
    consts = re.findall(r"\b(ONSHI_[A-Z0-9_]+)\s*=", text)
    consts += [m for m in re.findall(r"#define\s+(ONSHI_[A-Z0-9_]+)\s+\S", text) if m not in MACROS_NOT_CONSTANTS]
    callbacks = re.findall(r"\(\s*ONSHI_CALL\s*\*\s*(onshi_\w+)\s*\)", text)
    struct = re.search(r"typedef struct onshi_event\s*\{(.*?)\}", text, re.S)
    fields = re.findall(r"(\w+)\s*;", struct.group(1)) if struct else []
    return functions, consts, callbacks, fields


def _message(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(abi, header_name):
    out = ["#include <onshi/onshi.h>", "#include <cstddef>", "#include <type_traits>", ""]
    for name, ctype in abi.types.items():
        out.append(f"static_assert(std::is_same<{name}, {ctype}>::value, "
                   f"{_message(f'{header_name}: {name} is not {ctype} as in {abi.where(name)}')});")
    for name in abi.handles:
        out.append(f"static_assert(std::is_class<{name}>::value, {_message(f'{name} is not a struct')});")
    for name, value in abi.consts.items():
        out.append(f"static_assert({name} == {value}, "
                   f"{_message(f'{header_name}: {name} differs from {value} in {abi.where(name)}')});")
    # onshi_event: each member's type, its offset where the list's order puts it, and the size.
    out.append("struct listed_event {")
    out += [f"    {ctype} {name};" for name, ctype in abi.fields]
    out.append("};")
    for name, ctype in abi.fields:
        msg = _message(f"{header_name}: onshi_event.{name} is not '{ctype}' at its place in {abi.where(name)}")
        out.append(f"static_assert(std::is_same<decltype(onshi_event::{name}), {ctype}>::value && "
                   f"offsetof(onshi_event, {name}) == offsetof(listed_event, {name}), {msg});")
    out.append(f"static_assert(sizeof(onshi_event) == sizeof(listed_event), "
               f"{_message(f'{header_name}: onshi_event has members the list does not name')});")
    for fn in list(abi.callbacks.values()):
        params = ", ".join(f"{p.ctype} {p.name}" for p in fn.params) or "void"
        out.append(f"static_assert(std::is_same<{fn.name}, {fn.returns} (ONSHI_CALL *)({params})>::value, "
                   f"{_message(f'{header_name}: {fn.name} is not the type of {abi.where(fn.name)}')});")
    for fn in abi.functions.values():
        params = ", ".join(f"{p.ctype} {p.name}" for p in fn.params) or "void"
        out.append(f"static_assert(std::is_same<decltype(&::{fn.name}), {fn.returns} (ONSHI_CALL *)({params})>::value, "
                   f"{_message(f'{header_name}: {fn.name} is not declared as in {abi.where(fn.name)}')});")
    return "\n".join(out) + "\n"


def check(abi, header_path, header_name, cxx):
    with open(header_path, encoding="utf-8") as f:
        functions, consts, callbacks, fields = _names(f.read())
    errors = []
    for what, in_header, listed in (("function", functions, abi.functions),
                                    ("constant", consts, abi.consts),
                                    ("callback type", callbacks, abi.callbacks),
                                    ("onshi_event field", fields, [n for n, _ in abi.fields])):
        errors += [f"{header_name}: {what} {n} is not in {abi.path}" for n in in_header if n not in listed]
        errors += [f"{header_name}: {what} {n} ({abi.where(n)}) is missing" for n in listed if n not in in_header]
    if errors or not cxx:
        return errors
    include_dir = os.path.dirname(os.path.dirname(os.path.abspath(header_path)))
    with tempfile.NamedTemporaryFile("w", suffix=".cpp", delete=False) as src:
        src.write(generate(abi, header_name))
    try:
        run = subprocess.run(cxx + ["-std=c++17", "-fsyntax-only", "-I", include_dir, src.name],
                             capture_output=True, text=True)
    finally:
        os.unlink(src.name)
    if run.returncode != 0:
        # One line per failed assertion: the message names the entry and where the list says it.
        found = re.findall(r"static assertion failed: (.*)", run.stderr)
        errors += found or [f"{header_name}: the generated check did not compile:\n{run.stderr}"]
    return errors
