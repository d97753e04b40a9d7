"""Stubs for the modules a program imports that the check's interpreter cannot find (a package
that is not installed, a module of the program's project that was not given to the check).

A stub has no values: each of its attributes, and whatever calling, indexing or computing with
one gives, is another opaque value, and every operation that would turn one into a real value
(`bool`, `int`, `len`, iteration, `numpy.asarray`) raises `StubValueError`. So the program goes
on as long as it only passes these values around or ignores them (a plot, a progress bar, a
helper that shows images), and nothing it computes can hold an invented value. While a model, a
loss or a TF1 session runs (`reaching`), touching a stub value at all raises too, and a model
given one as input is not run: the check then could not check that call, and says which module
was missing (outcome.py), never blaming the program.

An import inside a `try` whose handler catches ImportError is not stubbed: the program's own
fallback runs. Only imports made by the program's files are stubbed, never a library's own
optional imports.
"""
from __future__ import annotations

import ast
import importlib.abc
import importlib.machinery
import os
import sys
import types

# how many times a stub value was touched, and the module of the last one touched
STATE = {"touches": 0, "module": None, "strict": 0}


class StubValueError(TypeError):
    """A value of a stub was used as a real value (or reached a model, a loss or a session)."""


def _touch(value: "StubValue", what: str):
    STATE["touches"] += 1
    STATE["module"] = value._tl_module
    if STATE["strict"]:
        raise StubValueError(f"`{value._tl_label}` is a value of the stub for `{value._tl_module}`, which the check "
                             f"cannot import: it has no value ({what} while a model, loss or session ran)")


def _refuse(value: "StubValue", what: str):
    STATE["touches"] += 1
    STATE["module"] = value._tl_module
    raise StubValueError(f"`{value._tl_label}` is a value of the stub for `{value._tl_module}`, which the check "
                         f"cannot import: it has no value to {what}")


class StubValue:
    """An opaque value of a missing module."""

    __slots__ = ("_tl_label", "_tl_module")

    def __init__(self, label: str, module: str) -> None:
        object.__setattr__(self, "_tl_label", label)
        object.__setattr__(self, "_tl_module", module)

    def _derived(self, label: str) -> "StubValue":
        return StubValue(label, self._tl_module)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        _touch(self, f"`.{name}` read")
        return self._derived(f"{self._tl_label}.{name}")

    def __setattr__(self, name, value):
        _touch(self, f"`.{name}` set")

    def __call__(self, *args, **kwargs):
        _touch(self, "called")
        return self._derived(f"{self._tl_label}(...)")

    def __getitem__(self, key):
        _touch(self, "indexed")
        return self._derived(f"{self._tl_label}[...]")

    def __setitem__(self, key, value):
        _touch(self, "indexed")

    def __enter__(self):
        _touch(self, "entered")
        return self._derived(f"{self._tl_label} (entered)")

    def __exit__(self, *exc):
        return False

    def __mro_entries__(self, bases):
        _touch(self, "subclassed")
        return (StubBase,)

    def __repr__(self) -> str:
        return f"<stub value {self._tl_label}>"

    __str__ = __repr__
    __hash__ = object.__hash__

    def __bool__(self):
        _refuse(self, "test for truth")

    def __len__(self):
        _refuse(self, "take the length of")

    def __iter__(self):
        _refuse(self, "iterate over")

    def __contains__(self, item):
        _refuse(self, "look in")

    def __int__(self):
        _refuse(self, "convert to int")

    __index__ = __int__

    def __float__(self):
        _refuse(self, "convert to float")

    def __complex__(self):
        _refuse(self, "convert to complex")

    def __array__(self, *args, **kwargs):
        _refuse(self, "convert to an array")

    def __fspath__(self):
        _refuse(self, "use as a path")


def _operator(name: str):
    def op(self, *args):
        _touch(self, "computed with")
        return self._derived(f"({self._tl_label} {name.strip('_')} ...)")
    op.__name__ = name
    return op


for _name in ("add", "sub", "mul", "matmul", "truediv", "floordiv", "mod", "pow", "lshift", "rshift", "and", "or",
              "xor", "divmod"):
    for _form in (f"__{_name}__", f"__r{_name}__"):
        setattr(StubValue, _form, _operator(_form))
for _form in ("__neg__", "__pos__", "__abs__", "__invert__", "__round__", "__eq__", "__ne__", "__lt__", "__le__",
              "__gt__", "__ge__"):
    setattr(StubValue, _form, _operator(_form))


class StubBase:
    """What a class of the program derives from when its base is a stub value: whatever it does
    not define itself is a stub value (of the module `_tl_module`)."""

    _tl_module = "a missing module"

    def __init__(self, *args, **kwargs) -> None:
        pass

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        value = StubValue(f"{type(self).__name__}.{name}", self._tl_module)
        _touch(value, f"`.{name}` read")
        return value


class StubModule(types.ModuleType):
    tensorlint_stub = True

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        value = StubValue(f"{self.__name__}.{name}", self.__name__.split(".")[0])
        _touch(value, f"`.{name}` read")
        return value


def stub_attributes(module: types.ModuleType, on_stub) -> None:
    """Names `module` lacks become stub values (`on_stub("torchvision.datasets.PhotoTour")` is told)."""
    def missing(name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        on_stub(f"{module.__name__}.{name}")
        return StubValue(f"{module.__name__}.{name}", module.__name__.split(".")[0])

    module.__getattr__ = missing


class reaching:
    """While a model, a loss or a session runs: a stub value touched raises StubValueError."""

    def __enter__(self):
        STATE["strict"] += 1
        return self

    def __exit__(self, *exc):
        STATE["strict"] -= 1
        return False


def is_stub(value) -> bool:
    return isinstance(value, (StubValue, StubModule))


def stub_in(values, depth: int = 3):
    """The first stub value among `values` (lists, tuples and dicts looked into), or None."""
    for v in values:
        if is_stub(v):
            return v
        if depth > 0 and isinstance(v, (list, tuple)):
            found = stub_in(v, depth - 1)
        elif depth > 0 and isinstance(v, dict):
            found = stub_in(v.values(), depth - 1)
        else:
            continue
        if found is not None:
            return found
    return None


def module_of(value) -> str:
    return value._tl_module if isinstance(value, StubValue) else value.__name__.split(".")[0]


def describe(value) -> str:
    """`scipy.misc.imread(...)`, a value of the stub for `scipy`"""
    label = value._tl_label if isinstance(value, StubValue) else value.__name__
    return f"`{label}`, a value of the stub for `{module_of(value)}`"


def guarded_imports(source: str) -> list[tuple[int, int]]:
    """Line ranges of `try` bodies whose handlers catch a failed import (ImportError,
    ModuleNotFoundError, Exception, BaseException or a bare except)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    catching = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try) or not node.body:
            continue
        for handler in node.handlers:
            kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
            names = {k.id if isinstance(k, ast.Name) else getattr(k, "attr", None) for k in kinds if k is not None}
            if handler.type is None or names & catching:
                out.append((node.body[0].lineno, node.body[-1].end_lineno or node.body[-1].lineno))
                break
    return out


class StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Last on sys.meta_path: a stub for a module nothing else found, when one of the program's
    files imports it outside a `try` that handles the failure. `on_stub(name, line)` is told."""

    def __init__(self, program: str, on_stub) -> None:
        self.program = os.path.abspath(program)
        self.folder = os.path.dirname(self.program)
        self.on_stub = on_stub
        self.guarded: dict[str, list[tuple[int, int]]] = {}

    def importer(self):
        """(file, line) of the frame of the program's code that imports, or None when the import
        comes from elsewhere (a library's optional import, the check itself)."""
        frame = sys._getframe(2)
        while frame is not None:
            name = frame.f_code.co_filename
            if name.endswith(os.path.join("importlib", "util.py")) and frame.f_code.co_name == "find_spec":
                return None  # `importlib.util.find_spec("apex")` asks whether it is there: it is not
            # the import machinery, and the check's own hooks on it (session.py's TF1 imports)
            if not (name.startswith("<frozen importlib") or os.sep + "importlib" + os.sep in name
                    or os.path.dirname(os.path.abspath(name)) == os.path.dirname(os.path.abspath(__file__))):
                break
            frame = frame.f_back
        if frame is None:
            return None
        name = os.path.abspath(frame.f_code.co_filename)
        if name != self.program and not (name.startswith(self.folder + os.sep) and "-packages" + os.sep not in name):
            return None
        return name, frame.f_lineno

    def find_spec(self, fullname, path=None, target=None):
        parent = sys.modules.get(fullname.rpartition(".")[0]) if "." in fullname else None
        if isinstance(parent, StubModule):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        where = self.importer()
        if where is None or self.in_try(*where):
            return None
        self.on_stub(fullname, where[1] if where[0] == self.program else None)
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def in_try(self, filename: str, line: int) -> bool:
        if filename not in self.guarded:
            try:
                with open(filename, encoding="utf-8", errors="replace") as f:
                    self.guarded[filename] = guarded_imports(f.read())
            except OSError:
                self.guarded[filename] = []
        return any(a <= line <= b for a, b in self.guarded[filename])

    def create_module(self, spec):
        module = StubModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module) -> None:
        pass
