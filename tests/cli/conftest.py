"""Fixtures for the command-line tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import Outcome, run_tensorlint


@pytest.fixture
def tl(tmp_path):
    """Run tensorlint in the test's temporary folder; `--jobs 1` keeps it in this process."""

    def run(*args: str, stdin: str = "", cwd: Path | None = None, in_process: bool = True) -> Outcome:
        extra = ["--jobs", "1"] if in_process and args and args[0] == "check" and "--jobs" not in args else []
        return run_tensorlint([*args, *extra], cwd or tmp_path, stdin, in_process)

    return run
