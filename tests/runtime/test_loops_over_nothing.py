"""A loop whose iterable has no first item where the check runs it (a glob of image files that are
not here, a generator over an empty list): the program would skip it without an error, so the
check cannot replay its body and says so; it never calls the empty loop the program's error."""
from __future__ import annotations

import pytest

GLOB_GENERATOR = """\
import glob
import os
import numpy as np
import torch
import torch.nn as nn

files = glob.glob(os.path.join("data", "faces", "*.jpg"))


def get_batches(batch_size):
    for start in range(0, len(files) - batch_size + 1, batch_size):
        yield np.stack([np.load(f) for f in files[start:start + batch_size]])


model = nn.Linear(784, 10)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for batch in get_batches(32):
    x = torch.from_numpy(batch).float().view(32, -1)
    loss = model(x).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
"""

EMPTY_LIST = """\
import torch
import torch.nn as nn

model = nn.Linear(8, 2)
{items} = {value}
for x in {items}:
    out = model(x)
"""

TF_SESSION = """\
import glob
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

x = tf.placeholder(tf.float32, [None, 4])
w = tf.Variable(tf.zeros([4, 1]))
loss = tf.reduce_mean(tf.matmul(x, w))
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
images = sorted(glob.glob("img_align_celeba/*.jpg"))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for path in images:
        sess.run(train, feed_dict={x: np.ones((2, 4))})
"""


def errors(report) -> list:
    return [d for d in report.diagnostics() if d.severity == "error"]


@pytest.mark.parametrize("text", [GLOB_GENERATOR, EMPTY_LIST.format(items="batches", value="[]")],
                         ids=["glob-generator", "empty-list"])
def test_a_loop_over_nothing_is_not_the_programs_error(torch_python, text_check, text):
    report = text_check(text, device="cpu", static=False)
    assert not errors(report), report.to_text()
    assert report.status == "could-not-check", report.message
    assert "goes through nothing here" in report.to_text()


def test_a_tf1_session_loop_over_missing_images(tf_python, text_check):
    report = text_check(TF_SESSION, device="cpu", static=False)
    assert not errors(report) and report.status != "errors", report.to_text()


def test_a_loop_with_items_still_runs_and_fails_where_the_program_would(torch_python, text_check):
    report = text_check(EMPTY_LIST.format(items="batches", value="[torch.randn(4, 6)]"), device="cpu", static=False)
    assert [d.line for d in errors(report)] and report.status == "errors", report.to_text()
