"""What a binding declares, read by one parser per language, and the one comparison of it with the
list. A binding parser says, for each parameter it read, which kinds (abi_list.kind) its spelling can
carry: C#'s `out IntPtr` fits ptr:ptr, VB6's `ByVal x As Long` fits i32, u32 and any pointer."""
from dataclasses import dataclass, field

POINTERS = {"str", "ptr", "ptr:ptr", "ptr:i32", "ptr:u32", "ptr:size", "ptr:event"}


@dataclass
class Decl:
    """A declared function (or the callback type): what its return and each parameter can carry."""
    returns: set
    params: list  # [(spelling, set of kinds)]
    line: int


@dataclass
class Binding:
    path: str
    complete: bool  # a full binding must declare everything; a sample may declare what it uses
    # Pascal and VB ignore case: there the function onshi_abi_version hides ONSHI_ABI_VERSION.
    case_insensitive: bool = False
    # VB has no function pointer type: a callback crosses as a pointer-sized integer (AddressOf).
    has_callback_type: bool = True
    functions: dict = field(default_factory=dict)  # name -> Decl
    aliases: list = field(default_factory=list)    # [(export name, Decl)]: more declarations of one export
    consts: dict = field(default_factory=dict)     # list name -> (value, line)
    fields: list = None                            # [(name, spelling, kinds)] or None when absent
    callback: Decl = None
    errors: list = field(default_factory=list)     # what the parser itself found wrong

    def at(self, line):
        return f"{self.path}:{line}"


def _compare_signature(abi, what, listed, decl, binding, errors):
    kinds = [abi.kind(p.ctype) for p in listed.params]
    if len(decl.params) != len(kinds):
        errors.append(f"{binding.at(decl.line)}: {what} takes {len(decl.params)} parameters here, "
                      f"{len(kinds)} in {abi.where(listed.name)}")
        return
    ret = abi.kind(listed.returns)
    if ret not in decl.returns:
        errors.append(f"{binding.at(decl.line)}: {what} returns something that cannot carry "
                      f"'{listed.returns}' ({abi.where(listed.name)})")
    for i, ((spelling, accepts), p, k) in enumerate(zip(decl.params, listed.params, kinds), 1):
        if k not in accepts:
            errors.append(f"{binding.at(decl.line)}: {what} parameter {i} `{spelling}` does not fit "
                          f"'{p.ctype} {p.name}' ({abi.where(listed.name)})")


def compare(abi, binding):
    """Every difference between the binding and the list, one line each, naming both places."""
    errors = list(binding.errors)
    for name, decl in binding.functions.items():
        if name not in abi.functions:
            errors.append(f"{binding.at(decl.line)}: {name} is not in {abi.path}")
            continue
        _compare_signature(abi, name, abi.functions[name], decl, binding, errors)
    for name, decl in binding.aliases:
        if name not in abi.functions:
            errors.append(f"{binding.at(decl.line)}: {name} is not in {abi.path}")
        else:
            _compare_signature(abi, name, abi.functions[name], decl, binding, errors)
    for name, (value, line) in binding.consts.items():
        if name not in abi.consts:
            if binding.complete:
                errors.append(f"{binding.at(line)}: {name} is not in {abi.path}")
        elif abi.consts[name] != value:
            errors.append(f"{binding.at(line)}: {name} = {value} here, {abi.consts[name]} in {abi.where(name)}")
    if binding.complete:
        for name in abi.functions:
            if name not in binding.functions:
                errors.append(f"{binding.path}: function {name} ({abi.where(name)}) is missing")
        functions = {f.lower() for f in abi.functions}
        for name in abi.consts:
            if binding.case_insensitive and name.lower() in functions:
                continue
            if name not in binding.consts:
                errors.append(f"{binding.path}: constant {name} ({abi.where(name)}) is missing")
    if binding.fields is not None:
        # A host may know fewer fields than the library (they are only ever appended), never others.
        if binding.complete and len(binding.fields) < len(abi.fields):
            for name, _ in abi.fields[len(binding.fields):]:
                errors.append(f"{binding.path}: onshi_event field {name} ({abi.where(name)}) is missing")
        for i, (name, spelling, accepts) in enumerate(binding.fields):
            if i >= len(abi.fields):
                errors.append(f"{binding.path}: onshi_event field {name} is not in {abi.path}")
                continue
            listed_name, ctype = abi.fields[i]
            if name != listed_name or abi.kind(ctype) not in accepts:
                errors.append(f"{binding.path}: onshi_event field {i + 1} is `{spelling}`, "
                              f"'{ctype} {listed_name}' in {abi.where(listed_name)}")
    elif binding.complete:
        errors.append(f"{binding.path}: the onshi_event record is missing")
    if binding.callback is not None:
        for name, listed in abi.callbacks.items():
            _compare_signature(abi, name, listed, binding.callback, binding, errors)
    elif binding.complete and binding.has_callback_type and abi.callbacks:
        errors.append(f"{binding.path}: the callback type {next(iter(abi.callbacks))} is missing")
    return errors
