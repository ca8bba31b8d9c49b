"""A VB6 / VBA module: `Public Const ... As Long`, the OnshiEvent Type and the Declare statements,
once for VBA7 (PtrSafe, LongPtr: 32- and 64-bit Office) and once for VB6 / older VBA (32-bit, where
every pointer is a Long). Both sets are compared with the list. VB has no unsigned type, so Long
stands for int32_t and uint32_t alike; VB6 reads a module in the ANSI code page, so it must be
ASCII."""
import re

from binding import POINTERS, Binding, Decl

VBA7 = {  # (passing, type) -> kinds
    ("ByVal", "Long"): {"i32", "u32"}, ("ByVal", "LongPtr"): POINTERS | {"size", "callback"},
    ("ByRef", "Long"): {"ptr:i32", "ptr:u32"}, ("ByRef", "LongPtr"): {"ptr:ptr", "ptr:size"},
    ("ByRef", "OnshiEvent"): {"ptr:event"}, ("ByRef", "Byte"): {"str", "ptr"},
    ("return", "Long"): {"i32", "u32"}, ("return", "LongPtr"): {"str", "ptr"},
    ("field", "Long"): {"i32", "u32"}, ("field", "LongPtr"): {"str", "ptr"},
}
VB6 = {  # 32-bit only: a pointer is a Long
    ("ByVal", "Long"): {"i32", "u32", "size", "callback"} | POINTERS,
    ("ByRef", "Long"): {"ptr:i32", "ptr:u32", "ptr:ptr", "ptr:size"},
    ("ByRef", "OnshiEvent"): {"ptr:event"}, ("ByRef", "Byte"): {"str", "ptr"},
    ("return", "Long"): {"i32", "u32", "str", "ptr"}, ("field", "Long"): {"i32", "u32", "str", "ptr"},
}


# Words VB does not take as a parameter's name (onshi.h's `date` would be a syntax error).
RESERVED = {"date", "type", "event", "error", "property", "function", "sub", "string", "integer",
            "long", "object", "variant", "boolean", "byte", "double", "single", "currency", "me",
            "not", "and", "or", "mod", "is", "like", "new", "set", "let", "get", "call", "dim",
            "each", "next", "loop", "do", "while", "if", "then", "else", "end", "select", "case",
            "to", "step", "with", "optional", "print", "open", "close", "input", "output", "public",
            "private", "static", "const", "declare", "lib", "alias", "as", "byval", "byref",
            "empty", "null", "nothing", "true", "false", "on", "resume", "exit", "stop", "name"}


def _params(text, table):
    params = []
    for p in (p.strip() for p in text.split(",") if p.strip()):
        m = re.fullmatch(r"(?:(ByVal|ByRef)\s+)?(\w+)\s+As\s+(\w+)", p)
        if not m or m.group(2).lower() in RESERVED:
            params.append((p + ("" if not m else ": its name is a VB keyword, and it"), set()))
            continue
        params.append((p, table.get((m.group(1) or "ByRef", m.group(3)), set())))
    return params


def _read(lines, shown, complete, table, variant):
    binding = Binding(f"{shown} ({variant})", complete, case_insensitive=True, has_callback_type=False)
    binding.fields = None
    in_type = False
    for number, line in lines:
        if in_type:
            if re.match(r"End\s+Type", line):
                in_type = False
                continue
            m = re.match(r"(\w+)\s+As\s+(\w+)", line)
            if m:
                binding.fields.append((m.group(1).rstrip("_"), line, table.get(("field", m.group(2)), set())))
            continue
        if re.match(r"Public\s+Type\s+OnshiEvent\b", line):
            binding.fields, in_type = [], True
            continue
        m = re.match(r"Public\s+Const\s+(ONSHI_\w+)\s+As\s+Long\s*=\s*(&H[0-9A-Fa-f]+|-?\d+)", line)
        if m:
            v = m.group(2)
            binding.consts[m.group(1)] = (int(v[2:], 16) if v.startswith("&H") else int(v), number)
            continue
        m = re.match(r"(?:Public|Private)?\s*Declare\s+(PtrSafe\s+)?(Function|Sub)\s+(onshi_\w+)\s+Lib\s+\"onshi\.dll\""
                     r"\s*\(([^)]*)\)(?:\s+As\s+(\w+))?", line)
        if m:
            if bool(m.group(1)) != (variant == "VBA7"):
                binding.errors.append(f"{binding.at(number)}: {m.group(3)}: PtrSafe belongs to VBA7 and only there")
            returns = {"void"} if m.group(2) == "Sub" else table.get(("return", m.group(5)), set())
            binding.functions[m.group(3)] = Decl(returns, _params(m.group(4), table), number)
    return binding


def parse(path, shown, complete, abi):  # pylint: disable=unused-argument
    with open(path, "rb") as f:
        raw = f.read()
    bindings = []
    if any(b > 0x7F for b in raw):
        line = raw[:next(i for i, b in enumerate(raw) if b > 0x7F)].count(b"\n") + 1
        errors = [f"{shown}:{line}: not ASCII (VB6 reads modules in the ANSI code page)"]
    else:
        errors = []
    # Logical lines: " _" at the end continues a line; comments go.
    logical, pending, start = [], "", 0
    for number, physical in enumerate(raw.decode("utf-8", "replace").splitlines(), 1):
        code = re.sub(r"'[^\"]*$", "", physical).rstrip()
        if not pending:
            start = number
        if code.endswith(" _"):
            pending += code[:-2] + " "
            continue
        logical.append((start, (pending + code).strip()))
        pending = ""
    common, vba7, vb6, region = [], [], [], None
    for number, line in logical:
        if re.match(r"#If\s+VBA7\s+Then", line):
            region = vba7
        elif re.match(r"#Else\b", line) and region is vba7:
            region = vb6
        elif re.match(r"#End\s+If", line):
            region = None
        else:
            (region if region is not None else common).append((number, line))
    for table, lines, variant in ((VBA7, vba7, "VBA7"), (VB6, vb6, "VB6")):
        b = _read(common + lines, shown, complete, table, variant)
        b.errors = errors + b.errors
        errors = []
        bindings.append(b)
    return bindings
