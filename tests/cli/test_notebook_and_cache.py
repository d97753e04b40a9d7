"""Notebooks cell by cell; the results cache; `tensorlint clean`."""
from __future__ import annotations

import json

from cli_helpers import BROKEN, BROKEN_ROW, notebook, write
from tensorlint.findings import Finding, Severity, Span
from tensorlint.notebook import Notebook


def test_finding_points_to_cell_and_line(tl, tmp_path):
    nb = notebook("import torch\nx = torch.zeros(3)", ("markdown", "text ("), "y = 1\n\nz = torch.ones(2\n")
    write(tmp_path, {"nb.ipynb": nb})
    r = tl("check", ".")
    assert r.code == 1
    assert r.out.startswith("nb.ipynb:cell 2:3:"), r.out
    row = tl("check", "--format", "json", ".").json()[0]
    assert row["cell"] == 2 and row["location"]["row"] == 3


def test_magics_and_cell_magics_are_not_syntax_errors(tl, tmp_path):
    nb = notebook("%matplotlib inline\n!pip install torch\nimport torch\ntorch.zeros?",
                  "%%bash\necho (((", "if True:\n    %time x = torch.ones(1)\n")
    write(tmp_path, {"nb.ipynb": nb})
    r = tl("check", ".")
    assert r.code == 0, r.out + r.err


def test_a_broken_notebook_is_an_error_for_that_file(tl, tmp_path):
    write(tmp_path, {"nb.ipynb": "{not json", "b.py": BROKEN})
    r = tl("check", ".")
    assert r.code == 2 and "nb.ipynb" in r.err
    assert f"b.py:{BROKEN_ROW}:" in r.out


def test_notebook_mapping_round_trip():
    raw = notebook("import torch", ("markdown", "hi"), "a = 1\nb = 2", "%%bash\nls", "c = 3\n")
    nb = Notebook.parse(raw)
    # every code cell keeps its lines; a cell magic's non-Python body stands as blank lines
    assert nb.text == "import torch\na = 1\nb = 2\n\n\nc = 3\n"
    assert [(c.number, c.start, c.lines, c.included) for c in nb.cells] == [
        (1, 0, 1, True), (2, 1, 2, True), (3, 3, 2, False), (4, 5, 1, True)]
    cell, local = nb.to_cell(Finding("TL1", "n", "m", Severity.ERROR, Span.of(6, 0, 6, 1)))
    assert (cell, local.span) == (4, Span.of(1, 0, 1, 1))
    assert nb.dump() == raw  # nothing changed: the same JSON text


# -- cache ---------------------------------------------------------------------------------


def _cache_files(root):
    return sorted((root / ".tensorlint_cache").rglob("*.json"))


# a file with a finding (a file that does not parse carries notes on what was left out, and a
# result with notes is analyzed again each run, so that the notes are printed)
FLAWED = "import torch\nimport torch.nn as nn\n\nmodel = nn.Linear(4, 2)\nout = model(torch.randint(0, 5, (3, 4)))\n"


def test_results_are_cached_by_content_and_configuration(tl, tmp_path):
    write(tmp_path, {"b.py": FLAWED})
    first = tl("check", ".")
    files = _cache_files(tmp_path)
    assert len(files) == 1 and (tmp_path / ".tensorlint_cache" / "CACHEDIR.TAG").exists()
    # Prove the second run reads the cache: doctor the stored message and see it come back.
    data = json.loads(files[0].read_text())
    (entry,) = data.values()
    entry[1][0]["message"] = "served from the cache"
    files[0].write_text(json.dumps(data))
    assert "served from the cache" in tl("check", ".").out
    assert "served from the cache" not in tl("check", "--no-cache", ".").out
    # another configuration has its own entry
    assert "served from the cache" not in tl("check", "--select", "ALL", ".").out
    assert len(_cache_files(tmp_path)) == 2
    # new content: analyzed again
    (tmp_path / "b.py").write_text(FLAWED.replace("import torch", "import torch  # changed", 1))
    again = tl("check", ".")
    assert "served from the cache" not in again.out and again.out == first.out


def test_no_cache_writes_nothing(tl, tmp_path):
    write(tmp_path, {"b.py": FLAWED})
    tl("check", "--no-cache", ".")
    assert not (tmp_path / ".tensorlint_cache").exists()


def test_cache_dir_setting_and_clean(tl, tmp_path):
    write(tmp_path, {"pyproject.toml": '[tool.tensorlint]\ncache-dir = ".cache/tl"\n', "b.py": FLAWED})
    tl("check", ".")
    assert list((tmp_path / ".cache" / "tl").rglob("*.json"))
    r = tl("clean")
    assert r.code == 0 and "Removed cache" in r.out
    assert not (tmp_path / ".cache" / "tl").exists()


def test_corrupt_cache_is_ignored(tl, tmp_path):
    write(tmp_path, {"b.py": FLAWED})
    expected = tl("check", ".").out
    for f in _cache_files(tmp_path):
        f.write_text("{broken")
    assert tl("check", ".").out == expected
