"""Which files `tensorlint check` looks at.

Folders are walked recursively for `*.py` and `*.ipynb`, skipping the usual tool and
environment folders, whatever the configuration excludes and, by default, what `.gitignore`
files ignore. A file named on the command line is checked even if excluded, unless
`--force-exclude` (pre-commit passes every staged file by name).
"""
from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .config import Config

SOURCE_SUFFIXES = (".py", ".pyi", ".ipynb")
SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", "node_modules", "build", "dist", "__pycache__",
    ".tox", ".nox", ".eggs", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".tensorlint_cache",
    ".hypothesis", "site-packages", "__pypackages__",
})


@dataclass(frozen=True)
class Target:
    path: Path  # as it should be opened
    config: Config
    explicit: bool = False  # named on the command line
    # a path that cannot be checked (unreadable folder, symbolic link loop): `error` makes the
    # run incomplete (exit status 2), `warning` is only said; neither is a file to analyze
    error: str | None = None
    warning: str | None = None


def _why(err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "symbolic link loop"
    return err.strerror or str(err)


def _resolve(path: Path) -> tuple[Path | None, str | None]:
    """The absolute path, or why there is none (a symbolic link loop)."""
    try:
        return path.resolve(), None
    except RuntimeError:  # Python < 3.13 says so for a symbolic link loop
        return None, "symbolic link loop"
    except OSError as err:
        return None, _why(err)


# -- .gitignore ----------------------------------------------------------------------------


def _translate(glob: str) -> str:
    """A gitignore glob (without anchoring slashes) as a regular expression."""
    out, i, n = [], 0, len(glob)
    while i < n:
        c = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("/**", i) and i + 3 == n:
            out.append("/.*")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            j = glob.find("]", i + 2)
            if j == -1:
                out.append(re.escape(c))
                i += 1
            else:
                body = glob[i + 1:j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j + 1
        elif c == "\\" and i + 1 < n:
            out.append(re.escape(glob[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern
    negated: bool
    dir_only: bool


def parse_gitignore(text: str) -> list[_Pattern]:
    patterns = []
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if not line or line.startswith("#"):
            continue
        while line.endswith(" ") and not line.endswith("\\ "):
            line = line[:-1]
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        if line.startswith("\\"):
            line = line[1:] if line[1:2] in ("#", "!") else line
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/")
        body = _translate(line)
        regex = re.compile(("" if anchored else "(?:.*/)?") + body + r"\Z", re.S)
        patterns.append(_Pattern(regex, negated, dir_only))
    return patterns


class GitIgnore:
    """The `.gitignore` files that apply below a repository root, read lazily per folder."""

    def __init__(self):
        self._per_dir: dict[Path, list[_Pattern]] = {}
        self._roots: dict[Path, Path | None] = {}

    def _patterns(self, folder: Path) -> list[_Pattern]:
        if folder not in self._per_dir:
            pats: list[_Pattern] = []
            for name in (".gitignore", ".git/info/exclude"):
                try:
                    pats.extend(parse_gitignore((folder / name).read_text(encoding="utf-8", errors="replace")))
                except OSError:
                    pass
            self._per_dir[folder] = pats
        return self._per_dir[folder]

    def _repo_root(self, folder: Path) -> Path | None:
        if folder not in self._roots:
            root = None
            for d in (folder, *folder.parents):
                if (d / ".git").exists():
                    root = d
                    break
            self._roots[folder] = root
        return self._roots[folder]

    def ignored(self, path: Path, is_dir: bool) -> bool:
        """`path` must be absolute. Folders above it are assumed not ignored (the walk prunes them)."""
        root = self._repo_root(path.parent)
        if root is None:
            return False
        verdict = False
        chain = [d for d in (path.parent, *path.parent.parents) if d == root or root in d.parents]
        for base in reversed(chain):  # outermost first; deeper files and later lines win
            rel = path.relative_to(base).as_posix()
            for pat in self._patterns(base):
                if pat.dir_only and not is_dir:
                    continue
                if pat.regex.match(rel):
                    verdict = not pat.negated
        return verdict


# -- the walk ------------------------------------------------------------------------------


def is_source(path: Path) -> bool:
    return path.suffix in SOURCE_SUFFIXES


def discover(
    paths: list[str],
    config_for: Callable[[Path], Config],
    *,
    force_exclude: bool = False,
    respect_gitignore: bool | None = None,
) -> Iterator[Target]:
    """Every file to check under `paths`, each with the configuration that applies to it.

    `respect_gitignore` None: as each file's configuration says.
    """
    ignore = GitIgnore()
    seen: set[Path] = set()

    def gitignored(p: Path, is_dir: bool, config: Config) -> bool:
        use = config.respect_gitignore if respect_gitignore is None else respect_gitignore
        return use and ignore.ignored(p, is_dir)

    for given in paths:
        start = Path(given)
        absolute, problem = _resolve(start)
        if problem is None:
            try:
                os.stat(start)
            except FileNotFoundError:
                pass  # reported as missing when it is read
            except OSError as err:
                problem = _why(err)
        if problem is not None:
            yield Target(start, config_for(start.parent), explicit=True, error=f"cannot check: {problem}")
            continue
        if start.is_file() or (not start.exists() and not start.is_dir()):
            config = config_for(start)
            if force_exclude and (config.is_excluded(str(absolute)) or _in_skipped_dir(absolute)):
                continue
            if absolute not in seen:
                seen.add(absolute)
                yield Target(start, config, explicit=True)
            continue
        stack = [start]
        while stack:
            folder = stack.pop()
            config = config_for(folder)
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
            except OSError as err:
                yield Target(folder, config, error=f"cannot read folder: {_why(err)}")
                continue
            for entry in entries:
                p = Path(folder, entry.name)
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                    is_file = entry.is_file()
                except OSError as err:
                    if is_source(p):
                        yield Target(p, config, error=f"cannot check: {_why(err)}")
                    elif entry.is_symlink():
                        yield Target(p, config, warning=f"not followed: {_why(err)}")
                    continue
                if is_dir:
                    full = Path(entry.path).resolve()
                    if entry.name in SKIPPED_DIRS or config.is_excluded(str(full)) or gitignored(full, True, config):
                        continue
                    stack.append(p)
                elif is_file and is_source(p):
                    full, problem = _resolve(Path(entry.path))
                    if problem is not None:
                        yield Target(p, config, error=f"cannot check: {problem}")
                        continue
                    if full in seen or config.is_excluded(str(full)) or gitignored(full, False, config):
                        continue
                    seen.add(full)
                    yield Target(p, config)
                elif not is_file and not is_dir and is_source(p) and entry.is_symlink():
                    yield Target(p, config, warning="not checked: broken symbolic link")


def _in_skipped_dir(path: Path) -> bool:
    return any(part in SKIPPED_DIRS for part in path.parent.parts)
