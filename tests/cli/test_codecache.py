"""The command keeps the dataclass methods it compiles in a file of the user's cache folder and
uses them on its next start: the findings never change, a damaged or foreign file is replaced,
and `TENSORLINT_CODE_CACHE=off` writes nothing."""
from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tensorlint import codecache

from cli_helpers import run_tensorlint

PROGRAM = """\
import torch
import torch.nn as nn

layer = nn.Linear(4, 2)
x = torch.arange(8).reshape(2, 4)
y = layer(x)
"""
FILE_NAME = f"dataclass-code.{sys.implementation.cache_tag}.marshal"


def _run(tmp_path: Path, cache: str, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "TENSORLINT_CODE_CACHE": cache,
           "XDG_CACHE_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path / "home")}
    return subprocess.run([sys.executable, "-m", "tensorlint", "check", "--no-cache", *extra, "train.py"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "train.py").write_text(PROGRAM)
    return tmp_path


def test_second_start_reads_the_file_and_finds_the_same(project: Path) -> None:
    folder = project / "codes"
    first = _run(project, str(folder))
    assert first.returncode == 1 and "TL101" in first.stdout, first.stdout + first.stderr
    stored = folder / FILE_NAME
    assert stored.is_file()
    codes = marshal.loads(stored.read_bytes()[len(codecache._magic()):])
    assert len(codes) > 300  # libcst's node classes and ours
    assert all("__create_fn__" in text for text in codes)
    written = stored.stat().st_mtime_ns
    second = _run(project, str(folder))
    assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)
    assert stored.stat().st_mtime_ns == written  # nothing new compiled: nothing written


@pytest.mark.parametrize("content", [
    b"",
    b"not a cache at all",
    b"\x00\x00\r\n" + marshal.dumps({"def f(): pass": 1}),  # another Python's magic number
    None,  # the right magic number, then a cut-off marshal stream
])
def test_a_damaged_or_foreign_file_is_replaced(project: Path, content: bytes | None) -> None:
    folder = project / "codes"
    folder.mkdir()
    if content is None:
        content = codecache._magic() + marshal.dumps({"x": compile("1", "<string>", "eval")})[:7]
    (folder / FILE_NAME).write_bytes(content)
    plain = _run(project, "off")
    damaged = _run(project, str(folder))
    assert (damaged.returncode, damaged.stdout, damaged.stderr) == (plain.returncode, plain.stdout, plain.stderr)
    data = (folder / FILE_NAME).read_bytes()
    assert data.startswith(codecache._magic()) and len(marshal.loads(data[len(codecache._magic()):])) > 300


def test_off_writes_nothing_and_an_unwritable_folder_is_silent(project: Path) -> None:
    off = _run(project, "off")
    assert off.returncode == 1 and "TL101" in off.stdout
    assert not (project / "xdg").exists() and not (project / "home").exists()
    blocked = project / "blocked"
    blocked.write_text("a file where the folder should be")
    result = _run(project, str(blocked))
    assert (result.returncode, result.stdout, result.stderr) == (off.returncode, off.stdout, off.stderr)
    assert not list(project.glob("**/*.tmp"))


def test_default_folder_is_the_user_cache(project: Path) -> None:
    result = _run(project, "")
    assert result.returncode == 1
    assert (project / "xdg" / "tensorlint" / FILE_NAME).is_file() or sys.platform in ("win32", "darwin")


def test_classes_made_through_the_cache_behave_as_dataclasses(tmp_path: Path) -> None:
    """Equal classes defined twice in one process, the second from kept code: the same methods."""
    script = f"""
import os, sys
os.environ["TENSORLINT_CODE_CACHE"] = {str(tmp_path / 'codes')!r}
from tensorlint import codecache
codecache.install()
from dataclasses import dataclass, field, FrozenInstanceError
def make():
    @dataclass(frozen=True, order=True)
    class Point:
        x: int
        y: int = 2
        tags: tuple = field(default=())
    return Point
A, B = make(), make()
a = A(1)
assert repr(a) == "make.<locals>.Point(x=1, y=2, tags=())", repr(a)
assert A(1) == A(1, 2) and A(1) < A(2) and hash(A(1)) == hash(A(1, 2))
try:
    a.x = 3
except FrozenInstanceError:
    pass
else:
    raise SystemExit("not frozen")
assert repr(B(5, 6)) == "make.<locals>.Point(x=5, y=6, tags=())"
assert codecache._state["new"] > 0 and B.__init__.__code__ is A.__init__.__code__
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "ok", result.stderr


def test_a_caller_that_passes_arguments_keeps_the_standard_exec(tmp_path: Path) -> None:
    (tmp_path / "train.py").write_text(PROGRAM)
    import dataclasses

    outcome = run_tensorlint(["check", "--no-cache", "train.py"], tmp_path)
    assert outcome.code == 1
    assert getattr(dataclasses, "exec", None) is not codecache.cached_exec
