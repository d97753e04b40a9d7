"""Results cache for `tensorlint check`.

One JSON file per effective configuration under `<cache-dir>/<version>/`, mapping each
checked file's absolute path to the hash of its content and its findings. A result is reused
only when the content hash, the tensorlint version, the source of the installed engine and
rules (their files' sizes and modification times) and the configuration all match.
Writes go to a temporary file that replaces the old one, so a reader never sees half a file.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .config import Config
from .findings import Applicability, Edit, Finding, Fix, Position, Related, Severity, Span

CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# tensorlint results cache\n"
# configuration fields that do not change what a file's analysis finds
_NOT_IN_KEY = {"cache_dir", "respect_gitignore", "exclude", "extend_exclude"}


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """Changes whenever a source file of tensorlint or its rules changes."""
    import tensorlint
    from tensorlint import rules

    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    for base in sorted({Path(tensorlint.__file__).parent, Path(rules.__file__).parent}):
        for folder, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    st = os.stat(os.path.join(folder, name))
                    h.update(f"{folder}/{name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()


def config_key(config: Config) -> str:
    parts = [
        (f.name, repr(getattr(config, f.name)))
        for f in dataclasses.fields(config)
        if f.compare and f.name not in _NOT_IN_KEY
    ]
    return hashlib.blake2b(repr((engine_fingerprint(), parts)).encode(), digest_size=12).hexdigest()


# -- findings as JSON ----------------------------------------------------------------------


def _span(s: Span) -> list[int]:
    return [s.start.line, s.start.column, s.end.line, s.end.column]


def _unspan(v: list[int]) -> Span:
    return Span(Position(v[0], v[1]), Position(v[2], v[3]))


def finding_to_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {"code": f.code, "name": f.name, "message": f.message, "severity": f.severity.value,
                           "span": _span(f.span), "url": f.url}
    if f.fix is not None:
        out["fix"] = {"message": f.fix.message, "applicability": f.fix.applicability.value,
                      "edits": [[_span(e.span), e.content] for e in f.fix.edits]}
    if f.related:
        out["related"] = [[_span(r.span), r.message] for r in f.related]
    if f.unnecessary:
        out["unnecessary"] = True
    return out


def finding_from_dict(d: dict[str, Any]) -> Finding:
    fix = None
    if "fix" in d:
        fx = d["fix"]
        fix = Fix(fx["message"], tuple(Edit(_unspan(s), c) for s, c in fx["edits"]), Applicability(fx["applicability"]))
    return Finding(
        code=d["code"], name=d["name"], message=d["message"], severity=Severity(d["severity"]),
        span=_unspan(d["span"]), fix=fix, related=tuple(Related(_unspan(s), m) for s, m in d.get("related", ())),
        unnecessary=d.get("unnecessary", False), url=d.get("url", ""),
    )


# -- the cache -----------------------------------------------------------------------------


class Cache:
    def __init__(self, folder: Path, config: Config):
        self.folder = folder
        self.file = folder / __version__ / f"{config_key(config)}.json"
        self.entries: dict[str, list] = {}
        self.changed = False
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                self.entries = data
        except (OSError, ValueError):
            pass

    def get(self, path: str, digest: str) -> list[Finding] | None:
        entry = self.entries.get(path)
        if not entry or entry[0] != digest:
            return None
        if len(entry) > 2 and not _unchanged(entry[2]):
            return None  # a project module it imports changed
        try:
            return [finding_from_dict(d) for d in entry[1]]
        except (KeyError, TypeError, ValueError, IndexError):
            return None

    def put(self, path: str, digest: str, findings: list[Finding], dependencies=()) -> None:
        entry = [digest, [finding_to_dict(f) for f in findings]]
        if dependencies:
            entry.append([[p, *_stamp(p)] for p in dependencies])
        self.entries[path] = entry
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        import tempfile  # (as shutil: only where a cache is written or removed)

        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            _mark(self.folder)
            fd, tmp = tempfile.mkstemp(dir=self.file.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(self.entries, out, separators=(",", ":"))
            os.replace(tmp, self.file)
        except OSError:
            pass  # a read-only tree: run without a cache


def _stamp(path: str) -> list:
    try:
        st = os.stat(path)
    except OSError:
        return [None, None]
    return [st.st_size, st.st_mtime_ns]


def _unchanged(dependencies) -> bool:
    try:
        return all(_stamp(p) == [size, mtime] for p, size, mtime in dependencies)
    except (TypeError, ValueError):
        return False


def _mark(folder: Path) -> None:
    for name, text in ((".gitignore", "# written by tensorlint\n*\n"), ("CACHEDIR.TAG", CACHEDIR_TAG)):
        target = folder / name
        if not target.exists():
            target.write_text(text, encoding="utf-8")


def clean(folder: Path) -> bool:
    """Remove a cache folder; True if there was one."""
    if folder.is_dir() and (folder / "CACHEDIR.TAG").exists() or folder.name == ".tensorlint_cache" and folder.is_dir():
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        return True
    return False
