"""End to end with the real engine: TL101 (an int tensor into nn.Linear) and its `.float()` fix."""
from __future__ import annotations

import json

import pytest

from cli_helpers import notebook, write
from tensorlint.fixer import parses

BUGGY = (
    "import torch\n"
    "import torch.nn as nn\n"
    "\n"
    "model = nn.Linear(3, 1)\n"
    "x = torch.randint(0, 5, (2, 3))\n"
    "out = model(x)\n"
)
FIXED = BUGGY.replace("model(x)", "model(x.float())")


@pytest.mark.parametrize("in_process", [True, False], ids=["in-process", "subprocess"])
def test_tl101_is_reported_with_its_fix(tl, tmp_path, in_process):
    write(tmp_path, {"train.py": BUGGY})
    r = tl("check", "--format", "json", "--no-cache", ".", in_process=in_process)
    assert r.code == 1, r.err
    (row,) = [f for f in r.json() if f["code"] == "TL101"]
    assert row["location"]["row"] == 6
    fix = row["fix"]
    assert fix["applicability"] == "safe"
    assert [e["content"] for e in fix["edits"]] == [".float()"]
    assert fix["edits"][0]["location"] == {"row": 6, "column": 14}  # right after `x`


def test_fix_then_clean_and_idempotent(tl, tmp_path):
    write(tmp_path, {"train.py": BUGGY})
    r = tl("check", "--fix", ".")
    assert r.code == 0, r.out + r.err
    assert "1 fixed, 0 remaining" in r.out
    assert (tmp_path / "train.py").read_text() == FIXED
    again = tl("check", "--fix", ".")
    assert again.code == 0 and (tmp_path / "train.py").read_text() == FIXED
    assert tl("check", "--diff", ".").out == ""


def test_fix_keeps_crlf_and_trailing_whitespace(tl, tmp_path):
    crlf = BUGGY.replace("\n", "  \r\n")
    (tmp_path / "train.py").write_bytes(crlf.encode())
    tl("check", "--fix", "--no-cache", ".")
    assert (tmp_path / "train.py").read_bytes() == crlf.replace("model(x)", "model(x.float())").encode()


def test_noqa_suppresses(tl, tmp_path):
    write(tmp_path, {"train.py": BUGGY.replace("model(x)\n", "model(x)  # noqa: TL101\n")})
    assert tl("check", ".").code == 0


def test_names_flow_between_notebook_cells_and_fixes_go_back(tl, tmp_path):
    nb = notebook("import torch\nimport torch.nn as nn\nmodel = nn.Linear(3, 1)",
                  ("markdown", "## Data"),
                  "x = torch.randint(0, 5, (2, 3))\nout = model(x)\n")
    write(tmp_path, {"train.ipynb": nb})
    r = tl("check", "--no-cache", ".")
    assert r.code == 1
    assert "train.ipynb:cell 2:2:" in r.out and "TL101" in r.out
    assert tl("check", "--fix", "--no-cache", ".").code == 0
    data = json.loads((tmp_path / "train.ipynb").read_text())
    assert "".join(data["cells"][2]["source"]) == "x = torch.randint(0, 5, (2, 3))\nout = model(x.float())\n"
    assert data["cells"][1] == json.loads(nb)["cells"][1]


def test_stdin_fix(tl, tmp_path):
    r = tl("check", "--fix", "--stdin-filename", "train.py", "-", stdin=BUGGY)
    assert r.out == FIXED and parses(r.out)
