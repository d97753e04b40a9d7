"""Static findings judged against what happened at run time (findings built by hand)."""
from __future__ import annotations

import pytest

from tensorlint.findings import Finding, Severity, Span
from tensorlint.runtime.verdicts import judge


def finding(code: str, line: int) -> Finding:
    return Finding(code=code, name=code.lower(), message=f"{code} here", severity=Severity.ERROR, span=Span.of(line, 0, line, 10))


def test_runtime_results_confirm_refute_or_leave_findings_alone(torch_python, seed_check):
    report = seed_check("002/ex1")
    verdicts = judge([finding("TL301", 9), finding("TL201", 22), finding("TL204", 40), finding("TL503", 22)], report)
    assert [v.verdict for v in verdicts] == ["confirmed", "refuted", "not exercised", "not exercised"]
    assert "the loss stays" in verdicts[0].evidence
    assert "ran without error" in verdicts[1].evidence


def test_a_loss_that_uses_its_targets_refutes_tl301(torch_python, seed_check):
    report = seed_check("004/ex2")
    (v,) = judge([finding("TL301", 24)], report)
    assert v.verdict == "refuted" and "changes with the targets" in v.evidence


def test_framework_errors_confirm_shape_findings_on_the_forward_line(torch_python, seed_check):
    report = seed_check("004/ex1")
    confirmed, on_call = judge([finding("TL201", 10), finding("TL201", 17)], report)
    assert confirmed.verdict == on_call.verdict == "confirmed"
    assert "to have 3 channels" in confirmed.evidence


def test_tl401_is_confirmed_by_the_layer_probe(tf_python, seed_check):
    report = seed_check("001/ex3")
    (v,) = judge([finding("TL401", 11)], report)
    assert v.verdict == "confirmed" and "MyCustomLayer" in v.evidence


def test_gradient_findings_are_confirmed_by_the_gradients_at_their_line(torch_python, text_check):
    text = ("import torch\nimport torch.nn as nn\n\nmodel = nn.Sequential(nn.Linear(6, 1), nn.Softmax(dim=1))\n"
            "x = torch.randn(8, 6)\ny = torch.randint(0, 2, (8, 1)).float()\nout = model(x)\n"
            "loss = nn.BCELoss()(out, y)\n")
    report = text_check(text)
    (v,) = judge([finding("TL305", 8)], report)
    assert v.verdict == "confirmed" and v.evidence.startswith("line 8:")


def test_an_error_of_the_programs_set_up_confirms_a_shape_finding(torch_python, text_check):
    text = ("import torch\n\nw = torch.zeros(2, 3, dtype=torch.long, requires_grad=True)\n"
            "model = torch.nn.Linear(3, 1)\nout = model(w.float())\n")
    report = text_check(text)
    assert report.status == "errors"
    (v,) = judge([finding("TL101", 3)], report)
    assert v.verdict == "confirmed" and "floating point" in v.evidence


VIEW_OF_PERMUTED = """\
import torch
import torch.nn as nn

net = nn.Linear(6, 2)
x = torch.randn(4, 3, 2)
z = x.permute(0, 2, 1)
flat = z.{reshape}(4, 6)
out = net(flat)
"""

FLOAT_INDEX = """\
import torch
import torch.nn as nn

net = nn.Linear(6, 2)
x = torch.randn(10, 6)
idx = torch.arange(4) {divide} 2
batch = x[idx]
out = net(batch)
"""


# (program, static code, the bug's spelling, the fix's, words of the run's error)
CONFIRMED_BY_ERRORS = [
    (VIEW_OF_PERMUTED, "TL114", {"reshape": "view"}, {"reshape": "reshape"}, "view size is not compatible"),
    (FLOAT_INDEX, "TL441", {"divide": "/"}, {"divide": "//"}, "IndexError at line 7"),  # the indexing its division feeds
]


@pytest.mark.parametrize("program,code,bug,fix,words", CONFIRMED_BY_ERRORS, ids=[c[1] for c in CONFIRMED_BY_ERRORS])
def test_dtype_and_layout_findings_are_confirmed_where_the_run_raises(torch_python, text_check, program, code, bug, fix, words):
    report = text_check(program.format(**bug))
    verdicts = {v.code: v for v in report.findings}
    assert verdicts[code].verdict == "confirmed", verdicts
    assert words in verdicts[code].evidence
    fixed = text_check(program.format(**fix))
    assert fixed.status == "ok" and not [v for v in fixed.findings if v.code == code], fixed.findings


def test_value_dependent_findings_are_confirmed_by_an_error_but_not_refuted_by_a_clean_run(torch_python, seed_check):
    report = seed_check("004/ex2")
    line = next(c["line"] for c in report.calls if c.get("status") == "ok")
    assert [v.verdict for v in judge([finding("TL329", line), finding("TL204", line)], report)] == ["not exercised", "refuted"]


def test_loss_and_layer_facts_confirm_the_findings_they_speak_of_and_no_other():
    from tensorlint.runtime.report import Report

    calls = [{"id": 1, "kind": "forward", "line": 9, "status": "ok", "inputs": [{"shape": [32, 4]}],
              "batch_softmax": [{"line": 10, "function": "softmax", "forward_line": 9, "shape": [32, 10]}]},
             {"id": 2, "kind": "loss", "line": 11, "status": "ok", "forward": 1, "forward_line": 9,
              "targets_from_output": True},
             {"id": 3, "kind": "loss", "line": 14, "status": "ok", "forward": 1,
              "target_range": {"loss": "binary cross-entropy", "low": 0.0, "high": 9.0}}]
    report = Report(path="train.py", status="problems", message="", calls=calls)
    verdicts = judge([finding("TL219", 10), finding("TL316", 11), finding("TL328", 14), finding("TL316", 14),
                      finding("TL328", 11)], report)
    assert [v.verdict for v in verdicts] == ["confirmed", "confirmed", "confirmed", "not exercised", "not exercised"]
    assert "must lie in [0, 1]" in verdicts[2].evidence


MADE_UP_INPUT = """\
import numpy as np
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 4)
        self.out = nn.Linear(24, 1)

    def forward(self, x):
        h = self.fc(x)
        return self.out(h.reshape(-1, 24))


data = {data}
net = Net()
pred = net(data)
"""


def test_an_error_on_an_input_the_check_made_up_confirms_no_finding(torch_python, text_check):
    # the file's data is not here: the model runs on an input the check made up ([2, 3]), whose
    # batch of 2 is what `reshape(-1, 24)` refuses; the program's own batch may be a multiple of 6
    report = text_check(MADE_UP_INPUT.format(data="torch.from_numpy(np.load('no-such-file.npy')).float()"))
    assert report.call(19, "forward")["status"] == "error" and report.call(19, "forward")["synthesized_input"]
    assert [v.verdict for v in judge([finding("TL201", 14), finding("TL213", 19)], report)] == ["not exercised"] * 2
    # the same error on the program's own input is evidence
    own = text_check(MADE_UP_INPUT.format(data="torch.randn(2, 3)"))
    assert [v.verdict for v in judge([finding("TL201", 14), finding("TL213", 19)], own)] == ["confirmed"] * 2


def test_a_loss_on_the_output_of_a_made_up_input_neither_confirms_nor_refutes_tl301():
    from tensorlint.runtime.report import Report

    calls = [{"id": 1, "kind": "forward", "line": 9, "status": "ok", "synthesized_input": "[2, 3] from Linear",
              "input_error": {"type": "NotAvailable"}},
             {"id": 2, "kind": "loss", "line": 11, "status": "ok", "forward": 1, "on_made_up_input": True,
              "target_check": {"done": True, "unchanged": True, "before": 0.5, "after": 0.5}},
             {"id": 3, "kind": "loss", "line": 14, "status": "ok", "forward": 1, "on_made_up_input": True,
              "target_check": {"done": True, "unchanged": False, "before": 0.5, "after": 0.7}}]
    report = Report(path="train.py", status="could-not-check", message="", calls=calls)
    assert [v.verdict for v in judge([finding("TL301", 11), finding("TL301", 14)], report)] == ["not exercised"] * 2


def test_gradients_on_made_up_values_judge_only_what_no_value_decides():
    from tensorlint.runtime.report import Report

    made_up = {"synthesized_input": "[2, 6] from Linear", "input_error": {"type": "NotAvailable"}}
    calls = [{"id": 1, "kind": "forward", "line": 9, "status": "ok", **made_up},
             # an all-zero gradient on the check's values (a ReLU its made-up input left dead) is theirs,
             # on a step given a made-up input itself (a compiled model's fit) as on a loss of its output
             {"id": 2, "kind": "loss", "line": 11, "status": "ok", **made_up,
              "gradients": {"parameters": 4, "zero": ["fc.weight", "fc.bias"], "made_at": {"fc.weight": 5, "fc.bias": 5}}},
             # a parameter no gradient reaches at all is the program's graph, whatever the values
             {"id": 3, "kind": "loss", "line": 14, "status": "ok", "forward": 1, "on_made_up_input": True,
              "gradients": {"parameters": 4, "no_grad": ["aux.weight"], "made_at": {"aux.weight": 6}}},
             # every parameter moving on made-up values refutes nothing
             {"id": 4, "kind": "loss", "line": 17, "status": "ok", "forward": 1, "on_made_up_input": True,
              "gradients": {"parameters": 4, "zero": [], "no_grad": []}}]
    report = Report(path="train.py", status="could-not-check", message="", calls=calls)
    verdicts = judge([finding("TL402", 5), finding("TL402", 11), finding("TL413", 6), finding("TL413", 14),
                      finding("TL402", 17)], report)
    assert [v.verdict for v in verdicts] == ["not exercised", "not exercised", "confirmed", "confirmed", "not exercised"]
    # on the program's own input the same facts judge
    own = Report(path="train.py", status="problems", message="",
                 calls=[{k: v for k, v in c.items() if k not in ("synthesized_input", "input_error", "on_made_up_input")}
                        for c in calls])
    assert [v.verdict for v in judge([finding("TL402", 5), finding("TL402", 17)], own)] == ["confirmed", "refuted"]


def test_an_error_raised_alike_on_two_sets_of_made_up_rows_still_confirms():
    from tensorlint.runtime.report import Report

    # images made up of the size the program fixes, twice with other counts and values: an error
    # both runs raise is the program's (its call keeps no `synthesized_input`), one run alone is not
    error = {"type": "ValueError", "message": "Using a target size that is different to the input size", "line": 24}
    calls = [{"id": 1, "kind": "loss", "line": 24, "status": "error", "error": error, "on_made_up_input": True,
              "data_checked": True},
             {"id": 2, "kind": "loss", "line": 30, "status": "error", "error": dict(error, line=30), "on_made_up_input": True,
              "synthesized_input": "it depends on the images the check made up for data/ (not here)"}]
    report = Report(path="train.py", status="errors", message="", calls=calls)
    assert [v.verdict for v in judge([finding("TL208", 24), finding("TL208", 30)], report)] == ["confirmed", "not exercised"]


def test_a_static_analysis_that_cannot_run_is_said_not_hidden(torch_python, text_check, monkeypatch):
    # an installation whose rules do not import (a copy of the package without them): the run's
    # result stands, and the report says that no static finding was judged, instead of none found
    import tensorlint.engine

    def broken(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'tensorlint.rules'")

    monkeypatch.setattr(tensorlint.engine, "analyze", broken)
    report = text_check("import torch\nmodel = torch.nn.Linear(3, 2)\nout = model(torch.randn(4, 3))\n")
    assert report.status == "ok", (report.status, report.message)
    assert report.findings == []
    assert "the static analysis failed (ModuleNotFoundError: No module named 'tensorlint.rules')" in report.to_text()
