"""Seed examples run on the CPU and on the meta device with PyTorch."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("device", ["cpu", "meta"])
def test_conv_channel_error_is_mapped_to_forward_line_and_call_site(torch_python, seed_check, device):
    report = seed_check("004/ex1", device)
    assert report.status == "errors"
    bad = report.call(17, "forward")
    assert bad["status"] == "error"
    err = bad["error"]
    assert err["line"] == 10 and err["frames"][-1]["function"] == "forward"
    assert "to have 3 channels, but got 1 channels" in err["message"]
    assert err["layer"] == "conv1" and err["layer_type"] == "Conv2d"
    # the corrected call on line 24 runs
    good = report.call(24, "forward")
    assert good["status"] == "ok"
    assert good["output"] == {"shape": [1, 16, 28, 28], "dtype": "float32"}
    assert report.device["torch"] == device
    lines = {(d.line, d.severity) for d in report.diagnostics()}
    assert (10, "error") in lines and (17, "error") in lines


def test_markdown_report_shows_each_fact_of_a_call_on_its_own(torch_python, seed_check):
    markdown = seed_check("004/ex1", "meta").to_markdown()
    section = markdown.split("## line 17:", 1)[1].split("## ", 1)[0].splitlines()
    facts = [line for line in section[1:] if line and not line.startswith("|")]
    assert facts[0].startswith("- error at line 10 (in forward), called from line 17: RuntimeError")
    assert facts[1] == "- failing layer: conv1 (Conv2d)"  # its own list item, not glued to the error
    table = section.index("| layer | type | input | output | dtype | params |")
    assert section[table - 1] == ""  # a table needs a blank line before it


def test_int_input_to_linear_is_a_dtype_error_and_the_float_input_trains(torch_python, seed_check):
    report = seed_check("000/ex1")
    bad = report.call(19, "forward")
    assert bad["status"] == "error" and "Long and Float" in bad["error"]["message"]
    assert report.call(20, "loss")["status"] == "skipped"  # its input, line 19's output, does not exist
    assert report.call(26, "forward")["status"] == "ok"
    loss = report.call(27, "loss")
    assert loss["status"] == "ok" and loss["value"] is not None
    assert loss["gradients"]["no_grad"] == [] and loss["gradients"]["parameters"] == 2
    assert loss["target_check"]["done"] and not loss["target_check"]["unchanged"]


def test_float64_input_to_float32_model_is_a_dtype_error(torch_python, seed_check):
    report = seed_check("004/ex3")
    assert report.call(9, "forward")["status"] == "ok"
    bad = report.call(10, "forward")
    assert bad["status"] == "error" and "Double and Float" in bad["error"]["message"]
    assert report.call(18, "forward")["status"] == "ok"


def test_int_input_is_caught_on_the_meta_device_too(torch_python, seed_check):
    report = seed_check("000/ex1", "meta")
    bad = report.call(19, "forward")
    assert bad["status"] == "error" and "int64" in bad["error"]["message"]
    assert report.call(26, "forward")["status"] == "ok"


def test_mse_batch_size_mismatch_fails_in_the_loss_and_the_corrected_pair_runs_backward(torch_python, seed_check):
    report = seed_check("004/ex2")
    assert report.call(12, "forward")["status"] == "ok"
    bad = report.call(13, "loss")
    assert bad["status"] == "error"
    assert "size of tensor a (5) must match the size of tensor b (10)" in bad["error"]["message"]
    good = report.call(24, "loss")
    assert good["status"] == "ok"
    assert good["gradients"] == {"parameters": 2, "no_grad": [], "nonfinite": [], "zero": []}


def test_loss_that_ignores_labels_is_caught(torch_python, seed_check):
    report = seed_check("002/ex1")
    loss = report.call(23, "loss")  # inside the training loop, which never iterates
    assert loss["status"] == "ok"
    assert loss["target_check"]["done"] and loss["target_check"]["unchanged"]
    assert loss["lines"] == [9, 10]  # the loss function's definition
    assert report.status == "problems"
    assert any(d.line == 23 and d.kind == "loss" for d in report.diagnostics())


def test_static_findings_are_judged(torch_python, seed_check):
    report = seed_check("000/ex1")
    verdicts = {(v.code, v.line): v.verdict for v in report.findings}
    assert verdicts.get(("TL101", 19)) == "confirmed"
