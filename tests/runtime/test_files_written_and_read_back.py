"""A file the program writes and then reads back: a checkpoint, a pickle, a saved Keras model.

The check runs the program in a read-only file system; its own folder takes writes into a private
copy that goes away with the check. The slice keeps a write (a save, a dump) when a later statement
reads the same file, so that the read finds what the program wrote and the model after it runs;
a write nothing reads stays left out, and without the private copy (the process-tree sandbox) no
write is replayed: the read says which file is missing, and the user's folder is left as it was.
"""
from __future__ import annotations

import pytest

from tensorlint.runtime.slicer import slice_source

TOP_LEVEL = """\
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        return self.fc(x)


model = Net()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
loss = model(torch.randn(16, 8)).pow(2).mean()
opt.zero_grad()
loss.backward()
opt.step()
torch.save(model.state_dict(), "weights.pth")

loaded = Net()
loaded.load_state_dict(torch.load("weights.pth"))
out = loaded(torch.randn(16, {width}))
"""

BEST_IN_LOOP = """\
import os
import torch
import torch.nn as nn

CKPT = os.path.join("checkpoints", "best.pt")
os.makedirs("checkpoints", exist_ok=True)

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 3))
opt = torch.optim.Adam(model.parameters())
loss_fn = nn.CrossEntropyLoss()
best = float("inf")
for epoch in range(5):
    x = torch.randn(8, 10)
    y = torch.randint(0, 3, (8,))
    loss = loss_fn(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if loss.item() < best:
        best = loss.item()
        torch.save(model.state_dict(), CKPT)

model.load_state_dict(torch.load(CKPT))
test_x = torch.randn(4, {width})
print(model(test_x).argmax(1))
"""

PICKLED = """\
import pickle
import numpy as np
import torch
import torch.nn as nn

features = np.random.rand(20, 5).astype("float32")
pickle.dump(features, open("features.pkl", "wb"))
np.save("labels.npy", np.zeros(20, dtype="int64"))

with open("features.pkl", "rb") as f:
    loaded = pickle.load(f)
labels = np.load("labels.npy")

net = nn.Linear({width}, 2)
out = net(torch.from_numpy(loaded))
loss = nn.functional.cross_entropy(out, torch.from_numpy(labels))
"""

KERAS_SAVED = """\
import numpy as np
from tensorflow import keras

model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(4), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(32, 8), np.random.rand(32, 1), epochs=1, verbose=0)
model.save("trained.keras")

restored = keras.models.load_model("trained.keras")
restored.predict(np.random.rand(5, {width}))
"""


def line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


def errors(report) -> list:
    return [d for d in report.diagnostics() if d.severity == "error"]


def folder_after(tmp_path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir())


@pytest.mark.parametrize("program, call", [(TOP_LEVEL, "out = loaded("), (BEST_IN_LOOP, "print(model(test_x)"),
                                           (PICKLED, "out = net(")], ids=["top-level", "best-in-loop", "pickle-and-npy"])
def test_a_file_written_then_read_lets_the_model_after_it_run(torch_python, text_check, tmp_path, program, call):
    text = program.format(width=6)
    report = text_check(text, sandbox="namespaces", device="cpu", static=False)
    assert report.status == "errors", report.message
    assert line_of(text, call) in [d.line for d in errors(report)], report.to_text()
    assert all("6" in d.message and "Read-only" not in d.message for d in errors(report))
    assert "went to a copy" in report.to_text()
    assert folder_after(tmp_path) == ["user.py"]  # the program's folder is as it was


@pytest.mark.parametrize("program, width", [(TOP_LEVEL, 8), (BEST_IN_LOOP, 10), (PICKLED, 5)],
                         ids=["top-level", "best-in-loop", "pickle-and-npy"])
def test_the_correct_program_runs_through_with_no_error(torch_python, text_check, tmp_path, program, width):
    report = text_check(program.format(width=width), sandbox="namespaces", device="cpu", static=False)
    assert report.status == "ok", report.message
    assert not errors(report)
    assert folder_after(tmp_path) == ["user.py"]


def test_a_saved_keras_model_loaded_back(tf_python, text_check, tmp_path):
    text = KERAS_SAVED.format(width=9)
    report = text_check(text, sandbox="namespaces", device="cpu", static=False)
    assert report.status == "errors", report.message
    assert line_of(text, "restored.predict") in [d.line for d in errors(report)], report.to_text()
    assert all("9" in d.message for d in errors(report))
    assert folder_after(tmp_path) == ["user.py"]


def test_without_a_private_copy_the_write_is_left_out_and_the_read_says_so(torch_python, text_check, tmp_path):
    report = text_check(TOP_LEVEL.format(width=6), sandbox="process-tree", device="cpu", static=False)
    assert report.status == "could-not-check", report.message
    assert "weights.pth" in report.message and "not here" in report.message
    assert folder_after(tmp_path) == ["user.py"]  # the check wrote nothing into the user's folder


def test_a_write_outside_the_programs_folder_is_not_blamed(torch_python, text_check, tmp_path):
    text = TOP_LEVEL.format(width=6).replace('"weights.pth"', '"../elsewhere/weights.pth"')
    report = text_check(text, sandbox="namespaces", device="cpu", static=False)
    assert report.status == "could-not-check", report.message
    assert not errors(report)


def kept_writes(text: str) -> list[int]:
    def walk(units):
        for u in units:
            yield from ([u.line] if u.writes_files else [])
            yield from walk(u.body)
    return list(walk(slice_source(text).units))


def test_only_writes_a_later_line_reads_are_replayed():
    text = TOP_LEVEL.format(width=8)
    assert kept_writes(text) == [line_of(text, "torch.save")]
    # nothing reads the checkpoint: left out, as any save
    unread = text.replace('loaded.load_state_dict(torch.load("weights.pth"))\n', "")
    assert kept_writes(unread) == []
    # another file is read: the save is not its write
    other = text.replace('torch.load("weights.pth")', 'torch.load("pretrained.pth")')
    assert kept_writes(other) == []
    text = BEST_IN_LOOP.format(width=10)
    assert kept_writes(text) == [line_of(text, "os.makedirs"), line_of(text, "if loss.item() < best")]
