"""Effective configuration: which rules run, at which severity, with which options.

`Config` is what the engine reads. Loading it from `[tool.tensorlint]` in pyproject.toml or
`tensorlint.toml`, and overriding it from command-line flags or editor settings, happens in
`tensorlint.settings`; this module only holds the values and answers "is this code enabled
for this path".
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any, Mapping

from .findings import Severity


class ConfigError(ValueError):
    """Configuration keys or values that cannot be used: `problems` holds one line for each,
    naming it (the message joins them)."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = list(problems) if problems else [message]
        super().__init__(message)

    @classmethod
    def of(cls, problems: list[str]) -> "ConfigError":
        return cls("; ".join(problems), problems)


DOCS_BASE = "https://tensorlint.dev/rules/"


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] | None = None  # None: the default-enabled rules
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()  # code or prefix -> severity override
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    target_torch_version: tuple[int, int] = (2, 6)
    docs_base: str = DOCS_BASE
    root: str | None = None  # folder the per-file globs are relative to
    # Project modules: `from model import Net` is followed into the project's model.py.
    follow_imports: bool = True
    src: tuple[str, ...] = ()  # extra folders imports are resolved from (relative to `root`)
    # Front-end settings (tensorlint.settings fills them; the engine ignores them).
    cache_dir: str | None = None  # None: `.tensorlint_cache` in `root` (or the working folder)
    respect_gitignore: bool = True
    source: str | None = field(default=None, compare=False)  # the file this was loaded from
    # `[tool.tensorlint.shapecheck]`, passed through untouched for the runtime check.
    shapecheck: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def with_overrides(self, **changes) -> "Config":
        return replace(self, **changes)

    # -- selection -------------------------------------------------------------------------

    def is_enabled(self, code: str, default_enabled: bool, path: str | None = None) -> bool:
        """Whether the rule `code` runs, ruff-style: the most specific selector wins."""
        chosen = self._selected(code, default_enabled)
        if not chosen:
            return False
        if path is not None:
            for pattern, codes in self.per_file_ignores:
                if _path_matches(path, pattern, self.root) and any(_matches(code, c) for c in codes):
                    return False
        return True

    def _selected(self, code: str, default_enabled: bool) -> bool:
        best_len = -1
        result = False
        if self.select is None:
            result = default_enabled
        else:
            for sel in self.select:
                if _matches(code, sel):
                    spec = _specificity(sel)
                    if spec > best_len:
                        best_len, result = spec, True
        for sel in self.extend_select:
            if _matches(code, sel) and _specificity(sel) >= best_len:
                best_len, result = _specificity(sel), True
        for ign in self.ignore:
            if _matches(code, ign) and _specificity(ign) >= best_len:
                best_len, result = _specificity(ign), False
        return result

    def severity_for(self, code: str, default: Severity) -> Severity:
        best, found = -1, default
        for sel, sev in self.severity:
            if _matches(code, sel) and _specificity(sel) > best:
                best, found = _specificity(sel), sev
        return found

    def is_excluded(self, path: str) -> bool:
        return any(_path_matches(path, pat, self.root) for pat in (*self.exclude, *self.extend_exclude))


def _specificity(selector: str) -> int:
    return 0 if selector.upper() == "ALL" else len(selector)


def _matches(code: str, selector: str) -> bool:
    sel = selector.strip().upper()
    return sel == "ALL" or code.upper().startswith(sel)


def _path_matches(path: str, pattern: str, root: str | None) -> bool:
    p = PurePath(path)
    candidates = [p.as_posix(), p.name]
    if root:
        try:
            candidates.append(p.relative_to(root).as_posix())
        except ValueError:
            pass
    pat = pattern.rstrip("/")
    for cand in candidates:
        if fnmatch.fnmatchcase(cand, pat) or fnmatch.fnmatchcase(cand, pat + "/*") or fnmatch.fnmatchcase(cand, "*/" + pat) or fnmatch.fnmatchcase(cand, "*/" + pat + "/*"):
            return True
    # a bare folder name excludes everything below it
    return pat in p.parts


DEFAULT = Config()
