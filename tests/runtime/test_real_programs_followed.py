"""The shape check follows real programs further: training loops in methods of the file's classes,
a function redefined later in a notebook, torchvision's transforms as strict as the library's,
and progress bars that are stand-ins without taking the blame for the program's errors."""
from __future__ import annotations

import subprocess

import pytest

TRAINER = """\
import torch
import torch.nn as nn


class Trainer:
    def __init__(self, model):
        self.model = model
        self.criterion = nn.CrossEntropyLoss()

    def train(self, loader, epochs):
        for epoch in range(epochs):
            for x, y in loader:
                out = self.model(x)
                loss = self.criterion(out, y)
                loss.backward()


model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear({hidden}, 3))
loader = [(torch.randn(4, 10), torch.randint(0, 3, (4,)))] * 1000
trainer = Trainer(model)
trainer.train(loader, epochs=100000)
"""


def test_a_training_loop_in_a_method_is_followed_one_step(torch_python, text_check):
    # the method's loop is not run through (100000 epochs): one step, at the method's own lines
    report = text_check(TRAINER.format(hidden=8))
    assert report.status == "errors"
    assert report.call(13, "forward")["error"]["type"] == "RuntimeError"
    report = text_check(TRAINER.format(hidden=16))
    assert report.status == "ok", report.message
    assert report.call(14, "loss")["gradients"]["no_grad"] == []


REDEFINED = """\
import torch
import torch.nn as nn


def evaluate(model, x):
    out = model(x)
    return out


model = nn.Linear(4, 2)
first = evaluate(model, torch.randn(3, 4))

device = "cpu"


def evaluate(model, x, device=device):
    out = model(x.to(device))
    return out


second = evaluate(model, torch.randn(3, {features}))
"""


def test_a_function_redefined_later_is_called_as_defined_where_the_call_is(torch_python, text_check):
    # the first call is made before `device` exists: it must run the first definition
    report = text_check(REDEFINED.format(features=4))
    assert report.status == "ok", report.message
    assert [c["line"] for c in report.calls if c["kind"] == "forward"] == [6, 17]
    report = text_check(REDEFINED.format(features=5))
    assert report.status == "errors"
    assert report.call(6, "forward")["status"] == "ok"
    assert report.call(17, "forward")["status"] == "error"


NORMALIZE = """\
import torch
import torch.nn as nn
from torchvision import datasets, transforms

transform = transforms.Compose([transforms.ToTensor(),
                                transforms.Normalize({means}, {means})])
trainset = datasets.FashionMNIST("~/data", download=True, train=True, transform=transform)
loader = torch.utils.data.DataLoader(trainset, batch_size=8, shuffle=True)
model = nn.Linear(784, 10)
images, labels = next(iter(loader))
out = model(images.view(images.shape[0], -1))
"""


def test_normalize_with_more_channel_means_than_the_images_have_fails_at_the_transform(torch_python, text_check):
    if subprocess.run([torch_python, "-c", "import torchvision"], capture_output=True).returncode == 0:
        pytest.skip("this interpreter has torchvision: its FashionMNIST would need the network")
    report = text_check(NORMALIZE.format(means="(0.5, 0.5, 0.5)"))
    assert report.status == "errors"
    errors = {d.line: d.message for d in report.diagnostics() if d.severity == "error"}
    # the transform made at line 6 fails on one-channel images, when line 10 reads a batch
    assert "doesn't match the broadcast shape [3, 28, 28]" in errors[6] and "when line 10 ran" in errors[6]
    assert 10 in errors
    report = text_check(NORMALIZE.format(means="(0.5,)"))
    assert report.status == "ok", report.message
    assert report.call(11, "forward")["inputs"] == [{"shape": [8, 784], "dtype": "float32"}]


PROGRESS = """\
import torch
import tqdm
import matplotlib.pyplot as plt


def train(model, batches):
    for x in tqdm.tqdm(batches):
        out = model(x)


def show(values):
    fig, ax = plt.subplots(1, 2)


model = torch.nn.Linear(3, 2)
train(model, [torch.randn(4, {features})])
show([1, 2])
"""


def test_a_progress_bar_stand_in_does_not_take_the_blame_for_the_programs_error(torch_python, text_check):
    if subprocess.run([torch_python, "-c", "import tqdm"], capture_output=True).returncode == 0:
        pytest.skip("this interpreter has tqdm")
    report = text_check(PROGRESS.format(features=5))
    assert report.status == "errors"
    assert report.call(8, "forward")["status"] == "error"
    report = text_check(PROGRESS.format(features=3))
    # an empty figure unpacked into two axes fails because of the stand-in: not the program's error
    assert report.call(8, "forward")["status"] == "ok"
    assert not [d for d in report.diagnostics() if d.severity == "error"], report.diagnostics()


TF1_METHOD = """\
import numpy as np
import tensorflow as tf


class Net:
    def __init__(self, batch_norm):
        self.batch_norm = batch_norm
        self.inputs = tf.placeholder(tf.float32, [None, 784])
        self.logits = tf.layers.dense(self.inputs, 10)

    def train(self, session, steps):
        labels = tf.placeholder(tf.float32, [None, 10])
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=self.logits))
        if self.batch_norm:
            train_step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        else:
            train_step = tf.train.AdamOptimizer(0.1).minimize(loss)
        for i in range(steps):
            xs, ys = np.random.rand(60, {size}), np.eye(10)[np.random.randint(0, 10, 60)]
            session.run(train_step, feed_dict={{self.inputs: xs, labels: ys}})


net = Net(False)
with tf.Session() as sess:
    tf.global_variables_initializer().run()
    net.train(sess, 100000)
"""


def test_tf1_step_in_a_method_with_the_train_op_built_under_an_if(tf_python, text_check):
    report = text_check(TF1_METHOD.format(size="28, 28"))
    assert report.status == "errors"
    assert "Cannot feed value of shape (60, 28, 28)" in report.call(20, "forward")["error"]["message"]
    report = text_check(TF1_METHOD.format(size=784))
    assert report.status == "ok", report.message
    assert report.call(20, "forward")["status"] == "ok"


EMBEDDING = """\
import numpy as np
from tensorflow import keras

x = {data}
y = np.random.randint(0, 2, size=(64,))
model = keras.Sequential([
    keras.Input(shape=(10,)),
    keras.layers.Embedding(50, 8),
    keras.layers.GlobalAveragePooling1D(),
    keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=3)
"""


def test_an_embedding_given_fractional_features_is_shown_at_the_layers_line(tf_python, text_check):
    report = text_check(EMBEDDING.format(data="np.random.rand(64, 10)"))  # normalized features, not ids
    assert report.status == "problems"
    found = [d for d in report.diagnostics() if d.kind == "layer"]
    assert [d.line for d in found] == [8] and "not whole numbers when line 13 runs" in found[0].message
    # ids stored as floats are still whole numbers: nothing to say
    report = text_check(EMBEDDING.format(data='np.random.randint(0, 50, size=(64, 10)).astype("float32")'))
    assert report.status == "ok", report.message
    # the data is missing: the input the check makes up says nothing of the program's ids
    report = text_check(EMBEDDING.format(data='np.load("missing.npy")'))
    assert report.status == "could-not-check" and not [d for d in report.diagnostics() if d.kind == "layer"]


OWN_PREDICTIONS = """\
import torch
import torch.nn as nn

model = nn.Linear(4, 3)
loss_fn = nn.CrossEntropyLoss()
x, y = torch.randn(16, 4), torch.randint(0, 3, (16,))
for epoch in range(100):
    with torch.inference_mode():
        logits = model(x)
        pred = torch.softmax(logits, dim=1).argmax(dim=1)
        loss = loss_fn(logits, {target})
"""


def test_a_loss_against_the_models_own_predictions_is_a_problem(torch_python, text_check):
    report = text_check(OWN_PREDICTIONS.format(target="pred"))
    assert report.status == "problems"
    assert [(d.line, d.kind) for d in report.diagnostics()] == [(11, "loss")]
    assert "the model's own predictions at line 9" in report.diagnostics()[0].message
    # the labels, or targets made from the output's shape only (a GAN's all-ones labels): silent
    for target in ("y", "torch.ones_like(logits)[:, 0].long()", "torch.zeros(logits.shape[0], dtype=torch.long)"):
        report = text_check(OWN_PREDICTIONS.format(target=target))
        assert report.status == "ok", (target, report.message)


UNBUILT = """\
import numpy as np
from tensorflow import keras

model = keras.Sequential([keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
x = np.loadtxt("missing.csv", delimiter=",")
model.fit(x, np.zeros(len(x)), epochs=5)
features = np.random.rand(16, 3)
pred = model.predict(features)
"""


def test_a_model_built_by_a_made_up_input_failing_on_the_programs_data_is_not_the_programs_error(tf_python, text_check):
    # the data of line 7 is missing: the made-up input builds the model for its own width, and the
    # program's 3-feature data at line 9 then fails on it: the check's doing, not the program's
    report = text_check(UNBUILT)
    assert report.call(7, "forward")["synthesized_input"]
    late = report.call(9, "forward")
    assert late["status"] == "error" and "built at line 7 for an input the check made up" in late["synthesized_input"]
    assert report.status == "could-not-check" and "missing.csv" in report.message
    assert not [d for d in report.diagnostics() if d.severity == "error"]


FAILED_CALL = """\
import torch

x = torch.randn(4, 3)
show_batch(x[:, 0], title="first feature")
model = torch.nn.Linear(3, 2)
out = model(x)
"""


def test_a_failed_call_leaves_its_arguments_usable(torch_python, text_check):
    # show_batch is not defined: the line is not run, but it did not change x
    report = text_check(FAILED_CALL)
    forward = report.call(6, "forward")
    assert forward["status"] == "ok" and not forward.get("synthesized_input")
    assert forward["inputs"] == [{"shape": [4, 3], "dtype": "float32"}]


TF_OP_ON_INPUT = """\
import tensorflow as tf
from tensorflow import keras

inputs = keras.layers.Input(shape=[4])
scaled = tf.math.multiply(inputs, 2.0)
outputs = keras.layers.Dense(2)(scaled)
model = keras.Model(inputs, outputs)
"""


def test_a_tensorflow_function_on_a_symbolic_keras_input_is_a_keras_3_change_not_the_programs_error(tf_python, text_check):
    # Keras 2 wrapped tf.math.multiply(inputs, 2.0) in a layer; Keras 3 refuses it: the check could not follow
    report = text_check(TF_OP_ON_INPUT)
    assert report.setup_errors and report.setup_errors[0]["line"] == 5 and report.setup_errors[0]["blame"] == "check"
    assert not [d for d in report.diagnostics() if d.severity == "error"]


SAVED_AND_RELOADED = """\
import numpy as np
from tensorflow import keras

model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(16, 3), np.random.rand(16), epochs=2)
model.save("trained.keras")
reloaded = keras.models.load_model("trained.keras")
out = reloaded.predict(np.random.rand(4, 3))
"""


def test_a_file_the_program_saved_in_a_step_the_check_leaves_out_is_not_the_programs_error(tf_python, text_check):
    # without the private copy of the program's folder (the process-tree sandbox) model.save() is
    # not replayed: load_model's ValueError("File not found") is the check's gap (with the copy the
    # save is replayed and the load works: tests/runtime/test_files_written_and_read_back.py)
    report = text_check(SAVED_AND_RELOADED, sandbox="process-tree")
    assert report.call(6, "forward")["status"] == "ok"
    assert [e["blame"] for e in report.setup_errors if e["line"] == 8] == ["check"]
    assert not [d for d in report.diagnostics() if d.severity == "error"]


ON_THE_SPOT = """\
import torch
from torch.hub import tqdm


class Trainer:
    def __init__(self, model, batches):
        self.model, self.batches = model, batches

    def fit(self):
        bar = tqdm(self.batches, desc="train")
        for x, y in bar:
            loss = torch.nn.functional.mse_loss(self.model(x), y)
            loss.backward()
            bar.set_postfix(loss=loss.item())


def main():
    model = torch.nn.Sequential(torch.nn.Linear(6, 8), torch.nn.ReLU(), torch.nn.Linear({features}, 1))
    batches = [(torch.randn(4, 6), torch.randn(4, 1))]
    Trainer(model, batches).fit()


if __name__ == "__main__":
    main()
"""


def test_a_method_called_on_an_instance_made_on_the_spot_is_followed(torch_python, text_check):
    # `Trainer(model, batches).fit()`: the loop in fit() runs on the program's batches, through
    # torch.hub's progress bar (a stand-in that iterates when tqdm is missing)
    report = text_check(ON_THE_SPOT.format(features=5))
    assert report.status == "errors", report.message
    assert any(d.severity == "error" and d.line == 12 and "4x8 and 5x1" in d.message for d in report.diagnostics()), \
        [(d.line, d.message) for d in report.diagnostics()]


def test_trainer_made_on_the_spot_correct_look_alike_is_ok(torch_python, text_check):
    report = text_check(ON_THE_SPOT.format(features=8))
    assert report.status == "ok", report.message
    assert not [d for d in report.diagnostics() if d.severity == "error"]
