"""Name lists that must hold exactly the list's functions: onshi.def (the DLL's exports) and the
C++ host SDK's table (host-sdk/include/onshi/sdk/api_table.hpp, whose pointer types come from
onshi.h by decltype, so the names are all there is to check)."""
import re


def _compare(abi, found, path):
    errors = [f"{path}:{line}: {name} is not in {abi.path}" for name, line in found.items()
              if name not in abi.functions]
    errors += [f"{path}: function {name} ({abi.where(name)}) is missing" for name in abi.functions
               if name not in found]
    return errors


def _find(path, pattern):
    found = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            for name in re.findall(pattern, line.split(";", 1)[0] if path.endswith(".def") else line):
                found[name] = number
    return found


def check_def(abi, path, shown):
    return _compare(abi, _find(path, r"^\s+(onshi_\w+)\s*$"), shown)


def check_sdk_table(abi, path, shown):
    return _compare(abi, _find(path, r"X\((onshi_\w+)\)"), shown)
