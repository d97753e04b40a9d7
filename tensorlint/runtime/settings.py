"""`[tool.tensorlint.shapecheck]` in the nearest pyproject.toml above a file.

    [tool.tensorlint.shapecheck]
    device = "cpu"            # auto | cuda | cpu | meta
    timeout = 60              # seconds
    python = ".venv/bin/python"
    memory-mb = 4096
    inputs = { x = "8,3,224,224", tokens = "8,128:int64" }
    args = "--epochs 1 --batch-size 8"   # the program's own command line (its sys.argv[1:])

Errors in the table are reported in the returned dict under "errors", never raised.
"""
from __future__ import annotations

import os
import shlex

from .shapes import parse_shape

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]


KEYS = ("device", "timeout", "python", "memory-mb", "inputs", "args")


def find_pyproject(path: str) -> str | None:
    folder = os.path.dirname(os.path.abspath(path))
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def project_settings(path: str) -> dict:
    """Settings for the file at `path`: {device, timeout, python, memory_mb, inputs, errors}."""
    found = find_pyproject(path)
    out: dict = {"errors": []}
    if not found:
        return out
    try:
        with open(found, "rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        out["errors"].append(f"{found}: {exc}")
        return out
    table = data.get("tool", {}).get("tensorlint", {}).get("shapecheck", {})
    if not isinstance(table, dict):
        out["errors"].append(f"{found}: [tool.tensorlint.shapecheck] must be a table")
        return out
    out.update(read_table(table, found, f"{found}: tool.tensorlint.shapecheck"))
    return out


def read_table(table: dict, found: str | None, prefix: str) -> dict:
    """The settings in a `[tool.tensorlint.shapecheck]` table read from the file `found`
    (None: only checked), with an "errors" line for every key or value not understood."""
    out: dict = {"errors": []}
    for key, value in table.items():
        where = f"{prefix}.{key}"
        if key not in KEYS:
            out["errors"].append(f"{where}: unknown key (known: {', '.join(KEYS)})")
        elif key == "device" and value in ("auto", "cuda", "cpu", "meta"):
            out["device"] = value
        elif key == "timeout" and isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            out["timeout"] = float(value)
        elif key == "memory-mb" and isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            out["memory_mb"] = value
        elif key == "python" and isinstance(value, str) and value.strip():
            base = os.path.dirname(found) if found else ""
            out["python"] = value if os.path.isabs(value) or os.sep not in value else os.path.join(base, value)
        elif key == "args" and isinstance(value, str):
            try:
                out["argv"] = shlex.split(value)
            except ValueError as exc:
                out["errors"].append(f"{where}: {exc}")
        elif key == "inputs" and isinstance(value, dict):
            inputs = {}
            for name, spec in value.items():
                try:
                    inputs[name] = parse_shape(str(spec))
                except ValueError as exc:
                    out["errors"].append(f"{where}.{name}: {exc}")
            out["inputs"] = inputs
        else:
            out["errors"].append(f"{where}: invalid value {value!r}")
    return out
