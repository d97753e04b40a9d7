"""Notebooks through `tensorlint check`: per cell, in cell coordinates, past broken cells."""
from __future__ import annotations

import json

from cli_helpers import notebook, write

INT_INTO_LINEAR = "y = m(torch.randint(0, 5, (2, 3)))\n"  # TL101: int64 into float weights


def nb_v3(*sources, as_string=False) -> str:
    cells = [{"cell_type": "code", "collapsed": False, "language": "python", "metadata": {}, "outputs": [],
              "input": s if as_string else s.splitlines(keepends=True)} for s in sources]
    return json.dumps({"metadata": {"name": ""}, "nbformat": 3, "nbformat_minor": 0,
                       "worksheets": [{"cells": cells, "metadata": {}}]}, indent=1) + "\n"


def test_findings_use_what_earlier_cells_define(tl, tmp_path):
    write(tmp_path, {"nb.ipynb": notebook("import torch", "m = torch.nn.Linear(3, 1)", INT_INTO_LINEAR)})
    r = tl("check", ".")
    assert "nb.ipynb:cell 3:1:5: TL101" in r.out, r.out
    # the message's own line references are cell positions too
    assert "cell 2, line 1" in r.out and "line 776" not in r.out


def test_a_broken_cell_is_reported_and_the_others_are_still_analyzed(tl, tmp_path):
    write(tmp_path, {"nb.ipynb": notebook("import torch\nm = torch.nn.Linear(3, 1)", "model = \n", INT_INTO_LINEAR)})
    r = tl("check", ".")
    assert "nb.ipynb:cell 2:1:" in r.out and "TL001" in r.out, r.out
    assert "nb.ipynb:cell 3:1:5: TL101" in r.out, r.out


def test_valid_ipython_cells_give_no_syntax_error(tl, tmp_path):
    cells = [
        "%matplotlib inline\n!pip install -q torch\nimport torch",
        "    m = torch.nn.Linear(3, 1)\n    n_epochs = 3",  # a shared indent: IPython removes it
        "for epoch in range(n_epochs):\n    print('Epoch: %03d'\n          % (epoch,))",
        "%%time\nz = m(torch.ones(2, 3))",
        "%%bash\nif [ -f x ]; then echo (; fi",
        "%%writefile train.py\ndef broken(:\n",
        "torch.nn.Linear?",
        "files = !ls\nprint(files)",
        "",
        "   \n",
    ]
    write(tmp_path, {"nb.ipynb": notebook(*cells)})
    r = tl("check", ".")
    assert "TL001" not in r.out, r.out


def test_a_shared_indent_cell_reports_at_its_own_columns(tl, tmp_path):
    write(tmp_path, {"nb.ipynb": notebook("import torch", "    m = torch.nn.Linear(3, 1)\n    " + INT_INTO_LINEAR)})
    r = tl("check", ".")
    assert "nb.ipynb:cell 2:2:9: TL101" in r.out, r.out


def test_cell_magic_bodies_that_run_python_are_analyzed(tl, tmp_path):
    write(tmp_path, {"nb.ipynb": notebook("import torch\nm = torch.nn.Linear(3, 1)", "%%time\n" + INT_INTO_LINEAR)})
    assert "nb.ipynb:cell 2:2:5: TL101" in tl("check", ".").out


def test_nbformat_3_and_string_sources(tl, tmp_path):
    cells = ("import torch\nm = torch.nn.Linear(3, 1)", "model = ", INT_INTO_LINEAR)
    write(tmp_path, {"v3.ipynb": nb_v3(*cells), "v3s.ipynb": nb_v3(*cells, as_string=True)})
    r = tl("check", ".")
    for name in ("v3", "v3s"):
        assert f"{name}.ipynb:cell 2:1:" in r.out and f"{name}.ipynb:cell 3:1:5: TL101" in r.out, r.out


def test_fix_in_nbformat_3_writes_valid_json_and_keeps_everything_else(tl, tmp_path):
    raw = nb_v3("import torch\nm = torch.nn.Linear(3, 1)", "model = ", INT_INTO_LINEAR)
    write(tmp_path, {"v3.ipynb": raw})
    tl("check", "--fix", ".")
    data, before = json.loads((tmp_path / "v3.ipynb").read_text()), json.loads(raw)
    cells = data["worksheets"][0]["cells"]
    assert cells[2]["input"] == ["y = m(torch.randint(0, 5, (2, 3)).float())\n"]
    assert cells[1]["input"] == ["model = "]  # the broken cell is left as it was
    cells[2]["input"] = before["worksheets"][0]["cells"][2]["input"]
    assert data == before


def test_fix_in_a_string_source_cell_stays_a_string(tl, tmp_path):
    raw = json.loads(notebook("import torch\nm = torch.nn.Linear(3, 1)", INT_INTO_LINEAR))
    raw["cells"][1]["source"] = INT_INTO_LINEAR
    raw["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["kept\n"]}]
    write(tmp_path, {"nb.ipynb": json.dumps(raw)})
    tl("check", "--fix", ".")
    data = json.loads((tmp_path / "nb.ipynb").read_text())
    assert data["cells"][1]["source"] == "y = m(torch.randint(0, 5, (2, 3)).float())\n"
    assert data["cells"][1]["outputs"] == raw["cells"][1]["outputs"]


def test_broken_json_is_a_clear_error_not_a_crash(tl, tmp_path):
    write(tmp_path, {"a.ipynb": '{"cells": [', "b.ipynb": "[]", "c.ipynb": '{"nbformat": 4}',
                     "d.ipynb": b"\xff\xfe{", "ok.ipynb": notebook("import torch\nm = torch.nn.Linear(3, 1)", INT_INTO_LINEAR)})
    r = tl("check", ".")
    assert r.code == 2
    for name in ("a", "b", "c", "d"):
        assert f"{name}.ipynb" in r.err and "internal error" not in r.err, r.err
    assert "not valid notebook JSON" in r.err
    assert "ok.ipynb:cell 2:1:5: TL101" in r.out


def test_a_notebook_of_another_language_is_not_read_as_python(tl, tmp_path):
    raw = json.loads(notebook("library(torch)\nx <- 1 +", INT_INTO_LINEAR))
    raw["metadata"] = {"kernelspec": {"name": "ir", "language": "R"}}
    write(tmp_path, {"r.ipynb": json.dumps(raw)})
    assert "TL001" not in tl("check", ".").out


def test_json_and_sarif_carry_the_cell_and_the_line_in_it(tl, tmp_path):
    write(tmp_path, {"nb.ipynb": notebook("import torch\nm = torch.nn.Linear(3, 1)", "x = 1\n" + INT_INTO_LINEAR)})
    row = tl("check", "--output-format", "json", ".").json()[0]
    assert row["cell"] == 2 and row["location"]["row"] == 2
    sarif = json.loads(tl("check", "--output-format", "sarif", ".").out)
    result = sarif["runs"][0]["results"][0]
    assert result["properties"]["cell"] == 2
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 2


def test_notes_pointing_to_other_cells_say_which_cell(tl, tmp_path):
    write(tmp_path, {"nb.ipynb": notebook("import torch", "m = torch.nn.Linear(3, 1)", INT_INTO_LINEAR)})
    out = tl("check", "--output-format", "full", ".").out
    assert "= note: cell 2, line 1: Linear defined here" in out, out
    sarif = json.loads(tl("check", "--output-format", "sarif", ".").out)
    related = sarif["runs"][0]["results"][0]["relatedLocations"]
    assert {r["properties"]["cell"] for r in related} == {2, 3}


def test_a_syntax_error_message_names_lines_of_its_own_cell(tl, tmp_path):
    write(tmp_path, {"nb.ipynb": notebook("import torch\nx = 1\ny = 2", "z = 3\ndef f():\n# body to write\n")})
    out = tl("check", ".").out
    assert "nb.ipynb:cell 2:3:" in out and "cell 2, line 2" in out, out


def test_a_function_reads_a_global_as_it_is_when_called_not_as_a_later_cell_leaves_it(tl, tmp_path):
    head = ("import torch\nm = torch.nn.Linear(3, 1)\nx = torch.ones(2, 3)", "def f():\n    return m(x)")
    later_int = "x = torch.randint(0, 5, (2, 3))"
    write(tmp_path, {"called_before.ipynb": notebook(*head, "f()", later_int),
                     "called_after.ipynb": notebook(*head, later_int, "f()")})
    out = tl("check", ".").out
    assert "called_before.ipynb" not in out, out
    assert "called_after.ipynb:cell 2:2:12: TL101" in out and "cell 3, line 1" in out, out


def test_a_function_never_called_does_not_guess_which_value_of_a_rebound_global_it_reads(tl, tmp_path):
    head = "import torch\nm = torch.nn.Linear(3, 1)"
    use = "def f():\n    return m(x)"
    write(tmp_path, {
        # bound before the definition and again after it: either value may be the one read
        "rebound_int_later.ipynb": notebook(head, "x = torch.ones(2, 3)", use, "x = torch.randint(0, 5, (2, 3))"),
        "rebound_float_later.ipynb": notebook(head, "x = torch.randint(0, 5, (2, 3))", use, "x = torch.ones(2, 3)"),
        # bound once, before or after the definition: that is the value
        "bound_once_before.ipynb": notebook(head, "x = torch.randint(0, 5, (2, 3))", use),
        "bound_once_after.ipynb": notebook(head, use, "x = torch.randint(0, 5, (2, 3))"),
    })
    out = tl("check", ".").out
    assert "rebound_" not in out, out
    assert "bound_once_before.ipynb:cell 3:2:12: TL101" in out and "bound_once_after.ipynb:cell 2:2:12: TL101" in out, out
