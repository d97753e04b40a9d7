"""TL405's "forward pass before the tape" names the model output that the loss reads as the tape
opens: a name that held a model output earlier but was bound again to data (targets made after
a probe call) is not that output, at module level across blank-line sections and in a function."""
from __future__ import annotations

import textwrap

from tensorlint.config import Config
from tensorlint.engine import analyze

CONFIG = Config(select=("TL405",))

HEAD = """\
import numpy as np
import tensorflow as tf

model = tf.keras.Sequential([tf.keras.Input((6,)), tf.keras.layers.Dense(1)])
loss_fn = tf.keras.losses.MeanSquaredError()
x = tf.constant(np.random.rand(32, 6).astype("float32"))
"""


def _messages(body: str) -> list:
    return [(f.span.start.line, f.message) for f in analyze(HEAD + textwrap.dedent(body), "m.py", CONFIG).findings]


def test_targets_bound_after_a_probe_call_are_not_the_output_named():
    found = _messages("""
        y = model(x)


        y = tf.constant(np.random.rand(32, 1).astype("float32"))
        for epoch in range(2):
            pred = model(x, training=True)
            with tf.GradientTape() as tape:
                loss = loss_fn(y, pred)
            grads = tape.gradient(loss, model.trainable_variables)
        """)
    assert len(found) == 1 and "from `pred`, the model output computed at line 13" in found[0][1]


def test_a_name_still_holding_the_output_is_named():
    found = _messages("""
        y = model(x)


        z = tf.constant(np.random.rand(32, 1).astype("float32"))
        with tf.GradientTape() as tape:
            loss = loss_fn(z, y)
        grads = tape.gradient(loss, model.trainable_variables)
        """)
    assert len(found) == 1 and "from `y`, the model output computed at line 8" in found[0][1]


def test_in_a_function_the_output_bound_last_is_named():
    found = _messages("""
        def step(x):
            y = model(x)
            y = tf.ones((32, 1))
            pred = model(x)
            with tf.GradientTape() as tape:
                loss = loss_fn(y, pred)
            return tape.gradient(loss, model.trainable_variables)


        step(x)
        """)
    assert len(found) == 1 and "from `pred`, the model output computed at line 11" in found[0][1]


def test_the_forward_pass_inside_the_tape_stays_silent_after_a_probe_call():
    assert _messages("""
        y = model(x)
        y = tf.constant(np.random.rand(32, 1).astype("float32"))
        with tf.GradientTape() as tape:
            pred = model(x, training=True)
            loss = loss_fn(y, pred)
        grads = tape.gradient(loss, model.trainable_variables)
        """) == []
