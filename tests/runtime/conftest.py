"""Fixtures for the runtime shape check.

The check runs user code under the interpreter `Options.python`. These tests use
$TENSORLINT_SHAPECHECK_PYTHON when it is set (an interpreter with torch and tensorflow-cpu),
else the interpreter running pytest. Tests that need torch or tensorflow are skipped, with the
reason, when that interpreter cannot import them.
"""
from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tensorlint.runtime import Options, run_shapecheck

SEEDS = Path(__file__).with_name("seeds")


def checker_python() -> str:
    return os.environ.get("TENSORLINT_SHAPECHECK_PYTHON") or sys.executable


@functools.lru_cache(maxsize=None)
def importable(module: str) -> bool:
    proc = subprocess.run([checker_python(), "-c", f"import {module}"], capture_output=True, timeout=120)
    return proc.returncode == 0


def _need(module: str, extra: str) -> None:
    if not importable(module):
        pytest.skip(f"{checker_python()} cannot import {module}: pip install {extra} "
                    "(or set TENSORLINT_SHAPECHECK_PYTHON to an interpreter that has it)")


@pytest.fixture
def torch_python() -> str:
    _need("torch", "torch==2.13.0")
    return checker_python()


@pytest.fixture
def tf_python() -> str:
    _need("tensorflow", "tensorflow-cpu")
    return checker_python()


@pytest.fixture
def vision_python(torch_python) -> str:
    _need("torchvision", "torchvision (the release made with the installed torch)")
    return torch_python


@pytest.fixture
def installed():
    """`installed("pandas")`: skip unless the check's interpreter imports that module."""
    def need(module: str, extra: str | None = None) -> str:
        _need(module, extra or module)
        return checker_python()
    return need


_cache: dict = {}


def check_seed(name: str, device: str = "cpu", **kw):
    """Report for a seed example, computed once per session (each run starts an interpreter)."""
    key = (name, device, tuple(sorted(kw.items())))
    if key not in _cache:
        path = SEEDS / f"seed{name.replace('/', '_')}.py"
        _cache[key] = run_shapecheck(str(path), None, Options(device=device, python=checker_python(), timeout=180, **kw))
    return _cache[key]


def check_text(tmp_path: Path, text: str, name: str = "user.py", **kw):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    kw.setdefault("python", checker_python())
    kw.setdefault("timeout", 180)
    return run_shapecheck(str(path), None, Options(**kw))


@pytest.fixture
def seed_check():
    return check_seed


@pytest.fixture
def text_check(tmp_path):
    return lambda text, name="user.py", **kw: check_text(tmp_path, text, name, **kw)
