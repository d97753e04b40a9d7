"""Keras examples (each run imports tensorflow, about 5 s: keep these few)."""
from __future__ import annotations


def test_custom_layer_that_ignores_its_input_is_caught(tf_python, seed_check):
    report = seed_check("001/ex3")
    # the example forgets `import numpy as np`: its data lines fail and are reported
    assert {e["line"] for e in report.setup_errors} == {28, 29}
    fit = report.call(32, "forward")
    assert fit["method"] == "fit" and fit["synthesized_input"]
    probes = [p for c in report.calls for p in c.get("probes", [])]
    assert [(p["type"], p["lines"], p["unchanged"]) for p in probes] == [("MyCustomLayer", [9, 11], True)]
    assert any(d.line == 9 and d.kind == "layer" for d in report.diagnostics())


def test_fit_with_wrong_input_width_fails_and_the_right_one_runs_with_loss_and_gradients(tf_python, seed_check):
    report = seed_check("000/ex2")
    bad = report.call(17, "forward")
    assert bad["status"] == "error"
    assert "expected axis -1 of input shape to have value 5" in bad["error"]["summary"]
    good = report.call(22, "forward")
    assert good["status"] == "ok" and good["output"]["shape"] == [1, 10]
    assert [r["type"] for r in good["layers"]] == ["Sequential", "Dense"]
    assert good["layers"][1]["params"] == 60
    loss = report.call(22, "loss")
    assert loss["status"] == "ok" and loss["gradients"]["no_grad"] == []
