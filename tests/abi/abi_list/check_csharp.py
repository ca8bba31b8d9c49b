"""C# P/Invoke declarations ([DllImport] static extern), `const int` constants, the Event struct and
the EventCallback delegate, read from the C# source."""
import re

from binding import POINTERS, Binding, Decl

# What a C# parameter type carries across the P/Invoke boundary.
PLAIN = {"int": {"i32"}, "Int32": {"i32"}, "uint": {"u32"}, "UInt32": {"u32"},
         "UIntPtr": {"size"}, "nuint": {"size"}, "IntPtr": POINTERS | {"size"},
         "byte[]": {"str", "ptr"}, "string": {"str"}, "void": {"void"}}
BY_REFERENCE = {"int": {"ptr:i32"}, "Int32": {"ptr:i32"}, "uint": {"ptr:u32"}, "UInt32": {"ptr:u32"},
                "IntPtr": {"ptr:ptr"}, "UIntPtr": {"ptr:size"}, "Event": {"ptr:event"}}


def _kinds(spelling, delegates):
    words = re.sub(r"\[[A-Za-z][^\]]*\]", "", spelling).split()
    modifier = words[0] if words and words[0] in ("out", "ref", "in") else None
    ctype = words[1] if modifier else (words[0] if words else "void")
    if ctype.endswith("Handle"):  # a SafeHandle subclass marshals as the handle's pointer
        return {"ptr:ptr"} if modifier else {"ptr"}
    if modifier:
        return BY_REFERENCE.get(ctype, set())
    if ctype in delegates:
        return {"callback"}
    return PLAIN.get(ctype, set())


def _line(text, pos):
    return text.count("\n", 0, pos) + 1


def parse(path, shown, complete, abi):  # pylint: disable=unused-argument
    with open(path, encoding="utf-8") as f:
        text = re.sub(r"//[^\n]*", "", f.read())
    binding = Binding(shown, complete)
    delegates = {m.group(2): m for m in re.finditer(r"delegate\s+(\w+)\s+(\w+)\s*\(([^)]*)\)\s*;", text)}
    for m in re.finditer(r"(?:EntryPoint\s*=\s*\"(onshi_\w+)\"[^\n]*?)?static\s+extern\s+([\w\[\]]+)\s+(onshi_\w+)\s*"
                         r"\(([^)]*)\)\s*;", text):
        params = [p.strip() for p in m.group(4).split(",") if p.strip()]
        decl = Decl(_kinds(m.group(2), delegates), [(p, _kinds(p.rsplit(None, 1)[0], delegates)) for p in params],
                    _line(text, m.start()))
        # EntryPoint = "..." declares an export again under another C# name (another handle type):
        # it is checked against the export's entry too.
        if m.group(1):
            binding.aliases.append((m.group(1), decl))
        else:
            binding.functions[m.group(3)] = decl
    for m in re.finditer(r"const\s+u?int\s+([^;]+);", text):
        for item in m.group(1).split(","):
            name, value = (s.strip() for s in item.split("="))
            binding.consts["ONSHI_" + name if not name.startswith("ONSHI_") else name] = (
                int(value, 0), _line(text, m.start()))
    struct = re.search(r"struct\s+Event\s*\{(.*?)\}", text, re.S)
    if struct:
        binding.fields = [(name, f"{ctype} {name}", _kinds(ctype, delegates))
                          for ctype, name in re.findall(r"public\s+([\w\[\]]+)\s+(\w+)\s*;", struct.group(1))]
    if "EventCallback" in delegates:
        m = delegates["EventCallback"]
        params = [p.strip() for p in m.group(3).split(",") if p.strip()]
        binding.callback = Decl(_kinds(m.group(1), delegates),
                                [(p, _kinds(p.rsplit(None, 1)[0], delegates)) for p in params],
                                _line(text, m.start()))
    return binding
