"""A module-level `with X() as name:` binds `name` afresh, before its body runs: the chunks that
used the value the name held before it (another session, another tape) are not reached through
the name by an edit after it, nor the later chunks by an edit before it. A `with` whose items
read the name keeps what came in. The findings equal a whole-file analysis either way."""
from __future__ import annotations

import libcst
import pytest
from test_incremental_reach import _after_edit, _key  # (the same comparison with a whole analysis)

from tensorlint.chunk_names import chunk_names

TF1 = """import tensorflow as tf
import numpy as np

a = tf.placeholder(tf.float32, [None, 4])
w = tf.Variable(tf.zeros([4, 1]))
out = tf.matmul(a, w)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    first = sess.run(out, feed_dict={a: np.ones((2, 4))})

label = "second"

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    second = sess.run(out, feed_dict={a: np.ones((3, 4))})
    print(label, second)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    third = sess.run(out, feed_dict={a: np.ones((5, 4))})
"""

KERAS = """import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(2)])
optimizer = tf.keras.optimizers.SGD(0.1)
x = tf.ones((2, 4))

with tf.GradientTape() as tape:
    loss = tf.reduce_mean(model(x))
grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))

model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3)])
optimizer = tf.keras.optimizers.Adam()

scale = 2.0

with tf.GradientTape() as tape:
    loss = tf.reduce_sum(model(x)) * scale
grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
"""

TORCH = """import torch
import torch.nn as nn

net = nn.Linear(4, 2)

with torch.autograd.profiler.profile() as prof:
    out = net(torch.randn(3, 4)).sum()
print(prof)

net = nn.Linear(4, 1)

scale = 2.0

with torch.autograd.profiler.profile() as prof:
    out = net(torch.randn(5, 4)).mean() * scale
print(prof)
"""


@pytest.mark.parametrize("program, old, new, most", [
    (TF1, 'label = "second"', 'label = "two"', 2),
    (KERAS, "scale = 2.0", "scale = 3.0", 6),
    (TORCH, "scale = 2.0", "scale = 3.0", 3),
])
def test_a_with_block_that_runs_again_does_not_reach_the_others_through_its_name(program, old, new, most):
    got, full, ran = _after_edit(program, program.replace(old, new))
    assert _key(got) == _key(full)
    assert ran <= most


@pytest.mark.parametrize("source, killed", [
    ("with tf.Session() as sess:\n    sess.run(x)\n", {"sess"}),
    ("with tf.GradientTape() as tape, tf.GradientTape() as inner:\n    y = tape\n", {"tape", "inner"}),
    ("with open(path) as (f):\n    f.read()\n", {"f"}),
    ("with wrap(sess) as sess:\n    sess.run(x)\n", set()),  # the item reads what came in
    ("with a as b, b as c:\n    pass\n", {"c"}),  # (`b`, named by an item, is taken to be read)
    ("for i in range(3):\n    with tf.Session() as sess:\n        pass\n", set()),  # not at module level
    ("print(sess)\nwith tf.Session() as sess:\n    pass\n", set()),  # read before it, in the chunk
])
def test_which_with_targets_are_bound_afresh(source, killed):
    assert set(chunk_names(libcst.parse_module(source)).kills) == killed


def test_a_with_that_reads_its_name_reaches_the_earlier_users():
    before = ("import tensorflow as tf\n\nsess = tf.Session()\n\nprint(sess)\n\n"
              "with wrap(sess) as sess:\n    sess.run(tf.zeros(2))\n")
    after = before.replace("tf.zeros(2)", "tf.zeros(3)")
    got, full, ran = _after_edit(before, after)
    assert _key(got) == _key(full)
    assert ran >= 2
