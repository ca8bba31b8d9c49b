"""A ctypes binding, read by running it: the module is imported and its load() is called with a
stand-in for ctypes.CDLL that records every restype and argtypes the module sets (and answers
onshi_abi_version with the list's version). The Event structure, the callback type and the module's
ONSHI_* / EVENT_* constants are read from the module itself."""
import ctypes
import importlib.util
import inspect

from binding import POINTERS, Binding, Decl

SCALARS = {ctypes.c_int32: {"i32"}, ctypes.c_uint32: {"u32"}, ctypes.c_size_t: {"size"},
           ctypes.c_char_p: {"str"}, ctypes.c_void_p: POINTERS, None: {"void"}}


def _kinds(t):
    if t in SCALARS:
        return SCALARS[t]
    if isinstance(t, type) and issubclass(t, ctypes._CFuncPtr):  # pylint: disable=protected-access
        return {"callback"}
    if isinstance(t, type) and issubclass(t, ctypes._Pointer):  # pylint: disable=protected-access
        target = t._type_
        if isinstance(target, type) and issubclass(target, ctypes.Structure):
            return {"ptr:event"}
        inner = _kinds(target)
        if inner & POINTERS:
            return {"ptr:ptr"}
        return {"ptr:" + k for k in inner if k in ("i32", "u32", "size")}
    return set()


def _spelling(t):
    return getattr(t, "__name__", repr(t))


class _Recorded:
    def __init__(self, value):
        self.restype, self.argtypes, self._value = ctypes.c_int, None, value

    def __call__(self, *args):
        return self._value


class _RecordingLibrary:
    def __init__(self, abi_version):
        self._functions, self._abi_version = {}, abi_version

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._functions.setdefault(name, _Recorded(self._abi_version if name == "onshi_abi_version" else 0))


def parse(path, shown, complete, abi):
    spec = importlib.util.spec_from_file_location("onshi_binding_under_check", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    source_lines = inspect.getsource(module).splitlines()
    library = _RecordingLibrary((abi.consts["ONSHI_ABI_VERSION_MAJOR"] << 16) | abi.consts["ONSHI_ABI_VERSION_MINOR"])
    saved = ctypes.CDLL, getattr(ctypes, "WinDLL", None)
    ctypes.CDLL = ctypes.WinDLL = lambda *args, **kwargs: library
    try:
        module.load("onshi-under-check")
    finally:
        ctypes.CDLL = saved[0]
        if saved[1] is None:
            del ctypes.WinDLL
        else:
            ctypes.WinDLL = saved[1]

    def line_of(text):
        return next((i for i, l in enumerate(source_lines, 1) if text in l), "?")

    binding = Binding(shown, complete)
    for name, fn in library._functions.items():  # pylint: disable=protected-access
        params = fn.argtypes if fn.argtypes is not None else []
        if fn.argtypes is None and abi.functions.get(name) and abi.functions[name].params:
            binding.errors.append(f"{shown}:{line_of(name)}: {name} is called without argtypes")
        binding.functions[name] = Decl(_kinds(fn.restype), [(_spelling(t), _kinds(t)) for t in params],
                                       line_of(f'"{name}"'))
    for name, value in vars(module).items():
        if isinstance(value, int) and not isinstance(value, bool) and name.isupper():
            listed = name if name.startswith("ONSHI_") else "ONSHI_" + name
            binding.consts[listed] = (value, line_of(name))
    event = next((v for v in vars(module).values()
                  if isinstance(v, type) and issubclass(v, ctypes.Structure) and v is not ctypes.Structure), None)
    if event is not None:
        binding.fields = [(n, f"{n}: {_spelling(t)}", _kinds(t)) for n, t in event._fields_]
    callback = next((v for v in vars(module).values()
                     if isinstance(v, type) and issubclass(v, ctypes._CFuncPtr)), None)  # pylint: disable=protected-access
    if callback is not None:
        binding.callback = Decl(_kinds(callback._restype_),  # pylint: disable=protected-access
                                [(_spelling(t), _kinds(t)) for t in callback._argtypes_],  # pylint: disable=protected-access
                                line_of("EventCallback"))
    return binding
