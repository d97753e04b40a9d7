"""Correct programs the check must not blame: what it replays is what the program runs.

- A PyTorch gradient mode (`with torch.no_grad():`, `torch.inference_mode()`,
  `torch.set_grad_enabled(False)`) is entered during the replay: an output made under it does not
  require grad (`.numpy()` takes it, a plot of it works), a parameter is changed in place under it,
  and a loss computed under it (an evaluation) has no gradients to judge. Outside such a block the
  same `.numpy()` still fails, as it does when the program runs.
- A loss whose targets come from a line the check could not run (a teacher network whose weights
  are a missing file) is not run either: the run has no targets for it, and the program no bug.
- A program that runs as one process of a distributed job (a process group from a launcher, a
  GPU chosen by its rank) cannot run in the check's single process on the CPU: the lines a
  launcher would make work are lines the check could not run, never errors.
"""
from __future__ import annotations

import pytest

GRAD_MODE = """\
import torch
import torch.nn as nn


def summary(predictions):
    return float(predictions.numpy().mean())


torch.manual_seed(0)
x = torch.randn(64, 3)
y = x @ torch.tensor([[1.0], [-2.0], [0.5]])
model = nn.Linear(3, 1)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
{mode}
    model.bias.zero_()
for epoch in range(3):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
model.eval()
{mode}
    preds = model(x)
    loss = loss_fn(preds, y)
summary(preds)
"""

MODES = ["with torch.no_grad():", "with torch.inference_mode():", "with torch.set_grad_enabled(False):"]


def problems(report):
    return [(d.line, d.severity, d.message) for d in report.diagnostics() if d.severity in ("error", "warning")]


@pytest.mark.parametrize("mode", MODES)
def test_outputs_made_with_gradients_off_are_plain_tensors(torch_python, text_check, mode):
    report = text_check(GRAD_MODE.format(mode=mode))
    assert report.status == "ok", (report.status, report.message)
    assert not problems(report), problems(report)
    text = report.to_markdown()
    assert "computed with gradients off" in text, text


def test_the_same_numpy_call_on_an_output_that_requires_grad_still_fails(torch_python, text_check):
    text = GRAD_MODE.format(mode="with torch.no_grad():").replace("    preds = model(x)\n    loss = loss_fn(preds, y)\n",
                                                                   "    loss = loss_fn(model(x), y)\npreds = model(x)\n")
    report = text_check(text)
    found = [(ln, msg) for ln, sev, msg in problems(report) if sev == "error"]
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("summary(preds)"))
    assert any(ln == line and "requires grad" in msg for ln, msg in found), found


TEACHER = """\
import torch
import torch.nn as nn
import torch.nn.functional as F

student = nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 5))
teacher = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 5))
teacher.load_state_dict(torch.load('teacher_weights.pt'))
optimizer = torch.optim.Adam(student.parameters())
criterion = nn.KLDivLoss(reduction='batchmean')


def distill(y, teacher_scores, T):
    return F.kl_div(F.log_softmax(y / T, dim=1), F.softmax(teacher_scores / T, dim=1), reduction='batchmean') * T * T


def train(model, loss_fn):
    for step in range(2):
        data = torch.randn(16, 20)
        optimizer.zero_grad()
        output = model(data)
{teacher_lines}
        loss.backward()
        optimizer.step()


train(student, distill)
"""

TEACHER_WAYS = {
    "detached on its own line": "        teacher_output = teacher(data)\n        teacher_output = teacher_output.detach()\n"
                                "        loss = loss_fn(output, teacher_output, T=4.0)",
    "a keyword argument": "        with torch.no_grad():\n            soft = teacher(data)\n"
                          "        loss = loss_fn(output, teacher_scores=soft, T=2.0)",
    "a loss object": "        soft = F.softmax(teacher(data), dim=1).detach()\n"
                     "        loss = criterion(F.log_softmax(output, dim=1), soft)",
}


@pytest.mark.parametrize("way", list(TEACHER_WAYS))
def test_a_loss_on_a_teacher_that_could_not_be_loaded_is_not_run(torch_python, text_check, way):
    report = text_check(TEACHER.format(teacher_lines=TEACHER_WAYS[way]))
    errors = [(ln, msg) for ln, sev, msg in problems(report) if sev == "error"]
    assert not errors, errors
    assert report.status == "could-not-check" and "teacher_weights.pt" in report.message, report.message
    assert any(c.get("kind") == "forward" and c.get("status") == "ok" and c.get("text") == "model(data)" for c in report.calls)


KERAS_TEACHER = """\
import numpy as np
import tensorflow as tf
from tensorflow import keras

student = keras.Sequential([keras.Input((20,)), keras.layers.Dense(16, activation='relu'), keras.layers.Dense(5)])
teacher = keras.Sequential([keras.Input((20,)), keras.layers.Dense(64, activation='relu'), keras.layers.Dense(5)])
teacher.load_weights('teacher.weights.h5')
kl = keras.losses.KLDivergence()
optimizer = keras.optimizers.Adam()
x = np.random.rand(32, 20).astype('float32')
soft = tf.nn.softmax(teacher(x))
with tf.GradientTape() as tape:
    out = student(x)
    loss = kl(soft, tf.nn.softmax(out))
grads = tape.gradient(loss, student.trainable_variables)
optimizer.apply_gradients(zip(grads, student.trainable_variables))
"""


def test_a_keras_loss_on_a_teacher_that_could_not_be_loaded_is_not_run(tf_python, text_check):
    report = text_check(KERAS_TEACHER)
    errors = [(ln, msg) for ln, sev, msg in problems(report) if sev == "error"]
    assert not errors, errors
    assert "teacher.weights.h5" in report.message, report.message


DISTRIBUTED = {
    "a process group from the environment": """\
import torch
import torch.distributed as dist
import torch.nn as nn

dist.init_process_group(backend='gloo')
rank = dist.get_rank()
model = nn.Linear(10, 2)
model = nn.parallel.DistributedDataParallel(model)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
x, y = torch.randn(8, 10), torch.randint(0, 2, (8,))
loss = nn.functional.cross_entropy(model(x), y)
loss.backward()
optimizer.step()
""",
    "a GPU chosen by the launcher's rank": """\
import argparse
import torch
import torch.distributed as dist
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument('--local_rank', type=int)
args = parser.parse_args()
torch.cuda.set_device(args.local_rank)
dist.init_process_group(backend='nccl', init_method='env://')
model = nn.Linear(10, 2).cuda()
sampler = torch.utils.data.DistributedSampler(torch.utils.data.TensorDataset(torch.randn(40, 10)))
out = model(torch.randn(4, 10).cuda())
""",
}


@pytest.mark.parametrize("way", list(DISTRIBUTED))
def test_a_distributed_program_without_its_launcher_is_not_blamed(torch_python, text_check, way):
    report = text_check(DISTRIBUTED[way], device="cpu")
    errors = [(ln, msg) for ln, sev, msg in problems(report) if sev == "error"]
    assert not errors, errors
    text = report.to_markdown()
    said = "the program selects a GPU, and the check runs on the CPU" if "set_device" in DISTRIBUTED[way] \
        else "a launcher (torchrun) sets up"
    assert said in text and "ERROR" not in text, text


SHADOWED = """\
import torch
import torch.nn as nn

mlp = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))
cnn = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 26 * 26, 10))
loss_fn = nn.CrossEntropyLoss()


def fit_mlp(net, {param}):
    {param} = {param}.view({param}.size(0), -1)
    out = net({param})
    loss = loss_fn(out, labels)
    loss.backward()
    return loss


images = torch.randn(16, 1, 28, 28)
labels = torch.randint(0, 10, (16,))
fit_mlp(mlp, images)
out = cnn({given})
loss_fn(out, labels).backward()
"""


@pytest.mark.parametrize("param", ["images", "x"])
def test_a_followed_function_leaves_the_callers_names_as_they_were(torch_python, text_check, param):
    report = text_check(SHADOWED.format(param=param, given="images"))
    errors = [(ln, msg) for ln, sev, msg in problems(report) if sev == "error"]
    assert not errors, errors
    assert report.status == "ok", report.message
    assert any(c.get("text") == "cnn(images)" and c.get("status") == "ok" for c in report.calls), report.calls


def test_the_cnn_given_flat_images_is_still_an_error(torch_python, text_check):
    report = text_check(SHADOWED.format(param="images", given="images.view(16, -1)"))
    errors = [(ln, msg) for ln, sev, msg in problems(report) if sev == "error"]
    assert errors, report.message
