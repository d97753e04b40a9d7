"""A function followed for what it returns, whose body ends in an `if`/`else` that holds a model
call (an epsilon-greedy policy: a random action, or the argmax of the network's output): the
replay runs both branches, the `else` last, and the caller's target holds what that branch
returns. Before, the target was left unbound (or held an older value of the same name), so the
caller's next line could not be checked. A function whose `if` has no `else` may return nothing:
its target stays unbound, as before. And Keras 2's `tf.keras.losses.mean_squared_error` (which
Keras 3's tf.keras lacks) runs as Keras 3's function, with Keras 2's crossed broadcast of a
[batch] target against a [batch, 1] prediction the program's error."""
from __future__ import annotations

import pytest

from tensorlint.runtime.slicer import slice_source


def errors(report):
    return [d for d in report.diagnostics() if d.severity == "error"]


TORCH_POLICY = """\
import random
import torch
from torch import nn

policy = nn.Linear(4, 2)
head = nn.Linear({width}, 3)


def act(state, eps=0.1):
    if random.random() < eps:
        return torch.zeros(1, 2)
    else:
        scores = policy(state)
        return torch.softmax(scores, dim=1)


probs = act(torch.randn(1, 4))
value = head(probs)
"""

KERAS_POLICY = """\
import numpy as np
from tensorflow import keras

policy = keras.Sequential([keras.layers.Input(shape=(4,)), keras.layers.Dense(2)])
head = keras.Sequential([keras.layers.Input(shape=({width},)), keras.layers.Dense(3)])


def act(state, eps=0.1):
    if np.random.rand() < eps:
        return np.zeros((1, 2), dtype="float32")
    elif eps > 1:
        return np.ones((1, 2), dtype="float32")
    else:
        q = policy(state)
        return q


q = act(np.random.rand(1, 4).astype("float32"))
value = head(q)
"""

NO_ELSE = """\
import random
import torch
from torch import nn

policy = nn.Linear(4, 2)
head = nn.Linear(3, 3)


def act(state, eps=0.1):
    if random.random() >= eps:
        scores = policy(state)
        return scores


probs = act(torch.randn(1, 4))
value = head(probs)
"""


def bound(text: str, name: str) -> list[str]:
    out = []

    def walk(units):
        for u in units:
            if name in (u.binds or []) and u.kind == "exec":
                out.append(u.code)
            walk(u.body or [])
    walk(slice_source(text).units)
    return out


def test_the_target_holds_the_last_branchs_return():
    assert bound(TORCH_POLICY.format(width=2), "probs") == ["probs = (torch.softmax(scores, dim=1))"]
    assert bound(KERAS_POLICY.format(width=2), "q") == ["q = (q)"]
    assert bound(NO_ELSE, "probs") == []


@pytest.mark.parametrize("program,fixture,line", [(TORCH_POLICY, "torch_python", 18), (KERAS_POLICY, "tf_python", 19)])
def test_a_wrong_width_after_the_policy_is_the_programs_error(request, text_check, program, fixture, line):
    python = request.getfixturevalue(fixture)
    bad = text_check(program.format(width=3), python=python)
    assert bad.status == "errors", bad.message
    assert [d.line for d in errors(bad)] == [line], bad.message
    good = text_check(program.format(width=2), python=python)
    assert good.status == "ok", good.message


def test_an_if_without_else_binds_nothing(torch_python, text_check):
    report = text_check(NO_ELSE)
    assert not errors(report), report.message


DQN_STEP = """\
import numpy as np
import tensorflow as tf
from tensorflow import keras

model = keras.Sequential([keras.layers.Input(shape=(4,)), keras.layers.Dense(8), keras.layers.Dense(2)])
loss_fn = {loss}
optimizer = keras.optimizers.Adam(learning_rate=1e-3)
states = np.random.rand(32, 4).astype(np.float32)
actions = np.random.randint(2, size=32)
rewards = np.random.rand(32).astype(np.float32)
target_q = rewards + 0.95 * np.max(model.predict(states, verbose=0), axis=1){reshape}
mask = tf.one_hot(actions, 2)
with tf.GradientTape() as tape:
    q = tf.reduce_sum(model(states) * mask, axis=1, keepdims=True)
    loss = tf.reduce_mean(loss_fn(target_q, q))
grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
"""


@pytest.mark.parametrize("loss", ["keras.losses.mean_squared_error", "tf.keras.losses.mean_absolute_error"])
def test_a_keras2_loss_function_of_a_column_against_a_vector(tf_python, text_check, loss):
    bad = text_check(DQN_STEP.format(loss=loss, reshape=""))
    assert bad.status == "errors", bad.message
    assert [d.line for d in errors(bad)] == [15], bad.message
    assert "broadcasts to [32, 32]" in errors(bad)[0].message
    assert any("Keras 2" in n for n in bad.notes), bad.notes
    good = text_check(DQN_STEP.format(loss=loss, reshape=".reshape(-1, 1)"))
    assert good.status == "ok", good.message


def test_a_keras3_loss_and_the_short_names_are_left_as_they_are(tf_python, text_check):
    # Keras 3's own keras.losses squeezes the unit axis: a program written for it is right
    report = text_check(DQN_STEP.format(loss="keras.losses.mean_squared_error", reshape="").replace(
        "from tensorflow import keras", "import keras"))
    assert not errors(report), report.message
    assert not any("Keras 2" in n for n in report.notes), report.notes
