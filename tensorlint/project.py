"""Project modules: where `from model import Net` comes from, and that module's syntax tree.

An import of a module that is a file of the project (next to the checked file, in its package,
or under a configured source root) is followed: the interpreter reads the imported definition
from the module's tree instead of treating the name as unknown. Nothing is imported or run.

Following is lazy and bounded, because a library's files import their siblings everywhere:
- an import only records where the module is (a folder listing, cached by the folder's mtime);
- the module is parsed when an imported name is used in a way the analysis needs (called,
  instantiated, a base of a class that is instantiated, handed to a framework call), at most
  once per run while its file is unchanged (size and mtime, or the text an editor holds), and
  not at all when it names no deep-learning framework or is larger than `MAX_BYTES`;
- functions nobody calls (run with unknown arguments: a library's methods) read only modules
  that the program's own run read;
- modules imported by an imported module are followed `MAX_DEPTH` levels deep at most, and one
  analysis reads at most `MAX_MODULES` modules, of which the modules the checked file imports
  itself keep their places (a model's layer modules cannot use up the place of its training loop).
"""
from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

MAX_DEPTH = 2  # train.py -> model.py -> layers.py
MAX_MODULES = 8  # modules one analysis may parse
MAX_BYTES = 64_000  # about 1,600 lines: a project's model file is smaller; a library's core module is not
FRAMEWORK_MARKERS = re.compile(r"\b(?:torch|tensorflow|keras)\b")
_BRACKETS = re.compile(r"[()\[\]{}]")
# top-level packages that are libraries, never project modules (a checked library file's
# package root would otherwise make `import torch` resolve to the library's own sources)
LIBRARIES = frozenset((
    "torch", "torchvision", "torchaudio", "torchtext", "tensorflow", "keras", "tf_keras", "numpy", "jax",
    "flax", "transformers", "lightning", "pytorch_lightning", "sklearn", "scipy", "pandas", "matplotlib",
    "os", "sys", "re", "math", "json", "random", "time", "typing", "collections", "functools", "itertools",
    "pathlib", "logging", "argparse", "dataclasses", "abc", "copy", "warnings", "tqdm", "PIL", "cv2",
))


@dataclass
class Module:
    """A project module's tree (None when it is not followed: `why` says why)."""

    path: str
    text: str
    tree: object | None
    why: str | None = None
    memo: dict = field(default_factory=dict)  # positions, computed when a finding needs them

    def line_of(self, node) -> int | None:
        positions = self.memo.get("positions")
        if positions is None:
            from libcst.metadata import MetadataWrapper, PositionProvider

            try:
                positions = MetadataWrapper(self.tree, unsafe_skip_copy=True).resolve(PositionProvider)
            except Exception:  # too deep to walk: no line to name
                positions = {}
            self.memo["positions"] = positions
        rng = positions.get(node)
        return rng.start.line if rng is not None else None


# -- where a module is -----------------------------------------------------------------------

_listings: dict = {}  # folder -> (mtime_ns, frozenset of entries)
_lock = threading.Lock()


def _entries(folder: str) -> frozenset:
    try:
        stamp = os.stat(folder).st_mtime_ns
    except OSError:
        return frozenset()
    cached = _listings.get(folder)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        names = frozenset(os.listdir(folder))
    except OSError:
        names = frozenset()
    _listings[folder] = (stamp, names)
    return names


def _in(base: str, parts: list) -> str | None:
    """The file of the module `parts` under the folder `base`: a.py or a/__init__.py."""
    folder = base
    for part in parts[:-1]:
        if part not in _entries(folder):
            return None
        folder = os.path.join(folder, part)
    last = parts[-1]
    names = _entries(folder)
    if last + ".py" in names:
        return os.path.join(folder, last + ".py")
    if last in names and "__init__.py" in _entries(os.path.join(folder, last)):
        return os.path.join(folder, last, "__init__.py")
    return None


def search_folders(importer: str, roots: tuple = ()) -> list:
    """Where absolute imports of the file `importer` are looked for: its folder, the folder
    above its package (walking up through `__init__.py`), and the configured source roots."""
    folder = os.path.dirname(os.path.abspath(importer))
    out = [folder]
    top = folder
    while "__init__.py" in _entries(top):
        parent = os.path.dirname(top)
        if parent == top:
            break
        top = parent
    if top != folder:
        out.append(top)
    for r in roots:
        if r not in out:
            out.append(r)
    return out


def source_roots(config) -> tuple:
    """The configured `src` folders, absolute (relative ones are taken from the config's root),
    then the folder of the configuration file itself (the project's root, as ruff's `src`
    defaults to it), when there is one."""
    base = config.root or os.getcwd()
    roots = tuple(os.path.normpath(os.path.join(base, s)) for s in config.src)
    return roots + (os.path.normpath(config.root),) if config.source and config.root else roots


def find_module(name: str, level: int, importer: str, roots: tuple = ()) -> str | None:
    """The project file of the module `name` imported from `importer` (`level` leading dots),
    or None (a library, the standard library, or not found)."""
    parts = [p for p in name.split(".") if p] if name else []
    if level:
        base = os.path.dirname(os.path.abspath(importer))
        for _ in range(level - 1):
            base = os.path.dirname(base)
        if not parts:
            return os.path.join(base, "__init__.py") if "__init__.py" in _entries(base) else None
        found = _in(base, parts)
    else:
        if not parts or parts[0] in LIBRARIES:
            return None
        found = None
        for base in search_folders(importer, roots):
            found = _in(base, parts)
            if found:
                break
        if found is None and len(parts) > 1:
            found = _in_named_folder(importer, parts)
    if found is None or os.path.abspath(found) == os.path.abspath(importer):
        return None
    return found


def _in_named_folder(importer: str, parts: list, levels: int = 3) -> str | None:
    """`from utils.ops import f` in a file of a folder `utils` that has no `__init__.py` (a
    namespace package): the program runs from the folder above it, where `utils.ops` is the
    sibling module `ops.py`. Only a folder among the importer's nearest ancestors that bears the
    import's first name is taken."""
    folder = os.path.dirname(os.path.abspath(importer))
    for _ in range(levels):
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        if os.path.basename(folder) == parts[0]:
            return _in(parent, parts)
        folder = parent
    return None


def submodule(package_file: str, name: str) -> str | None:
    """`from pkg import sub` where `sub` is a module of the package `pkg` (its __init__.py)."""
    if os.path.basename(package_file) != "__init__.py":
        return None
    return _in(os.path.dirname(package_file), [name])


def current_text(path: str) -> str:
    """What an importer sees of `path`: the editor's text, or the file's first MAX_BYTES ("" when
    it cannot be read)."""
    text = _overlay.get(os.path.abspath(path))
    if text is not None:
        return text
    try:
        with open(path, "rb") as f:
            return f.read(MAX_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""


# -- its tree, once per run ---------------------------------------------------------------------

# The trees of imported modules are kept for the rest of the run, so that every later importer
# reads the same tree: least recently used dropped first only past KEEP of them or KEEP_BYTES of
# their source. A libcst tree takes about 45 bytes of memory per character of its source: the
# budget bounds them to about 90 MB, which holds what a check of thousands of library files
# reads (the engine benchmark's 1,092 files: 30 modules, 0.66 MB) or the modules of any one
# project. The trees of checked files are not kept for a file checked later that imports them:
# holding them costs more in garbage collections than parsing such a module again (the engine
# benchmark's analysis 8 % slower with the last 400 kB of checked source held): a run checks
# importers first instead (tensorlint.check_order), so that a checked module's tree is the one
# its importers' analyses parsed and kept here.
KEEP = 1_024
KEEP_BYTES = 2_000_000
_trees: OrderedDict = OrderedDict()  # path -> (stamp, Module): modules an analysis imported
_overlay: dict = {}  # path -> text an editor holds (unsaved edits win over the file)


def set_overlay(path: str, text: str | None) -> None:
    """The language server's open documents: their text is what an importer sees."""
    with _lock:
        if text is None:
            _overlay.pop(os.path.abspath(path), None)
        else:
            _overlay[os.path.abspath(path)] = text


def stamp_of(path: str):
    """What identifies the module's current content: the editor's text, or size and mtime."""
    text = _overlay.get(os.path.abspath(path))
    if text is not None:
        return ("text", hash(text))
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def load(path: str) -> Module | None:
    """The module's tree, parsed at most once while its content is unchanged; None when the
    file cannot be read."""
    path = os.path.abspath(path)
    stamp = stamp_of(path)
    if stamp is None:
        return None
    with _lock:
        hit = _trees.get(path)
        if hit is not None and hit[0] == stamp:
            _trees.move_to_end(path)
            return hit[1]
    text = _overlay.get(path)
    if text is not None:
        module = parse(path, text)
        if module.why == "does not parse" and hit is not None and hit[1].tree is not None:
            module = hit[1]  # half-typed in the editor: its last version that parsed stands
        return _keep(path, stamp, module)
    if stamp[0] > MAX_BYTES:
        return _keep(path, stamp, Module(path, "", None, "too large"))
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", errors="replace")
    except OSError:
        return None
    return _keep(path, stamp, parse(path, text))


def parse(path: str, text: str) -> Module:
    why = _unread(path, text)
    if why is not None:
        return Module(path, "", None, why)
    from .cstparse import parse_module

    try:
        tree = parse_module(text)
    except Exception:  # a syntax error (or a tree libcst refuses): its names stay unknown
        return Module(path, "", None, "does not parse")
    return Module(path, text, tree)


def _unread(path: str, text: str) -> str | None:
    """Why an imported module of this text is not parsed, or None when it is."""
    if len(text) > MAX_BYTES:
        return "too large"
    if not FRAMEWORK_MARKERS.search(text) and not _reexports(path, text):
        return "no deep-learning framework"
    if not _ordinary(text):
        return "nested too deeply or pasted data"
    return None


def _reexports(path: str, text: str) -> bool:
    """A package's `__init__.py` that imports names from its modules (`from .model import Net`):
    it names no framework itself, but what it re-exports may."""
    return os.path.basename(path) == "__init__.py" and "import" in text


def _ordinary(text: str) -> bool:
    """No line of pasted data, no chain of hundreds of `elif`s, no brackets nested near
    Python's limit: shapes the engine parses piece by piece for a checked file (see
    tensorlint.engine), which an imported module is not worth."""
    if text.count("elif") > 500 or max(map(len, text.split("\n"))) > 5_000:
        return False
    depth = best = 0
    for ch in _BRACKETS.findall(text):
        if ch in "([{":
            depth += 1
            best = max(best, depth)
        else:
            depth -= 1
    return best < 100


def _keep(path: str, stamp, module: Module) -> Module:
    with _lock:
        _trees[path] = (stamp, module)
        _trees.move_to_end(path)
        _trim(_trees, KEEP_BYTES)
    return module


def _trim(kept: OrderedDict, budget: int) -> None:
    """The least recently used entries of `kept` dropped until at most KEEP of them hold at most
    `budget` characters of source (the newest stays, whatever its size). Under the lock."""
    held = sum(len(m.text) for _, m in kept.values())
    while len(kept) > KEEP or held > budget and len(kept) > 1:
        held -= len(kept.popitem(last=False)[1][1].text)


def cached_tree(path: str, text: str):
    """A tree parsed earlier (as an imported module) for exactly this text, or None."""
    path = os.path.abspath(path)
    with _lock:
        hit = _trees.get(path)
    if hit is None or hit[1].tree is None or hit[1].text != text:
        return None
    return hit[1].tree
