"""A softmax over the batch axis of a model's [batch, classes] output raises nothing; the run sees
that the axis it normalizes is the batch of the input it gave the model, and says so at the
softmax's line. A softmax over the classes, over a [batch, batch] similarity output, over a
tensor the model did not make, or over the classes of one squeezed sample says nothing."""
from __future__ import annotations

import pytest

PROGRAM = """\
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Flatten(), nn.Linear(16, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
data = TensorDataset(torch.randn(64, 4, 4), torch.randint(0, 10, (64,)))
loader = DataLoader(data, batch_size=8)

for X, y in loader:
    logits = model(X)
    {line}
    loss = F.nll_loss(log_probs, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
"""

BUGS = [
    "log_probs = F.log_softmax(logits, dim=0)",
    "log_probs = torch.log_softmax(logits.squeeze(), 0)",
    "log_probs = torch.log(torch.softmax(logits.view(8, 10), dim=-2))",
    "log_probs = torch.log(logits.softmax(0))",
]
FINE = [
    "log_probs = F.log_softmax(logits, dim=1)",
    "log_probs = logits.log_softmax(-1)",
    "log_probs = F.log_softmax(logits, dim=1) + 0 * torch.softmax(torch.randn(8, 10), dim=0)",
]


def softmax_findings(report) -> list:
    return [d for d in report.diagnostics() if "the batch axis of the output of" in d.message]


@pytest.mark.parametrize("line", BUGS)
def test_a_softmax_over_the_batch_axis_of_the_output_is_said(torch_python, text_check, line):
    program = PROGRAM.format(line=line)
    report = text_check(program)
    found = softmax_findings(report)
    assert [d.line for d in found] == [13], [(d.line, d.message) for d in report.diagnostics()]
    assert "over dim 0, the batch axis of the output of line 12 ([8, 10])" in found[0].message
    assert report.status == "problems", report.message


@pytest.mark.parametrize("line", FINE)
def test_a_softmax_over_the_classes_says_nothing(torch_python, text_check, line):
    report = text_check(PROGRAM.format(line=line))
    assert softmax_findings(report) == [], [(d.line, d.message) for d in report.diagnostics()]
    assert report.status == "ok", report.message


SIMILARITY = """\
import torch
import torch.nn as nn
import torch.nn.functional as F

class Pairs(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(16, 32)

    def forward(self, a, b):
        return self.embed(a) @ self.embed(b).t()

model = Pairs()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
a, b = torch.randn(8, 16), torch.randn(8, 16)
sims = model(a, b)
log_probs = F.log_softmax(sims, dim=0)
loss = F.nll_loss(log_probs, torch.arange(8))
loss.backward()
optimizer.step()
"""

ONE_SAMPLE = """\
import torch
import torch.nn as nn

model = nn.Linear(16, 10)
sample = torch.randn(16)
logits = model(sample.unsqueeze(0))
probs = torch.softmax(logits.squeeze(), dim=0)
target = torch.zeros(10)
loss = nn.functional.mse_loss(probs, target)
loss.backward()
"""


INSTANCES = """\
import torch
import torch.nn as nn

scorer = nn.Sequential(nn.Linear(16, 8), nn.Tanh(), nn.Linear(8, 1))
classifier = nn.Linear(16, 1)
bag = torch.randn(12, 16)
scores = scorer(bag)
weights = torch.softmax(scores, dim=0)
pooled = (weights * bag).sum(dim=0, keepdim=True)
loss = nn.functional.binary_cross_entropy_with_logits(classifier(pooled), torch.ones(1, 1))
loss.backward()
"""


@pytest.mark.parametrize("program", [SIMILARITY, ONE_SAMPLE, INSTANCES])
def test_a_softmax_over_dim_0_that_is_not_over_the_classes_of_samples_says_nothing(torch_python, text_check, program):
    report = text_check(program)
    assert softmax_findings(report) == [], [(d.line, d.message) for d in report.diagnostics()]
    assert any(c.get("kind") == "forward" and c.get("status") == "ok" for c in report.calls), report.message


KERAS = """\
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input((16,)), tf.keras.layers.Dense(10)])
optimizer = tf.keras.optimizers.SGD(0.1)
loss_fn = tf.keras.losses.SparseCategoricalCrossentropy()
x = tf.random.normal((8, 16))
y = tf.random.uniform((8,), 0, 10, dtype=tf.int32)
with tf.GradientTape() as tape:
    logits = model(x)
    {line}
    loss = loss_fn(y, probs)
grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
"""


@pytest.mark.parametrize("line,said", [
    ("probs = tf.nn.softmax(logits, axis=0)", True),
    ("probs = tf.math.softmax(logits, -2)", True),
    ("probs = tf.exp(tf.nn.log_softmax(logits, axis=0))", True),
    ("probs = tf.nn.softmax(logits)", False),
    ("probs = tf.transpose(tf.nn.softmax(tf.transpose(logits), axis=0))", False),
])
def test_keras_a_softmax_over_the_batch_axis_of_the_output_is_said(tf_python, text_check, line, said):
    report = text_check(KERAS.format(line=line))
    found = softmax_findings(report)
    assert [d.line for d in found] == ([10] if said else []), [(d.line, d.message) for d in report.diagnostics()]
    if said:
        assert "over dim 0, the batch axis of the output of line 9 ([8, 10])" in found[0].message
    assert any(c.get("kind") == "forward" and c.get("status") == "ok" for c in report.calls), report.message


EVALUATED = """\
import torch
import torch.nn as nn

model = nn.Sequential(nn.Flatten(), nn.Linear(16, 10))
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(64, 4, 4)), batch_size=8)
predictions = []
model.eval()
{mode}
    for (X,) in loader:
        logits = model(X)
        predictions.append(torch.softmax(logits.squeeze(), dim={dim}).argmax(dim=1))
loss_fn = nn.CrossEntropyLoss()
print(loss_fn(model(torch.randn(8, 4, 4)), torch.cat(predictions)[:8]))
"""


@pytest.mark.parametrize("mode", ["with torch.inference_mode():", "with torch.no_grad():"])
def test_a_softmax_over_the_batch_axis_made_with_gradients_off(torch_python, text_check, mode):
    found = softmax_findings(text_check(EVALUATED.format(mode=mode, dim=0)))
    assert [d.line for d in found] == [11], found
    assert softmax_findings(text_check(EVALUATED.format(mode=mode, dim=1))) == []
