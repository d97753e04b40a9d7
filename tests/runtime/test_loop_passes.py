"""The one pass the check replays of a training loop, as the program would leave it.

- A name the loop binds first (`batch_xs` of the inner loop over batches, read by an accuracy step
  after it in each epoch) holds, after the pass, what the pass made, as it does in Python after one
  pass: the step after the loop runs on it instead of failing with a NameError the check would call
  its own ("could not check"). It is only partly made, so an error on it is never the program's.
- `if not elite: continue` (or `break`) in the loop body: where its test holds in the pass the check
  runs, the program's pass ends there, and so does the replay's. Running the lines after it on what
  the program skips (an empty batch of elite episodes) blamed a correct program.
"""
from __future__ import annotations

import pytest

NAMES_AFTER_INNER_LOOP = {
    "torch": """\
import torch
from torch import nn

data = torch.randn(96, 8)
labels = torch.randint(0, 3, (96,))
model = nn.Linear(8, 3)
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(2):
    for start in range(0, 96, 32):
        xb, yb = data[start:start + 32], labels[start:start + 32]
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
    last = model(xb)
    print(epoch, (last.argmax(1) == yb).float().mean())
""",
    "tf1": """\
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_eager_execution()

data = np.random.rand(96, 8).astype("float32")
labels = np.eye(3)[np.random.randint(0, 3, 96)].astype("float32")
x = tf.placeholder(tf.float32, [None, 8])
y = tf.placeholder(tf.float32, [None, 3])
W = tf.Variable(tf.zeros([8, 3]))
pred = tf.nn.softmax(tf.matmul(x, W))
cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred + 1e-9), axis=1))
train = tf.train.GradientDescentOptimizer(0.1).minimize(cost)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1)), tf.float32))
sess = tf.Session()
sess.run(tf.global_variables_initializer())
for epoch in range(2):
    for i in range(3):
        idx = np.random.randint(96, size=32)
        batch_xs, batch_ys = data[idx], labels[idx]
        sess.run(train, feed_dict={x: batch_xs, y: batch_ys})
    acc = sess.run(accuracy, feed_dict={x: batch_xs, y: batch_ys})
    print(epoch, acc)
""",
}
AFTER = {"torch": 16, "tf1": 21}


@pytest.mark.parametrize("kind", sorted(NAMES_AFTER_INNER_LOOP))
def test_a_name_the_inner_loop_binds_is_read_after_it(torch_python, tf_python, text_check, kind):
    report = text_check(NAMES_AFTER_INNER_LOOP[kind])
    assert report.status == "ok", (report.status, report.message)
    after = report.call(AFTER[kind])  # the step after the inner loop, on the batch its pass made
    assert after is not None and after["status"] == "ok", [(c["line"], c.get("status")) for c in report.calls]
    assert not after.get("synthesized_input"), after
    assert "could not be built" not in report.to_text()


ELITE = """\
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.Adam(net.parameters())


def play(episodes):
    return [(np.random.rand(3, 4).astype("float32"), np.random.randint(0, 2, 3), {reward}) for _ in range(episodes)]


for step in range(5):
    episodes = play(4)
    elite = [(obs, acts) for obs, acts, reward in episodes if reward > 0]
{guard}
    obs_v = torch.FloatTensor(np.concatenate([o for o, _ in elite]) if elite else [])
    acts_v = torch.LongTensor(np.concatenate([a for _, a in elite]) if elite else [])
    optimizer.zero_grad()
    loss = F.cross_entropy(net(obs_v), acts_v)
    loss.backward()
    optimizer.step()
"""

GUARDS = [
    "    if not elite:\n        continue",
    "    if len(elite) == 0: continue",
    "    if not elite:\n        print('no elite episode')\n        break",
]


@pytest.mark.parametrize("guard", GUARDS)
def test_a_pass_the_program_leaves_early_is_not_run_on(torch_python, text_check, guard):
    # no episode is rewarded in the pass the check runs: the program skips its update there
    report = text_check(ELITE.format(reward=0.0, guard=guard))
    errors = [d for d in report.diagnostics() if d.severity == "error"]
    assert not errors, [(d.line, d.message) for d in errors]
    assert "the rest of that pass was not run" in report.to_text()


def test_a_pass_that_goes_on_runs_its_update(torch_python, text_check):
    text = ELITE.format(reward=1.0, guard=GUARDS[0])
    report = text_check(text)
    assert report.status == "ok", (report.status, report.message)
    update = loss_line(text)
    assert report.call(update) is not None and report.call(update)["status"] == "ok", report.to_text()
    assert "the rest of that pass was not run" not in report.to_text()


def test_without_the_guard_the_empty_batch_is_still_an_error(torch_python, text_check):
    # the same update on an empty batch, with nothing that skips it: the program's own error
    text = ELITE.format(reward=0.0, guard="    pass")
    report = text_check(text)
    assert any(d.severity == "error" and d.line == loss_line(text) for d in report.diagnostics()), report.to_text()


def loss_line(text: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if "cross_entropy" in line)
