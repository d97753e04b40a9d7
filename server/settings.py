"""The server's settings: from `initializationOptions` and `workspace/didChangeConfiguration`,
merged over the project's configuration (`[tool.tensorlint]` in pyproject.toml or
`tensorlint.toml`, found from each document upward, as `tensorlint check` finds it).

Editor settings (camelCase, as VS Code sends them), all optional:

    select, ignore, extendSelect   lists of codes or prefixes ("TL1", "TL101", "ALL")
    severity                       {"TL2": "warning", "TL101": "info"}
    lintOnChange                   bool, default true
    debounce                       milliseconds, default 200
    showSyntaxErrors               bool, default false
    docsBase                       base URL of the rule documentation
    inlayHints.enabled             bool, default true (also {"inlayHints": {"enabled": ...}})
    shapeCheck.device              auto | cuda | cpu | meta: the device of the shape check command
                                   (auto: pyproject.toml's, else cuda when available, else cpu)

`trusted: false` in initializationOptions (beside or inside the `tensorlint` section) tells the
server that the workspace is untrusted: the shape check, which runs the file, is then refused.
Only the initialization can say so; a client that grants trust later restarts the server.

A bad value is reported (the message names the key) and that key keeps its default.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from tensorlint import settings as project_settings
from tensorlint.config import DEFAULT, Config, ConfigError
from tensorlint.findings import Severity


@dataclass(frozen=True)
class ServerSettings:
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    lint_on_change: bool = True
    debounce_ms: int = 200
    show_syntax_errors: bool = False
    docs_base: str | None = None
    inlay_hints: bool = True
    shape_check_device: str | None = None

    @property
    def debounce(self) -> float:
        return self.debounce_ms / 1000.0


# -- validators: the project file's own for the keys it shares; ConfigError names the key ------

_project = project_settings.KEYS


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where} must be true or false")
    return value


def _milliseconds(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 60_000:
        raise ConfigError(f"{where} must be a number of milliseconds between 0 and 60000")
    return int(value)


def _url(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where} must be a URL")
    return value.strip()


def _device(value: Any, where: str) -> str:
    from tensorlint.runtime import DEVICES  # (the runtime check's modules: only for this setting)

    if value not in DEVICES:
        raise ConfigError(f"{where} must be one of {', '.join(DEVICES)}")
    return value


# editor key -> (ServerSettings field, validator)
EDITOR_KEYS: dict[str, tuple[str, Callable[[Any, str], Any]]] = {
    "select": ("select", _project["select"][1]),
    "ignore": ("ignore", _project["ignore"][1]),
    "extendSelect": ("extend_select", _project["extend-select"][1]),
    "severity": ("severity", _project["severity"][1]),
    "lintOnChange": ("lint_on_change", _bool),
    "debounce": ("debounce_ms", _milliseconds),
    "showSyntaxErrors": ("show_syntax_errors", _bool),
    "docsBase": ("docs_base", _url),
    "inlayHints.enabled": ("inlay_hints", _bool),
    "shapeCheck.device": ("shape_check_device", _device),
}
TRUST_KEY = "trusted"


def read_trust(raw: Any) -> tuple[bool, Any]:
    """(trusted, the options without the trust flag). Trusted unless a `trusted` key, at the top
    or in the `tensorlint` section, is false; a value other than true/false counts as untrusted."""
    if not isinstance(raw, dict):
        return True, raw
    raw = dict(raw)
    trusted = True
    if TRUST_KEY in raw:
        trusted = raw.pop(TRUST_KEY) is True
    section = raw.get("tensorlint")
    if isinstance(section, dict) and TRUST_KEY in section:
        section = dict(section)
        trusted = section.pop(TRUST_KEY) is True and trusted
        raw["tensorlint"] = section
    return trusted, raw


def _flatten(raw: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and name not in EDITOR_KEYS:
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def parse_settings(raw: Any, base: ServerSettings | None = None) -> tuple[ServerSettings, list[str]]:
    """Editor settings over `base` (the defaults when None); problems are returned, not raised."""
    settings = ServerSettings() if base is None else base
    if raw is None:
        return settings, []
    if not isinstance(raw, dict):
        return settings, [f"tensorlint settings: expected an object, got {type(raw).__name__}"]
    if isinstance(raw.get("tensorlint"), dict):
        raw = raw["tensorlint"]
    changes: dict[str, Any] = {}
    problems = []
    for key, value in _flatten(raw).items():
        if key not in EDITOR_KEYS:
            problems.append(f"tensorlint: setting '{key}' is unknown and was ignored")
            continue
        if value is None:
            continue
        name, check = EDITOR_KEYS[key]
        try:
            changes[name] = check(value, f"setting '{key}'")
        except ConfigError as err:
            problems.append(f"tensorlint: {err}; the setting was ignored")
    return replace(settings, **changes), problems


# -- the project's configuration files ---------------------------------------------------------


class ProjectConfigs:
    """The configuration file that applies to each document, read once until `reload()`.
    A file with a bad key is reported and replaced by the defaults."""

    def __init__(self, root: str | None):
        self.root = root
        self.problems: list[str] = []  # not yet reported
        self.reload()

    def reload(self) -> None:
        self._resolver = project_settings.Resolver(cwd=Path(self.root) if self.root else None)

    def for_path(self, path: str) -> Config:
        try:
            return self._resolver.for_path(path)
        except ConfigError as err:
            self.problems.append(f"tensorlint: {err}; using the default configuration")
        except OSError as err:
            self.problems.append(f"tensorlint: cannot read the configuration for {path}: {err}")
        return DEFAULT.with_overrides(root=self.root)


def effective_config(project: Config, settings: ServerSettings) -> Config:
    """Editor settings merged over the project's configuration. The editor's severity overrides
    come first so that they win over the project's at equal specificity."""
    changes: dict[str, Any] = {
        "ignore": project.ignore + settings.ignore,
        "extend_select": project.extend_select + settings.extend_select,
        "severity": settings.severity + project.severity,
    }
    if settings.select is not None:
        changes["select"] = settings.select
    if settings.docs_base:
        changes["docs_base"] = settings.docs_base
    return replace(project, **changes)

