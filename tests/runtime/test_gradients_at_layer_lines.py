"""Parameters that get no gradient, or an all-zero one, from the loss a program back-propagates
are reported at the line that made them (their layer's construction, or the program's own
`nn.Parameter(...)`), beside the count at the loss's line. Layers of a model defined in another
file have no line of the program and are reported at the loss's line only."""
from __future__ import annotations

MODEL = """\
import torch
import torch.nn as nn


class DurationPredictor(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(4, 8)
        self.head = nn.Linear(8, 1)
        self.aux = nn.Linear(8, 3)
        self.scale = nn.Parameter(torch.ones(1))

    def forward(self, x):
        h = torch.relu(self.body(x))
        return {output}


net = DurationPredictor()
opt = torch.optim.SGD(net.parameters(), lr=0.1)
x = torch.randn(8, 4)
y = torch.rand(8, 1) * 5
for _ in range(3):
    opt.zero_grad()
    out = net(x)
    loss = nn.functional.l1_loss(out, y)
    loss.backward()
    opt.step()
"""


def line_of(text: str, start: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith(start))


def gradient_lines(report) -> dict[int, str]:
    return {d.line: d.message for d in report.diagnostics() if d.kind == "gradient"}


def test_unused_layers_and_a_detached_parameter_are_reported_where_they_are_made(torch_python, text_check):
    text = MODEL.format(output="self.head(h) * self.scale.detach()")
    report = text_check(text)
    assert report.status == "problems", report.message
    found = gradient_lines(report)
    loss = line_of(text, "loss =")
    assert set(found) == {line_of(text, "self.aux ="), line_of(text, "self.scale ="), loss}, found
    assert found[line_of(text, "self.aux =")].startswith("aux.weight, aux.bias, made here, get no gradient"), found
    assert f"from the loss at line {loss}" in found[line_of(text, "self.scale =")]


def test_layers_behind_a_rounding_get_an_all_zero_gradient_at_their_lines(torch_python, text_check):
    text = MODEL.format(output="torch.ceil(self.head(h)) + self.aux(h).sum(1, keepdim=True) * self.scale")
    report = text_check(text)
    found = gradient_lines(report)
    assert found.get(line_of(text, "self.head =")) and "all-zero gradient" in found[line_of(text, "self.head =")], found
    assert line_of(text, "self.aux =") not in found and line_of(text, "self.scale =") not in found, found
    # the body reaches the loss through aux as well: it learns
    assert line_of(text, "self.body =") not in found, found


def test_a_model_whose_every_parameter_learns_has_no_gradient_finding(torch_python, text_check):
    text = MODEL.format(output="self.head(h) * self.scale + self.aux(h).mean(1, keepdim=True)")
    report = text_check(text)
    assert report.status == "ok", report.message
    assert not gradient_lines(report)


def test_layers_made_in_another_file_are_reported_at_the_loss_line_only(torch_python, tmp_path, text_check):
    model = MODEL.split("\n\n\nnet =")[0].format(output="self.head(h)")
    (tmp_path / "models.py").write_text(model, encoding="utf-8")
    text = "import torch\nimport torch.nn as nn\nfrom models import DurationPredictor\n\nnet =" + MODEL.split("\n\n\nnet =")[1]
    report = text_check(text)
    found = gradient_lines(report)
    assert list(found) == [line_of(text, "loss =")], found
    assert "aux.weight" in found[line_of(text, "loss =")]


KERAS = """\
import numpy as np
import tensorflow as tf
from tensorflow import keras


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.body = keras.layers.Dense(8, activation="relu")
        self.side = keras.layers.Dense(1)
        self.head = keras.layers.Dense(1)

    def call(self, x):
        h = self.body(x)
        return self.head(h) + {side}


model = Net()
optimizer = keras.optimizers.Adam()
loss_fn = keras.losses.MeanSquaredError()
x = np.random.rand(32, 4).astype("float32")
y = np.random.rand(32, 1).astype("float32")
for step in range(10):
    with tf.GradientTape() as tape:
        out = model(x)
        loss = loss_fn(y, out)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
"""


def test_keras_a_layer_behind_stop_gradient_is_reported_where_it_is_made(tf_python, text_check):
    text = KERAS.format(side="tf.stop_gradient(self.side(h))")
    report = text_check(text)
    found = gradient_lines(report)
    assert set(found) == {line_of(text, "self.side ="), line_of(text, "loss =")}, found
    assert "/kernel" in found[line_of(text, "self.side =")] and "get no gradient" in found[line_of(text, "self.side =")]
    report = text_check(KERAS.format(side="self.side(h)"))
    assert report.status == "ok" and not gradient_lines(report), report.message
