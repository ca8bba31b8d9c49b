"""Reads abi/onshi_abi.list, the one list of onshi's C ABI, and says what each C type is in the terms
every binding is compared in ("kinds"): how wide it is and, for a pointer, what it points to."""
import re
from dataclasses import dataclass, field


@dataclass
class Param:
    ctype: str
    name: str


@dataclass
class Function:
    """A function or a callback type: return type and parameters, as C spells them."""
    name: str
    since: str
    returns: str
    params: list
    line: int


@dataclass
class AbiList:
    path: str
    types: dict = field(default_factory=dict)      # typedef name -> C integer type
    handles: list = field(default_factory=list)    # opaque struct names
    consts: dict = field(default_factory=dict)     # name -> int
    fields: list = field(default_factory=list)     # [(name, C type)] of onshi_event, in order
    callbacks: dict = field(default_factory=dict)  # name -> Function
    functions: dict = field(default_factory=dict)  # name -> Function, in list order
    lines: dict = field(default_factory=dict)      # entry name -> line number

    def where(self, name):
        return f"{self.path}:{self.lines.get(name, '?')}"

    def kind(self, ctype):
        """The kind of a C type: i32, u32, size, void, callback, str (const char *), ptr (an opaque
        or byte pointer) or ptr:<kind> (a pointer through which onshi writes or reads a <kind>)."""
        t = " ".join(ctype.replace("*", " * ").split())
        if t.endswith("*"):
            inner = t[:-1].strip()
            bare = inner.replace("const ", "").strip()
            if bare == "char":
                return "str"
            if bare == "onshi_event":
                return "ptr:event"
            if bare in ("void", "uint8_t") or bare in self.handles:
                return "ptr"
            inner_kind = self.kind(inner)
            if inner_kind in ("str", "ptr") or inner_kind.startswith("ptr:"):
                return "ptr:ptr"
            return "ptr:" + inner_kind
        t = t.replace("const ", "")
        t = self.types.get(t, t)
        known = {"int32_t": "i32", "uint32_t": "u32", "size_t": "size", "void": "void"}
        if t in known:
            return known[t]
        if t in self.callbacks:
            return "callback"
        raise ValueError(f"{self.path}: the type '{ctype}' is not one the list knows")


def _signature(text, name, since, line):
    m = re.fullmatch(r"(.+?)\((.*)\)", text.strip())
    if not m:
        raise ValueError(f"line {line}: '{text}' is not RETURN(PARAMETERS)")
    params = []
    if m.group(2).strip() not in ("", "void"):
        for p in m.group(2).split(","):
            pm = re.fullmatch(r"(.*?[\s*])(\w+)", p.strip())
            if not pm:
                raise ValueError(f"line {line}: parameter '{p.strip()}' of {name} has no name")
            params.append(Param(" ".join(pm.group(1).split()), pm.group(2)))
    return Function(name, since, " ".join(m.group(1).split()), params, line)


def read(path, display_path="abi/onshi_abi.list"):
    abi = AbiList(display_path)
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split(None, 3)
            if len(parts) < 3:
                raise ValueError(f"{display_path}:{number}: expected KIND NAME SINCE DEFINITION")
            kind, name, since = parts[:3]
            rest = parts[3] if len(parts) > 3 else ""
            if name in abi.lines:
                raise ValueError(f"{display_path}:{number}: {name} is listed twice")
            abi.lines[name] = number
            if kind == "type":
                abi.types[name] = rest
            elif kind == "handle":
                abi.handles.append(name)
            elif kind == "const":
                abi.consts[name] = int(rest, 0)
            elif kind == "field":
                struct, member = name.split(".")
                if struct != "onshi_event":
                    raise ValueError(f"{display_path}:{number}: only onshi_event has fields")
                abi.fields.append((member, rest))
                abi.lines[member] = number
            elif kind == "callback":
                abi.callbacks[name] = _signature(rest, name, since, number)
            elif kind == "function":
                abi.functions[name] = _signature(rest, name, since, number)
            else:
                raise ValueError(f"{display_path}:{number}: unknown kind '{kind}'")
    return abi


def binding_name(name):
    """The list name a binding's constant stands for: ONSHI_E_TIMEOUT, or E_TIMEOUT in a binding that
    keeps constants in a class of their own (C#'s Onshi.E_TIMEOUT, Python's EVENT_DONE)."""
    return name if name.startswith("ONSHI_") else "ONSHI_" + name
