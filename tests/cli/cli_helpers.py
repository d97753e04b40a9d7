"""Helpers for the command-line tests: run `tensorlint` in this process or as a real process."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tensorlint.cli import main

# Files the engine can only answer with TL001: the syntax error is at a known place.
BROKEN = "import torch\n\nx = torch.zeros(3\n"  # "(" never closed
BROKEN_ROW = 3
CLEAN = "import os\n\nx = 1\n"  # no framework: the engine skips it


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def run_tensorlint(args: list[str], cwd: Path, stdin: str = "", in_process: bool = True) -> Outcome:
    """`tensorlint ARGS` in `cwd`; in this process (fast) or as `python -m tensorlint`."""
    if not in_process:
        proc = subprocess.run(
            [sys.executable, "-m", "tensorlint", *args], cwd=cwd, input=stdin, capture_output=True, text=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=300,
        )
        return Outcome(proc.returncode, proc.stdout, proc.stderr)
    old = os.getcwd(), sys.stdin, sys.stdout, sys.stderr
    out, err = io.StringIO(), io.StringIO()
    stdin_buf = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
    stdout_buf = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    try:
        os.chdir(cwd)
        sys.stdin, sys.stdout, sys.stderr = stdin_buf, stdout_buf, err
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
        sys.stdout.flush()
        out.write(stdout_buf.buffer.getvalue().decode("utf-8"))
    finally:
        os.chdir(old[0])
        sys.stdin, sys.stdout, sys.stderr = old[1:]
    return Outcome(code, out.getvalue(), err.getvalue())


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def notebook(*cells: str | tuple[str, str]) -> str:
    """A small nbformat-4 notebook; a tuple is (cell_type, source)."""
    out = []
    for c in cells:
        kind, source = c if isinstance(c, tuple) else ("code", c)
        cell = {"cell_type": kind, "metadata": {}, "source": source.splitlines(keepends=True)}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        out.append(cell)
    return json.dumps({"cells": out, "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4,
                       "nbformat_minor": 5}, indent=1) + "\n"
