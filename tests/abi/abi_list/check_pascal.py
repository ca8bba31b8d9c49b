"""A Delphi / Free Pascal unit: its constants, its type aliases (resolved down to Pascal's own
types), the onshi_event record, the callback type and one procedural variable per function, each of
which must carry the ABI's calling convention: stdcall on Windows, cdecl elsewhere."""
import re

from binding import Binding, Decl

CONVENTION = "{$IFDEF MSWINDOWS}stdcall{$ELSE}cdecl{$ENDIF}"
BASE = {"int32": "i32", "longint": "i32", "uint32": "u32", "longword": "u32", "cardinal": "u32",
        "nativeuint": "size", "sizeuint": "size", "pansichar": "str", "putf8char": "str",
        "pointer": "ptr", "pbyte": "ptr"}


def _line(text, pos):
    return text.count("\n", 0, pos) + 1


class _Types:
    def __init__(self, aliases, records, procedures):
        self.aliases, self.records, self.procedures = aliases, records, procedures

    def kind(self, spelling, depth=0):
        t = spelling.strip()
        if depth > 10:
            return None
        if t.startswith("^"):
            inner = self.kind(t[1:], depth + 1)
            if inner in ("i32", "u32", "size"):
                return "ptr:" + inner
            if inner == "event":
                return "ptr:event"
            if inner and (inner in ("str", "ptr") or inner.startswith("ptr:")):
                return "ptr:ptr"
            return None
        low = t.lower()
        if low in BASE:
            return BASE[low]
        if low in self.records:
            return "event"
        if low in self.procedures:
            return "callback"
        if low in self.aliases:
            return self.kind(self.aliases[low], depth + 1)
        return None


def _params(text, types):
    params = []
    for group in (g.strip() for g in text.split(";") if g.strip()):
        modifier = None
        m = re.match(r"(var|out|const)\s+(.*)", group, re.I)
        if m:
            modifier, group = m.group(1).lower(), m.group(2)
        names, ptype = group.rsplit(":", 1)
        kind = types.kind(("^" if modifier in ("var", "out") else "") + ptype)
        for name in names.split(","):
            params.append((f"{modifier + ' ' if modifier else ''}{name.strip()}: {ptype.strip()}",
                           {kind} if kind else set()))
    return params


def parse(path, shown, complete, abi):  # pylint: disable=unused-argument
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"\{(?!\$)[^}]*\}", "", text)  # comments, but not {$...} directives
    text = re.sub(r"//[^\n]*", "", text)
    binding = Binding(shown, complete, case_insensitive=True)
    interface = text.split("implementation", 1)[0]

    records = {}
    for m in re.finditer(r"(\w+)\s*=\s*(?:packed\s+)?record(.*?)end\s*;", interface, re.S | re.I):
        records[m.group(1).lower()] = (m.group(2), _line(text, m.start()))
    procedures = {}
    for m in re.finditer(r"(\w+)\s*=\s*(procedure|function)\s*\(([^)]*)\)\s*(?::\s*(\w+))?\s*;\s*([^;]*);",
                         interface, re.I):
        procedures[m.group(1).lower()] = m
    body = re.sub(r"\w+\s*=\s*(?:packed\s+)?record.*?end\s*;", "", interface, flags=re.S | re.I)
    aliases = {m.group(1).lower(): m.group(2)
               for m in re.finditer(r"^\s*(\w+)\s*=\s*(\^?\w+)\s*;", body, re.M)
               if not m.group(1).upper().startswith("ONSHI_")}
    types = _Types(aliases, records, procedures)

    for m in re.finditer(r"^\s*(ONSHI_[A-Z0-9_]+)\s*=\s*(\$[0-9A-Fa-f]+|-?\d+)\s*;", interface, re.M):
        value = int(m.group(2)[1:], 16) if m.group(2).startswith("$") else int(m.group(2))
        binding.consts[m.group(1)] = (value, _line(text, m.start()))

    for name, (fields, line) in records.items():
        if name == "tonshi_event":
            binding.fields = []
            for fm in re.finditer(r"([&\w]+)\s*:\s*(\^?\w+)\s*;", fields):
                kind = types.kind(fm.group(2))
                binding.fields.append((fm.group(1).lstrip("&"), f"{fm.group(1)}: {fm.group(2)}",
                                       {kind} if kind else set()))
    callback = procedures.get("tonshi_event_callback")
    if callback:
        if callback.group(5).strip() != CONVENTION:
            binding.errors.append(f"{shown}:{_line(text, callback.start())}: Tonshi_event_callback is not "
                                  f"declared {CONVENTION}")
        ret = {types.kind(callback.group(4))} if callback.group(4) else {"void"}
        binding.callback = Decl(ret, _params(callback.group(3), types), _line(text, callback.start()))

    for m in re.finditer(r"^\s*(onshi_\w+)\s*:\s*(procedure|function)\s*(?:\(([^)]*)\))?\s*(?::\s*(\w+))?\s*;"
                         r"\s*([^;\n]*);", interface, re.M | re.I):
        line = _line(text, m.start())
        if m.group(5).strip() != CONVENTION:
            binding.errors.append(f"{shown}:{line}: {m.group(1)} is not declared {CONVENTION}")
        ret = {types.kind(m.group(4))} if m.group(4) else {"void"}
        binding.functions[m.group(1)] = Decl(ret, _params(m.group(3) or "", types), line)
        if not re.search(r"@" + m.group(1) + r"\s*:=\s*Sym\('" + m.group(1) + r"'\)", text):
            binding.errors.append(f"{shown}:{line}: OnshiLoad never resolves {m.group(1)}")
    return binding
