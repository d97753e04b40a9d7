"""Dataclass methods compiled once per Python version, not at every start.

`@dataclass` writes the source of each class's `__init__`, `__repr__`, `__eq__`, ... and compiles
it with `exec` when the class is created. libcst's ~250 node classes and ours are created on
every start of the command line, and compiling their ~840 generated functions is about half of
what importing them costs. This module gives the `dataclasses` module an `exec` that keeps the
code object compiled from each source text, and keeps those code objects between runs in a file
of the user's cache folder (as Python keeps modules' bytecode in `__pycache__`): a later start
executes the same code objects instead of compiling the same texts again.

Nothing else changes: a text is compiled exactly as `exec` compiles it (the file name
`<string>`, no inherited `__future__` flags), and the code object is run with the globals and
namespace `dataclasses` passes. A file that cannot be read, written to or trusted (another
Python's bytecode, a damaged file) is ignored and replaced. `TENSORLINT_CODE_CACHE=off` turns the
whole thing off; `TENSORLINT_CODE_CACHE=<folder>` puts the file in that folder.

Only the program's own start calls `install` (the `tensorlint` command with no argument list
passed in), so a library caller's process keeps the standard `exec`.
"""
from __future__ import annotations

import builtins
import marshal
import os
import sys

ENV = "TENSORLINT_CODE_CACHE"
MAX_ENTRIES = 4000  # past this, a save keeps only what the run used
_exec = builtins.exec
_state: dict = {"installed": False, "path": None, "codes": {}, "used": set(), "new": 0}


def _magic() -> bytes:
    from importlib._bootstrap_external import MAGIC_NUMBER  # loaded already: no import cost

    return MAGIC_NUMBER


def cache_folder() -> str | None:
    """Where the file lives: `$TENSORLINT_CODE_CACHE`, else the platform's user cache folder."""
    chosen = os.environ.get(ENV, "")
    if chosen.lower() in ("off", "0", "no", "false"):
        return None
    if chosen:
        return chosen
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
        return os.path.join(base, "tensorlint", "Cache")
    if sys.platform == "darwin":
        return os.path.expanduser("~/Library/Caches/tensorlint")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "tensorlint")


def cache_path() -> str | None:
    folder = cache_folder()
    if folder is None:
        return None
    tag = sys.implementation.cache_tag or "python"
    return os.path.join(folder, f"dataclass-code.{tag}.marshal")


def _load(path: str) -> dict:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return {}
    magic = _magic()
    if not data.startswith(magic):
        return {}
    try:
        codes = marshal.loads(data[len(magic):])
    except (ValueError, EOFError, TypeError):
        return {}
    if not isinstance(codes, dict):
        return {}
    code_type = type(_load.__code__)
    return {k: v for k, v in codes.items() if type(k) is str and type(v) is code_type}


def cached_exec(source, globals=None, locals=None, /, **options):  # noqa: A002 (exec's own names)
    """`exec`, with the code compiled from a source text kept for that same text."""
    if type(source) is not str or options:
        return _exec(source, globals, locals, **options)
    codes = _state["codes"]
    code = codes.get(source)
    if code is None:
        code = compile(source, "<string>", "exec", dont_inherit=True)
        codes[source] = code
        _state["new"] += 1
    _state["used"].add(source)
    return _exec(code, globals, locals)


def install() -> None:
    """Give `dataclasses` the caching `exec`, with the codes of earlier runs; once per process."""
    if _state["installed"]:
        return
    path = cache_path()
    if path is None:
        return
    import atexit
    import dataclasses

    _state.update(installed=True, path=path, codes=_load(path))
    dataclasses.exec = cached_exec  # the module's own name for `exec` now comes first
    atexit.register(save)


def save() -> None:
    """Write the codes back when this run compiled a text the file lacked (atomically: a
    concurrent run reads the old file or the new one)."""
    path = _state["path"]
    if not _state["new"] or path is None:
        return
    codes = dict(_state["codes"])  # a copy: another thread may be creating classes meanwhile
    if len(codes) > MAX_ENTRIES:
        codes = {k: v for k, v in codes.items() if k in _state["used"]}
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(_magic() + marshal.dumps(codes))
        os.replace(temporary, path)
        _state["new"] = 0
    except (OSError, ValueError):
        try:
            os.unlink(temporary)
        except OSError:
            pass
