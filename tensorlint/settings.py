"""Find, read and check the configuration, and turn it into a `Config`.

The closest `tensorlint.toml` or `pyproject.toml` with a `[tool.tensorlint]` table, walking
up from a checked path, applies to it (a `tensorlint.toml` wins over a `pyproject.toml` in the
same folder; a `pyproject.toml` without the table is passed over). `--config PATH` uses one
file for everything, `--isolated` none. Every key and value is checked; a bad one raises
`ConfigError` with a one-line message that names it.
"""
from __future__ import annotations

import pkgutil
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping

from .config import DEFAULT, Config, ConfigError
from .findings import Severity

CONFIG_FILES = ("tensorlint.toml", "pyproject.toml")
SELECTOR = re.compile(r"^(?:ALL|TL[0-9]{0,3})$")


def check_selector(value: str, where: str) -> str:
    sel = value.strip().upper()
    if not SELECTOR.match(sel):
        raise ConfigError(f"{where}: '{value}' is not a rule code, a code prefix (TL1, TL20) or ALL")
    if sel != "ALL" and not any(code.startswith(sel) for code in known_codes()):
        raise ConfigError(f"{where}: '{value}' names no rule; `tensorlint rule --all` lists them")
    return sel


@lru_cache(maxsize=None)
def known_codes() -> frozenset[str]:
    """The codes of the rules, from their module names (tl201_channel_mismatch.py is TL201):
    nothing is imported, so checking a configuration stays quick."""
    from . import rules

    names = (info.name for info in pkgutil.iter_modules(rules.__path__))
    return frozenset(m.group(1).upper() for m in map(_RULE_MODULE.match, names) if m)


_RULE_MODULE = re.compile(r"(tl[0-9]{3})_")


def _each(items, check) -> tuple:
    """`check` on every item; every item's problem is reported, not only the first."""
    out, problems = [], []
    for item in items:
        try:
            out.append(check(item))
        except ConfigError as err:
            problems.extend(err.problems)
    if problems:
        raise ConfigError.of(problems)
    return tuple(out)


# -- one validator per kind of value -------------------------------------------------------


def _codes(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of rule codes, for example [\"TL1\", \"TL201\"]")
    return _each(value, lambda v: check_selector(v, where))


def _globs(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where} must be a list of glob patterns, for example [\"legacy/\", \"*_pb2.py\"]")
    return tuple(v.strip() for v in value)


def _per_file_ignores(value: Any, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table of glob = [codes], for example \"tests/*\" = [\"TL2\"]")
    return _each(value.items(), lambda kv: (kv[0], _codes(kv[1], f"{where}.\"{kv[0]}\"")))


def _severity(value: Any, where: str) -> tuple[tuple[str, Severity], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table of code = \"error\" | \"warning\" | \"info\"")

    def entry(item):
        code, level = item
        problems = []
        try:
            sel = check_selector(code, f"{where}.{code}")
        except ConfigError as err:
            problems += err.problems
        try:
            sev = Severity.parse(level if isinstance(level, str) else "")
        except ValueError:
            problems.append(f"{where}.{code}: '{level}' is not one of error, warning, info")
        if problems:
            raise ConfigError.of(problems)
        return sel, sev

    return _each(value.items(), entry)


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where} must be a non-empty string")
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where} must be true or false")
    return value


def _folders(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where} must be a list of folders, for example [\"src\", \"lib\"]")
    return tuple(v.strip() for v in value)


def _version(value: Any, where: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\.(\d+)(?:\.\d+)?\s*", value) if isinstance(value, str) else None
    if not m:
        raise ConfigError(f"{where} must be a version string such as \"2.6\"")
    return int(m.group(1)), int(m.group(2))


def _shapecheck(value: Any, where: str) -> Mapping[str, Any]:
    """The runtime check's table, checked as the runtime check reads it."""
    from .runtime.settings import read_table

    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table")
    errors = read_table(value, None, where)["errors"]
    if errors:
        raise ConfigError.of(errors)
    return value


# key in the file -> (Config field, validator)
KEYS: dict[str, tuple[str, Callable[[Any, str], Any]]] = {
    "select": ("select", _codes),
    "ignore": ("ignore", _codes),
    "extend-select": ("extend_select", _codes),
    "per-file-ignores": ("per_file_ignores", _per_file_ignores),
    "severity": ("severity", _severity),
    "exclude": ("exclude", _globs),
    "extend-exclude": ("extend_exclude", _globs),
    "cache-dir": ("cache_dir", _string),
    "target-torch-version": ("target_torch_version", _version),
    "respect-gitignore": ("respect_gitignore", _bool),
    "shapecheck": ("shapecheck", _shapecheck),
    "follow-imports": ("follow_imports", _bool),
    "src": ("src", _folders),
}


def parse_table(table: Mapping[str, Any], prefix: str = "tool.tensorlint") -> dict[str, Any]:
    """Check every key and value of a configuration table; return Config field values.
    Raises one ConfigError that lists every problem."""
    fields: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in table.items():
        if key not in KEYS:
            import difflib  # only to name the key that was meant

            close = difflib.get_close_matches(key.replace("_", "-"), KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            known = ", ".join(KEYS)
            problems.append(f"unknown key '{key}' in [{prefix}]{hint}; known keys: {known}")
            continue
        name, check = KEYS[key]
        try:
            fields[name] = check(value, f"{prefix}.{key}" if key != "shapecheck" else f"[{prefix}.shapecheck]")
        except ConfigError as err:
            problems.extend(err.problems)
    if problems:
        raise ConfigError.of(problems)
    return fields


def _toml():
    """The TOML reader, imported when a configuration file is read (most runs have none to read)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    return tomllib


def read_file(path: Path) -> Config | None:
    """The configuration in `path`, or None for a pyproject.toml without `[tool.tensorlint]`."""
    tomllib = _toml()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigError(f"cannot read {path}: {err.strerror or err}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("tensorlint") if isinstance(tool, dict) else None
        if table is None:
            return None
        prefix = "tool.tensorlint"
    else:
        table, prefix = data, path.name  # keys at the top level, as in ruff.toml
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{prefix}] must be a table")
    try:
        fields = parse_table(table, prefix)
    except ConfigError as err:
        raise ConfigError.of([f"{path}: {p}" for p in err.problems]) from None
    return Config(root=str(path.parent.resolve()), source=str(path.resolve()), **fields)


@dataclass
class Overrides:
    """Command-line choices that apply on top of every configuration file."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    cache_dir: str | None = None
    respect_gitignore: bool | None = None

    def apply(self, config: Config) -> Config:
        changes: dict[str, Any] = {}
        if self.select is not None:
            # a selection on the command line replaces the file's whole selection (as in ruff)
            changes.update(select=self.select, ignore=self.ignore, extend_select=self.extend_select)
        elif self.ignore or self.extend_select:
            ignore = tuple(i for i in config.ignore if i not in self.extend_select) + self.ignore
            changes.update(ignore=ignore, extend_select=config.extend_select + self.extend_select)
        if self.exclude is not None:
            changes["exclude"] = self.exclude
        if self.extend_exclude:
            changes["extend_exclude"] = config.extend_exclude + self.extend_exclude
        if self.cache_dir is not None:
            changes["cache_dir"] = self.cache_dir
        if self.respect_gitignore is not None:
            changes["respect_gitignore"] = self.respect_gitignore
        return config.with_overrides(**changes) if changes else config


class Resolver:
    """Answers "which configuration applies to this path", reading each file once."""

    def __init__(self, *, config_file: str | None = None, isolated: bool = False,
                 overrides: Overrides | None = None, cwd: Path | None = None):
        self.cwd = (cwd or Path.cwd()).resolve()
        self.overrides = overrides or Overrides()
        self._by_dir: dict[Path, Config] = {}
        self._fixed: Config | None = None
        if isolated:
            self._fixed = self._finish(DEFAULT.with_overrides(root=str(self.cwd)))
        elif config_file is not None:
            path = Path(config_file)
            if not path.is_file():
                raise ConfigError(f"--config: no such file: {config_file}")
            found = read_file(path)
            if found is None:
                raise ConfigError(f"--config: {config_file} has no [tool.tensorlint] table")
            self._fixed = self._finish(found)

    def _finish(self, config: Config) -> Config:
        return self.overrides.apply(config)

    def for_path(self, path: str | Path) -> Config:
        if self._fixed is not None:
            return self._fixed
        p = Path(path)
        folder = (p if p.is_dir() else p.parent)
        folder = (self.cwd / folder).resolve() if not folder.is_absolute() else folder.resolve()
        return self._for_dir(folder)

    def _for_dir(self, folder: Path) -> Config:
        seen: list[Path] = []
        current: Path | None = folder
        found: Config | None = None
        while current is not None:
            if current in self._by_dir:
                found = self._by_dir[current]
                break
            seen.append(current)
            for name in CONFIG_FILES:
                candidate = current / name
                if _is_file(candidate):
                    found = read_file(candidate)
                    if found is not None:
                        found = self._finish(found)
                        break
            if found is not None:
                break
            current = current.parent if current.parent != current else None
        if found is None:
            found = self._finish(DEFAULT.with_overrides(root=str(self.cwd)))
        for d in seen:
            self._by_dir[d] = found
        return found


def _is_file(path: Path) -> bool:
    """Whether `path` is a file; a folder that cannot be read has none (the walk reports it)."""
    try:
        return path.is_file()
    except OSError:
        return False


def load_config(path: str | Path | None = None, *, config_file: str | None = None, isolated: bool = False) -> Config:
    """The configuration for one file or folder (the language server and the runtime check use this)."""
    return Resolver(config_file=config_file, isolated=isolated).for_path(path or Path.cwd())


def cache_dir_for(config: Config, cwd: Path) -> Path:
    base = Path(config.root) if config.root else cwd
    return (base / (config.cache_dir or ".tensorlint_cache")).resolve()
