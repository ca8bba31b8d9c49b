#!/usr/bin/env python3
"""The static __stdcall proof for onshi.dll x86: the machine code pops exactly what the ABI says.

  check_stdcall.py --dll onshi.dll [--symbols onshi-unstripped.dll] --list abi/onshi_abi.list
                   [--objdump i686-w64-mingw32-objdump]

For every function in the one ABI list (abi/onshi_abi.list) the DLL must export it, and every
`ret` of the exported code (and of any function it tail-jumps to) must be `ret $N` with N the bytes
of its parameters on x86: a __stdcall callee pops its own arguments, and a host declared with VB6's
Declare, Delphi's stdcall or .NET's StdCall relies on that. For the host callback
(onshi_event_callback), the one place the DLL calls it (EventDispatcher::dispatch_loop) must treat
it as __stdcall too: after the indirect call the caller re-reserves the bytes the callee popped
(`sub $N,%esp`), where a cdecl caller would not, and pushes nothing it would have to clean up.
The shipped DLL is stripped: its functions are read in the unstripped one the link left in the build
tree (--symbols), after checking that both have the same .text and the same export table.
Prints one line per function and exits 1 on any difference."""
import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "abi", "abi_list"))
import abi_list  # noqa: E402

# Where the DLL calls the host's callback (plugin/src/core/event_dispatcher.cpp).
CALLBACK_CALLERS = {"onshi_event_callback": "EventDispatcher13dispatch_loop"}
def argument_bytes(abi, fn):
    """The bytes a __stdcall callee pops: every parameter type of the ABI (int32, uint32, size_t,
    pointers, the callback) takes 4 on x86; a 64-bit integer or a struct by value would need its
    own rule here, so any other kind stops the proof."""
    total = 0
    for p in fn.params:
        kind = abi.kind(p.ctype)
        if kind not in ("i32", "u32", "size", "callback", "str", "ptr") and not kind.startswith("ptr:"):
            raise ValueError(f"{fn.name}: no x86 size known for '{p.ctype}'")
        total += 4
    return total


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def text_of(objdump, dll):
    """The bytes of the .text section (the code) of a DLL."""
    objcopy = objdump.replace("objdump", "objcopy")
    with tempfile.NamedTemporaryFile(suffix=".bin") as out:
        run(objcopy, "-O", "binary", "--only-section=.text", dll, out.name)
        return out.read()


class Image:
    def __init__(self, objdump, dll, symbols=True):
        self.objdump, self.dll = objdump, dll
        headers = run(objdump, "-p", dll)
        self.base = int(re.search(r"^ImageBase\s+([0-9a-fA-F]+)", headers, re.M).group(1), 16)
        # Export RVAs by name: the address table is indexed by ordinal - base, the name table gives
        # each name's ordinal index (binutils prints "[index] name" under the name pointer table).
        addresses = {int(i): int(rva, 16) for i, rva in
                     re.findall(r"^\s*\[\s*(\d+)\]\s+\+base\[\s*\d+\]\s+([0-9a-fA-F]+)\s+Export RVA", headers, re.M)}
        names = headers.split("[Ordinal/Name Pointer] Table", 1)[1]
        self.exports = {}
        for index, name in re.findall(r"^\s*\[\s*(\d+)\]\s+(\S+)\s*$", names, re.M):
            self.exports[name] = self.base + addresses[int(index)]
        self.symbols, self.starts = [], []
        if not symbols:
            return
        # Text symbols, sorted: a function ends where the next one starts.
        nm = objdump.replace("objdump", "nm")
        self.symbols = sorted((int(a, 16), n) for a, t, n in
                              re.findall(r"^([0-9a-fA-F]+) ([tT]) (\S+)$", run(nm, "-n", dll), re.M))
        self.starts = [a for a, _ in self.symbols]
        if not self.symbols:
            raise SystemExit(f"FAIL {dll} has no symbols: pass the unstripped DLL with --symbols")

    def extent(self, address):
        following = [a for a in self.starts if a > address]
        return address, (min(following) if following else address + 0x10000)

    def symbol_at(self, address):
        before = [(a, n) for a, n in self.symbols if a <= address]
        if not before:
            return hex(address)
        a, n = before[-1]
        return n if a == address else f"{n}+{address - a:#x}"

    def disassemble(self, start, stop):
        out = run(self.objdump, "-d", "--no-show-raw-insn", f"--start-address={start:#x}",
                  f"--stop-address={stop:#x}", self.dll)
        return re.findall(r"^\s*([0-9a-f]+):\s+(.*)$", out, re.M)


def pops(image, address, seen, found=None):
    """Every `ret` reachable from the function at address without returning: its own, and those of
    the code it jumps to outside itself. {address of the ret: (function, bytes popped)}."""
    found = {} if found is None else found
    if address in seen:
        return found
    seen.add(address)
    start, stop = image.extent(address)
    for at, insn in image.disassemble(start, stop):
        m = re.match(r"ret[lw]?\s*(?:\$0x([0-9a-f]+))?\s*$", insn)
        if m:
            found.setdefault(at, (image.symbol_at(int(at, 16)), int(m.group(1) or "0", 16)))
        # A jump out of the function (a tail call, or its .cold part) ends in someone's ret too.
        m = re.match(r"j[a-z]+\s+([0-9a-f]+)\s", insn)
        if m and not start <= int(m.group(1), 16) < stop:
            pops(image, int(m.group(1), 16), seen, found)
    return found


def check_callback(image, abi, name, caller, errors):
    expected = argument_bytes(abi, abi.callbacks[name])
    where = [(a, n) for a, n in image.symbols if caller in n and not n.endswith(".cold")]
    if not where:
        errors.append(f"{name}: no function {caller} in {image.dll} (where the DLL calls the callback)")
        return
    for address, symbol in where:
        code = image.disassemble(*image.extent(address))
        calls = [i for i, (_, insn) in enumerate(code) if re.match(r"call\s+\*", insn)]
        if len(calls) != 1:
            errors.append(f"{name}: {symbol} has {len(calls)} indirect calls, expected the callback's one")
            continue
        after = code[calls[0] + 1][1] if calls[0] + 1 < len(code) else ""
        m = re.match(r"sub\s+\$0x([0-9a-f]+),%esp", after)
        popped = int(m.group(1), 16) if m else 0
        pushes = sum(1 for _, insn in code[max(0, calls[0] - 8):calls[0]] if insn.startswith("push"))
        if popped != expected or pushes:
            errors.append(f"{name}: after `{code[calls[0]][1]}` in {symbol} the caller expects the callee to "
                          f"pop {popped} bytes (`{after}`), {expected} in {abi.where(name)}")
        else:
            print(f"  {name}: called from {symbol} as __stdcall, callee pops {popped} bytes "
                  f"(`{code[calls[0]][1]}` then `{after}`)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dll", required=True)
    parser.add_argument("--symbols", help="the same DLL before stripping (default: --dll)")
    parser.add_argument("--list", required=True)
    parser.add_argument("--objdump", default="i686-w64-mingw32-objdump")
    args = parser.parse_args()
    abi = abi_list.read(args.list, args.list)
    image = Image(args.objdump, args.symbols or args.dll)
    errors = []
    if args.symbols:
        shipped = Image(args.objdump, args.dll, symbols=False)
        if shipped.exports != image.exports or text_of(args.objdump, args.dll) != text_of(args.objdump, args.symbols):
            print(f"FAIL {args.symbols} is not {args.dll} before stripping (exports or .text differ)")
            return 1
        print(f"  {args.dll}: same .text and exports as {args.symbols}")
    for name, fn in abi.functions.items():
        expected = argument_bytes(abi, fn)
        if name not in image.exports:
            errors.append(f"{name}: not exported by {args.dll} ({abi.where(name)})")
            continue
        found = pops(image, image.exports[name], set())
        wrong = sorted({f"{where}: ret ${n}" for where, n in found.values() if n != expected})
        if not found:
            errors.append(f"{name}: no ret found in its code")
        elif wrong:
            errors.append(f"{name}: pops {', '.join(wrong)}; its {len(fn.params)} parameters in "
                          f"{abi.where(name)} are {expected} bytes")
        else:
            print(f"  {name}: {len(found)} ret ${expected} ({len(fn.params)} parameters)")
    for name, caller in CALLBACK_CALLERS.items():
        check_callback(image, abi, name, caller, errors)
    for e in errors:
        print("FAIL " + e)
    if errors:
        return 1
    print(f"__stdcall proven: {len(abi.functions)} exports pop exactly their arguments; the callback is called as __stdcall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
