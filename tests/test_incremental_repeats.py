"""A chunk that runs again only because others did, and binds a name to a value every run makes
the same (an unknown value, an unknown integer: a loop counter, `_`), hands the later users of
the name nothing new: they do not run for it. When the value it binds now differs, they do (the
findings equal a whole-file analysis either way)."""
from __future__ import annotations

import pytest
from test_incremental_reach import _after_edit, _key  # (the same comparison with a whole analysis)


TORCH = """import torch
import torch.nn as nn

width = 4

model = nn.Linear(width, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    opt.zero_grad()
    loss = model(torch.randn(8, width)).sum()
    loss.backward()
    opt.step()

net = nn.Linear(6, 1)
optimizer = torch.optim.Adam(net.parameters())
for epoch in range(5):
    optimizer.zero_grad()
    out = net(torch.randn(2, 6)).mean()
    out.backward()
    optimizer.step()
    print(epoch)

print("last epoch", epoch)
"""

KERAS = """import tensorflow as tf

units = 8

model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(units)])
optimizer = tf.keras.optimizers.Adam()
for step in range(2):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model(tf.ones((2, 4))))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))

critic = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
opt = tf.keras.optimizers.SGD(0.01)
for step in range(3):
    with tf.GradientTape() as tape2:
        value = tf.reduce_mean(critic(tf.ones((2, 3))))
    grads2 = tape2.gradient(value, critic.trainable_variables)
    opt.apply_gradients(zip(grads2, critic.trainable_variables))
    tf.print(step)
"""

TF1 = """import tensorflow as tf

size = 10

x = tf.placeholder(tf.float32, [None, size])
w = tf.Variable(tf.zeros([size, 1]))
loss = tf.reduce_mean(tf.matmul(x, w))
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(10):
        sess.run(train_op, feed_dict={x: [[0.0] * size]})

y = tf.placeholder(tf.float32, [None, 3])
v = tf.Variable(tf.ones([3, 2]))
out = tf.reduce_sum(tf.matmul(y, v))
with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    for _ in range(5):
        print(session.run(out, feed_dict={y: [[1.0, 2.0, 3.0]]}))
"""


@pytest.mark.parametrize("program, old, new, most", [
    (TORCH, "width = 4", "width = 5", 4),
    (KERAS, "units = 8", "units = 16", 4),
    (TF1, "GradientDescentOptimizer(0.1)", "GradientDescentOptimizer(0.05)", 3),
])
def test_a_loop_that_runs_again_does_not_reach_the_next_program_through_its_counter(program, old, new, most):
    """The first training loop runs again (what it reads changed); the second one, which binds
    the same counter, and the statements after it do not."""
    got, full, ran = _after_edit(program, program.replace(old, new))
    assert _key(got) == _key(full)
    assert ran <= most


@pytest.mark.parametrize("use, code", [
    ("y = row.view(4)", "TL207"),
    ("y = row @ torch.zeros(4, 5)", "TL212"),
    ("y = torch.cat([row, torch.zeros(2, 4)], dim=0)", "TL211"),
])
def test_a_loop_variable_that_now_holds_a_tensor_reaches_its_readers(use, code):
    """The loop ran over numbers and bound an unknown integer; now it runs over tensors: the
    statement reading the loop variable runs again and reports what it does to the tensor."""
    before = "import sys\nimport torch\n\nxs = range(int(sys.argv[1]))\n\nfor row in xs:\n    print(row)\n\n" + use + "\n"
    got, full, _ = _after_edit(before, before.replace("range(int(sys.argv[1]))", "[torch.zeros(2, 3)]"))
    assert _key(got) == _key(full)
    assert [f.code for f in got.findings] == [code]


def test_a_loop_that_binds_the_same_counter_again_keeps_the_later_findings():
    """A later statement with a finding of its own, after a loop that runs again: it does not
    run, and its finding stays where it was."""
    before = "import sys\nimport torch\n\nn = int(sys.argv[1])\n\nfor i in range(n):\n    print(i)\n\nw = torch.zeros(2, 3)\nprint(i, w.view(4))\n"
    got, full, ran = _after_edit(before, before.replace("sys.argv[1]", "sys.argv[2]"))
    assert _key(got) == _key(full)
    assert [f.code for f in got.findings] == ["TL207"]
    assert ran == 2
