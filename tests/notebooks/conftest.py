"""Fixtures for the notebook tests: the command-line runner of tests/cli."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "cli"))

from cli_helpers import Outcome, run_tensorlint  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def tl(tmp_path):
    """`tensorlint ARGS` in the test's temporary folder, in this process."""

    def run(*args: str, cwd: Path | None = None) -> Outcome:
        extra = ["--jobs", "1", "--no-cache"] if args and args[0] == "check" else []
        return run_tensorlint([*args, *extra], cwd or tmp_path)

    return run
