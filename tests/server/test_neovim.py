"""A second real client: Debian's Neovim, headless, reads back the server's diagnostic."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lsp_session import TL101_EXAMPLE

NVIM = shutil.which("nvim")
INIT = Path(__file__).parent / "nvim_init.lua"


@pytest.mark.skipif(NVIM is None, reason="nvim is not installed (apt-get install neovim); CI installs it")
def test_neovim_shows_the_diagnostic(tmp_path):
    source = tmp_path / "train.py"
    source.write_text(TL101_EXAMPLE, encoding="utf-8")
    out = tmp_path / "diagnostics.json"
    env = dict(os.environ, TL_PYTHON=sys.executable, TL_OUT=str(out), XDG_STATE_HOME=str(tmp_path / "state"))
    subprocess.run(
        [NVIM, "--headless", "--clean", "-u", str(INIT), str(source)],
        cwd=tmp_path, env=env, timeout=120, check=True, stdin=subprocess.DEVNULL, capture_output=True,
    )
    diagnostics = json.loads(out.read_text())
    [d] = [d for d in diagnostics if d["code"] == "TL101"]
    assert d["lnum"] == 4 and d["source"] == "tensorlint"
    line = TL101_EXAMPLE.splitlines()[4]
    assert line[d["col"] : d["end_col"]] in ("model(x)", "x")
