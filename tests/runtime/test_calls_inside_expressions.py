"""A model called inside a larger expression (`loss = tf.reduce_mean(tf.square(model(x) - y))`,
`loss = ((net(x) - y) ** 2).mean()`) runs as a call of its own, on the program's own input, when
that statement runs: in a training loop, under a GradientTape, the statement that computes the
loss was left out with its call, so the model ran only on an input the check made up. A call that
runs only on a condition (`model(x) if ready else x`, `cached or model(x)`) is not run ahead of it."""
from __future__ import annotations

import pytest

KERAS = """\
import numpy as np
import tensorflow as tf
from tensorflow import keras

model = keras.Sequential([keras.layers.Dense(16, activation="relu"), keras.layers.Dense(3)])
optimizer = keras.optimizers.Adam()
x = np.random.rand(32, 4).astype("float32")
y = np.random.rand(32, {width}).astype("float32")
for step in range(100):
    with tf.GradientTape() as tape:
        {loss}
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
"""

KERAS_LOSSES = [
    "loss = tf.reduce_mean(tf.square(model(x) - y))",
    "loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=model(x)))",
]

TORCH = """\
import torch
import torch.nn as nn

net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
x = torch.randn(32, 4)
y = torch.randn(32, {width})
for step in range(100):
    optimizer.zero_grad()
    {loss}
    loss.backward()
    optimizer.step()
"""

TORCH_LOSSES = [
    "loss = ((net(x) - y) ** 2).mean()",
    "loss = torch.mean(torch.abs(net(x) - y))",
]


def line_of(text: str, start: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith(start))


def errors(report) -> list:
    return [d for d in report.diagnostics() if d.severity == "error"]


@pytest.mark.parametrize("loss", KERAS_LOSSES)
def test_keras_a_loss_on_targets_of_another_width_fails_at_its_line(tf_python, text_check, loss):
    text = KERAS.format(width=2, loss=loss)
    report = text_check(text)
    assert report.status == "errors", report.message
    assert [d.line for d in errors(report)] == [line_of(text, "loss =")], [(d.line, d.message) for d in errors(report)]
    assert any(s in errors(report)[0].message for s in ("Incompatible shapes", "must be broadcastable")), errors(report)[0].message
    call = report.call(line_of(text, "loss ="), "forward")
    assert call is not None and not call.get("synthesized_input"), call
    assert [i["shape"] for i in call["inputs"]] == [[32, 4]]


@pytest.mark.parametrize("loss", KERAS_LOSSES)
def test_keras_the_same_loss_on_targets_of_the_model_s_width_is_ok(tf_python, text_check, loss):
    text = KERAS.format(width=3, loss=loss)
    report = text_check(text)
    assert report.status == "ok", report.message
    call = report.call(line_of(text, "loss ="), "forward")
    assert call is not None and not call.get("synthesized_input"), call


@pytest.mark.parametrize("loss", TORCH_LOSSES)
def test_torch_a_loss_on_targets_of_another_width_fails_at_its_line(torch_python, text_check, loss):
    text = TORCH.format(width=2, loss=loss)
    report = text_check(text)
    assert report.status == "errors", report.message
    assert [d.line for d in errors(report)] == [line_of(text, "loss =")], [(d.line, d.message) for d in errors(report)]
    assert "must match the size of tensor b" in errors(report)[0].message


@pytest.mark.parametrize("loss", TORCH_LOSSES)
def test_torch_the_same_loss_on_targets_of_the_model_s_width_is_ok(torch_python, text_check, loss):
    text = TORCH.format(width=3, loss=loss)
    report = text_check(text)
    assert report.status == "ok", report.message
    call = report.call(line_of(text, "loss ="), "forward")
    assert call is not None and [i["shape"] for i in call["inputs"]] == [[32, 4]], call


CONDITIONAL = """\
import torch
import torch.nn as nn

net = nn.Sequential(nn.Linear(4, 3))
use_net = False
cached = torch.zeros(2, 3)
good = torch.randn(2, 4)
bad = torch.randn(2, 5)
{line}
print(net(good).sum())
"""


@pytest.mark.parametrize("line", ["out = net(bad) if use_net else cached", "out = cached if cached is not None else net(bad)",
                                  "out = use_net and net(bad)", "out = torch.relu(cached) if use_net is False else net(bad).sum()"])
def test_a_call_that_runs_only_on_a_condition_is_not_run_ahead(torch_python, text_check, line):
    report = text_check(CONDITIONAL.format(line=line))
    assert not errors(report), [(d.line, d.message) for d in errors(report)]
    assert report.status == "ok", report.message
