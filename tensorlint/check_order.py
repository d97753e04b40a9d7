"""The order the files of one run are analyzed in: importers before the project modules they
import.

A project module that a checked file imports is parsed for that import and its tree is kept
for the run (see tensorlint.project); when the module is itself a checked file, its own check
reads that tree instead of parsing again. That holds only when the importer comes first: a
module checked earlier than its importers would be parsed a second time for the import (its
checked tree is not held for later importers, which would cost more in garbage collections
than the parse). So the files are put in order by what their import lines name, read from the
text without parsing it: each file goes after every checked file that imports it, otherwise in
the order given; files that import each other in a cycle keep the order given among them.

The same scan tells whether a file that names no framework imports a project module that does
(`imports_framework_module`): such a file is analyzed too.

The scan over-approximates (an import line inside a string counts, a submodule reached as an
attribute `pkg.sub` does not): a wrong guess only costs a parse, never a finding.
"""
from __future__ import annotations

import heapq
import os
import re
from typing import Sequence

from . import project

# an import statement at the start of a line (matched there: the lines are found by the word
# `import`, which a plain search finds faster than a pattern tried at every line)
_IMPORT = re.compile(
    r"[ \t]*(?:from(?:[ \t]+|(?=\.))(\.*)[ \t]*([\w.]*)[ \t]+import[ \t]*(\([^)]*\)|[^\n;#]*)"
    r"|import[ \t]+([^\n;#]*))")


def importers_first(files: Sequence[tuple[str, str | None, tuple] | None]) -> list[int]:
    """The indices of `files` in the order to analyze them. Each entry is (path, text, source
    roots), where a text of None is read from the file; an entry of None imports nothing that
    is followed (a notebook, a file whose configuration does not follow imports)."""
    where: dict = {}
    for i, entry in enumerate(files):
        if entry is not None:
            where.setdefault(_key(entry[0]), i)
    importers: list = [set() for _ in files]  # index -> indices of checked files importing it
    scanned: dict = {}  # unchecked module -> what it imports (read once)
    found: dict = {}  # (module, level, folder, roots) -> its file: files of a folder import alike
    for i, entry in enumerate(files):
        if entry is None:
            continue
        path, text, roots = entry
        if text is None:
            text = _read(path)
        for target in _reached(path, text or "", roots, where, scanned, found):
            j = where.get(target)
            if j is not None and j != i:
                importers[j].add(i)
    return _ordered(importers)


def _reached(path: str, text: str, roots: tuple, checked: dict, scanned: dict, found: dict) -> set:
    """The modules whose trees the analysis of `path` may read: those it imports, and those
    that an imported module which is not checked itself imports (a checked one's imports are
    its own edges); `project.MAX_DEPTH` levels in all."""
    direct = imported(path, text, roots, found)
    out = set(direct)
    if project.MAX_DEPTH > 1:
        for module in direct:
            if module not in checked:
                if module not in scanned:
                    scanned[module] = imported(module, _read(module, project.MAX_BYTES) or "", roots, found)
                out |= scanned[module]
    return out


def imported(path: str, text: str, roots: tuple = (), found: dict | None = None) -> set:
    """The project modules (absolute paths) that the import lines of `text`, the source of the
    file `path`, name. `found` keeps where modules were found, for the next file."""
    out: set = set()
    folder, me, found = os.path.dirname(_key(path)), _key(path), {} if found is None else found

    def find(name: str, level: int) -> str | None:
        key = (name, level, folder, roots)
        if key not in found:
            hit = project.find_module(name, level, path, roots)
            found[key] = _key(hit) if hit is not None else None
        return found[key] if found[key] != me else None  # the file itself: not followed

    for dots, module, names, plain in _statements(text):
        if plain:  # `import a.b.c as d, e`: a, a.b and a.b.c, as far as they are project modules
            for name in _names(plain):
                parts = name.split(".")
                for k in range(1, len(parts) + 1):
                    module = find(".".join(parts[:k]), 0)
                    if module is None:
                        break
                    out.add(module)
            continue
        if not dots and not module:
            continue
        module = find(module, len(dots))
        if module is None:
            continue
        out.add(module)
        for name in _names(names.strip().strip("()")):  # `from pkg import sub`: the submodule
            key = (module, name)
            if key not in found:
                sub = project.submodule(module, name)
                found[key] = _key(sub) if sub is not None else None
            if found[key] is not None:
                out.add(found[key])
    return out


def imports_framework_module(text: str, importer: str, roots: tuple = ()) -> bool:
    """Whether `text`, the file `importer`, imports a module of its own project that names a
    deep-learning framework (`from .base import functional as F`, where functional.py is written
    against Keras): the file names no framework itself, yet the functions and classes it calls
    and subclasses are a model's. A package's `__init__.py` that names none is looked through
    once, for the modules it re-exports."""
    if not importer or importer.startswith("<") or not os.path.isfile(importer):
        return False
    for module in imported(importer, text, roots):
        head = project.current_text(module)
        if project.FRAMEWORK_MARKERS.search(head):
            return True
        if os.path.basename(module) == "__init__.py" and any(
                project.FRAMEWORK_MARKERS.search(project.current_text(m)) for m in imported(module, head, roots)):
            return True
    return False


def _statements(text: str):
    """(dots, module, names, plain) of each import statement that starts a line: `from dots
    module import names`, or `import plain`."""
    at = text.find("import")
    while at != -1:
        line = text.rfind("\n", 0, at) + 1
        found = _IMPORT.match(text, line)
        if found is not None and found.end() > at:
            yield found.groups(default="")
            at = text.find("import", found.end())
        else:
            at = text.find("import", at + 6)


def _names(listed: str) -> list:
    """The imported names of `a as b, c`, without their aliases (`*` left out)."""
    out = []
    for part in listed.split(","):
        words = part.split()
        if words and words[0] != "*" and words[0].replace(".", "").isidentifier():
            out.append(words[0])
    return out


def _ordered(importers: list) -> list:
    """Every index after the indices that import it (given first, lowest first), the lowest
    ready one next; in a cycle, the lowest index left goes first."""
    waiting = [len(s) for s in importers]
    imports: list = [[] for _ in importers]
    for j, found in enumerate(importers):
        for i in found:
            imports[i].append(j)
    ready = [j for j, n in enumerate(waiting) if n == 0]
    heapq.heapify(ready)
    done = [False] * len(importers)
    out: list = []
    left = 0  # the lowest index that may still be waiting
    while len(out) < len(importers):
        if ready:
            j = heapq.heappop(ready)
            if done[j]:
                continue
        else:  # a cycle: its lowest index first
            while done[left]:
                left += 1
            j = left
        done[j] = True
        out.append(j)
        for k in imports[j]:
            waiting[k] -= 1
            if waiting[k] == 0 and not done[k]:
                heapq.heappush(ready, k)
    return out


def _key(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


def _read(path: str, limit: int | None = None) -> str | None:
    try:
        if limit is not None and os.path.getsize(path) > limit:
            return None
        with open(path, "rb") as f:
            return f.read().decode("utf-8", errors="replace")
    except OSError:
        return None
