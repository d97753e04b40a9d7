"""Calls inside calls are call sites (`criterion(model(x), y)`, `model(x).squeeze(1)`), and what
is computed from an input the check made up is never the program's error. Also: statements the
replay leaves out for their side effects leave what they would have built partly made."""
from __future__ import annotations

from tensorlint.runtime.slicer import slice_source

from test_real_programs_torch import NESTED  # criterion(model(x), y) at line 8, 5 samples and 4 targets


def errors(report):
    return [d for d in report.diagnostics() if d.severity == "error" and d.kind in ("error", "user-setup")]


def test_slice_runs_the_inner_model_call_first_and_the_loss_reads_its_value():
    units = slice_source(NESTED).units
    calls = [u for u in units if u.kind == "call"]
    assert [(c.line, c.call.text) for c in calls] == [(8, "model(x)"), (8, "criterion(model(x), y)"), (9, "model(x)")]
    inner, outer = calls[:2]
    assert inner.call.target == outer.call.args[0].code
    assert outer.call.args[1].code == "y"
    assert outer.display == "loss = criterion(model(x), y)"


def test_nested_model_call_runs_on_the_programs_input_and_the_loss_fails_there(torch_python, text_check):
    report = text_check(NESTED)
    assert report.status == "errors"
    forward = report.call(8, "forward")
    assert forward["status"] == "ok" and not forward.get("synthesized_input")
    assert forward["layers"][0]["input"]["shape"] == [5, 8]
    loss = report.call(8, "loss")
    assert loss["status"] == "error"
    assert [d.line for d in errors(report)] == [8]
    assert "batch_size (5) to match target batch_size (4)" in errors(report)[0].message
    assert report.call(9, "forward")["status"] == "ok"  # model(x).squeeze(1).sum()


NESTED_OK = """\
import torch
import torch.nn as nn
import torch.nn.functional as F

model = nn.Linear(10, 3)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(4, 10)
y = torch.randint(0, 3, (4,))
for step in range(3):
    loss = F.cross_entropy(input=model(x).squeeze(1), target=y)
    opt.zero_grad()
    loss.backward()
first = model(x)[0]
later = lambda: model(torch.randn(9, 2))
"""


def test_keyword_and_chained_nested_calls_are_checked_and_a_lambda_is_left_alone(torch_python, text_check):
    report = text_check(NESTED_OK)
    assert report.status == "ok", report.message
    loss = report.call(10, "loss")
    assert loss["status"] == "ok"
    assert loss["gradients"]["parameters"] == 2 and loss["gradients"]["no_grad"] == []
    assert report.call(10, "forward")["layers"][0]["input"]["shape"] == [4, 10]
    assert report.call(13, "forward")["status"] == "ok"
    assert report.call(14) is None  # the lambda's body is not run where it is written


MADE_UP_LOSS = """\
import torch
import torch.nn as nn
import a_module_nobody_has

model = nn.Linear(10, 3)
criterion = nn.CrossEntropyLoss()
x = a_module_nobody_has.load()
y = torch.randint(0, 3, (64,))
out = model(x)
loss = criterion(out, y)
"""


def test_a_loss_on_the_output_of_a_made_up_input_is_not_the_programs_error(torch_python, text_check):
    report = text_check(MADE_UP_LOSS)
    assert report.status == "could-not-check", report.message
    assert errors(report) == []
    assert "a_module_nobody_has" in report.message


KERAS_CHAIN = """\
import tensorflow as tf
from tensorflow import keras
import a_hub_nobody_has

inputs = keras.layers.Input(shape=(4,))
embedded = a_hub_nobody_has.Layer()(inputs)
x = keras.layers.Dense(8)(embedded)
outputs = keras.layers.Dense(2)(x)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(loss="mse", optimizer="adam")
"""


def test_layers_stacked_on_a_made_up_input_do_not_make_a_program_error(tf_python, text_check):
    # Dense(2) ran on Dense(8)'s output for a made-up input: an eager tensor, which keras.Model
    # refuses ("must be KerasTensors"); that is the check's doing, not the program's
    report = text_check(KERAS_CHAIN)
    assert errors(report) == [], [d.message for d in errors(report)]
    assert report.status == "could-not-check"
    assert report.call(8, "forward").get("synthesized_input", "").startswith("computed from `x`")


LEFT_OUT = """\
import os
import numpy as np
import torch
import torch.nn as nn

labels = []
for name in sorted(os.listdir("data")):
    labels.append(int(name))
    print(name)
    np.save("seen.npy", labels)
targets = torch.tensor(labels).max()
model = nn.Linear(3, int(targets) + 1)
out = model(torch.randn(2, 3))
"""


def test_what_a_left_out_loop_builds_is_partly_made_not_the_programs_error(torch_python, text_check):
    units = slice_source(LEFT_OUT).units
    assert [u.kind for u in units if u.line == 7] == ["omit"]
    assert [u.modifies for u in units if u.line == 7] == [["labels"]]
    report = text_check(LEFT_OUT)
    assert errors(report) == [], [d.message for d in errors(report)]
    assert report.status == "could-not-check"
    assert "line 7, which changes it, was not replayed" in str(report.setup_errors)


READ_LOOP = """\
import numpy as np
import torch
import torch.nn as nn

rows = []
for name in ["a.txt", "b.txt"]:
    with open(name) as f:
        rows.append([float(v) for v in f.read().split()])
x = torch.tensor(np.array(rows), dtype=torch.float32)
model = nn.Linear(3, 1)
out = model(x)
"""


def test_a_loop_that_only_reads_files_is_replayed_and_says_which_file_it_lacks(torch_python, text_check):
    report = text_check(READ_LOOP)
    assert errors(report) == []
    assert report.status == "could-not-check"
    assert "a.txt" in report.message


METRIC = """\
import torch
import torch.nn as nn


def score(out, y):
    return out.mean() + 0 * y.float().mean().detach()


model = nn.Linear(10, 3)
criterion = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(4, 10)
y = torch.tensor([0, 2, 1, 2])  # fixed labels: random ones are all 0 one time in 81, and no change of them stays a label
for step in range(3):
    out = model(x)
    loss = {loss}
    opt.zero_grad()
    {backward}
    opt.step()
    acc = (out.argmax(1) == y).float().mean()
    extra = score(out, y)
"""


def test_a_metric_the_program_never_differentiates_is_no_gradient_or_target_finding(torch_python, text_check):
    program = METRIC.format(loss="criterion(out, y)", backward="loss.backward()")
    sites = {u.line: u.call for u in slice_source(program).units[-1].body if u.kind == "call"}
    assert sites[16].differentiated is True and sites[21].differentiated is False
    report = text_check(program)
    assert report.status == "ok", report.message
    assert report.call(21, "loss")["metric"] is True


def test_the_same_function_as_the_differentiated_loss_is_still_judged(torch_python, text_check):
    # score() ignores its targets: once it is what backward() runs on, that is a finding
    report = text_check(METRIC.format(loss="score(out, y)", backward="(loss + 0).backward()"))
    assert report.status == "problems", report.message
    assert any(d.line == 16 and "does not change when the targets change" in d.message for d in report.diagnostics())


def test_an_evaluation_loss_on_the_models_own_predictions_is_still_reported(torch_python, text_check):
    # the test loss is never differentiated, but targets taken from the predictions are a bug there too
    program = METRIC.format(loss="criterion(out, y)", backward="loss.backward()") + \
        "    pred = out.argmax(1)\n    test_loss = criterion(out, pred)\n"
    report = text_check(program)
    assert report.status == "problems", report.message
    assert report.call(23, "loss")["metric"] is True
    assert [d.line for d in report.diagnostics() if d.kind == "loss"] == [23]


LOOP_OVER_A_MISSING_FILE = """\
import torch
import torch.nn as nn

model = nn.Linear(3, 1)
losses = []
with open("runs.txt") as f:
    for line in f:
        x = torch.tensor([[float(v) for v in line.split()]])
        losses.append(model(x).sum())
total = torch.stack(losses).sum()
"""


def test_what_a_loop_that_could_not_start_leaves_is_blamed_on_the_file_it_lacks(torch_python, text_check):
    report = text_check(LOOP_OVER_A_MISSING_FILE)
    assert errors(report) == []
    assert report.status == "could-not-check"
    # the model then ran only on an input the check guessed: that does not make the program "ok"
    assert "could not check: line 6 `with open(\"runs.txt\") as f` failed" in report.message, report.message


DEAD_RELU = """\
import numpy as np
import pandas as pd
from tensorflow import keras

frame = pd.read_csv("data.csv")
x = {x}
y = {y}
model = keras.Sequential([keras.Input(shape=(4,)),
                          keras.layers.Dense(3, activation="relu", bias_initializer=keras.initializers.Constant(-1e6)),
                          keras.layers.Dense(1)])
model.compile(loss="mse", optimizer="sgd")
model.fit(x, y, epochs=1)
"""


def test_gradients_of_a_loss_on_a_made_up_input_are_not_the_programs_problem(tf_python, text_check):
    # the values are the check's: an all-zero gradient there says nothing of the program's data
    for x, y in (("frame.values[:, :4]", "frame.values[:, 4]"), ("np.asarray(frame)[:, :4]", "np.random.rand(16)")):
        report = text_check(DEAD_RELU.format(x=x, y=y))
        assert report.status == "could-not-check", (x, report.message)
        assert not [d for d in report.diagnostics() if d.kind == "gradient"], x


def test_the_same_dead_layer_on_the_programs_own_data_is_a_problem(tf_python, text_check):
    report = text_check(DEAD_RELU.format(x="np.random.rand(16, 4)", y="np.random.rand(16)"))
    assert report.status == "problems", report.message
    assert any("all-zero gradient" in d.message for d in report.diagnostics() if d.kind == "gradient")
