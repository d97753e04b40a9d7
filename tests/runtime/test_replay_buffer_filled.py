"""A replay buffer that an environment loop fills one transition per pass, read by a training step
that draws a batch from it: the replay runs the loop once, so the draw finds too few items. The
loop is then run on, as the program runs it, until the draw succeeds, and the training step runs
on transitions the program's own loop stored. Its errors are the program's; a correct step stays
silent, and a loop that cannot go on (its environment refuses another step) leaves the draw
unchecked. In torch and in Keras (a critic trained under a GradientTape)."""
from __future__ import annotations

import pytest

PROGRAM = """\
import random
import collections
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Walk:
    def reset(self):
        self.pos = np.zeros(3)
        self.t = 0
        return self.pos

    def step(self, action):
        self.t += 1
        {step_check}
        self.pos = self.pos + np.array([action[0], 0.1, -0.1])
        return self.pos, -abs(self.pos[0]), self.t >= 50, {{}}


class Memory:
    def __init__(self):
        self.items = collections.deque(maxlen=10000)

    def put(self, item):
        self.items.append(item)

    def sample(self, n):
        {draw}
        s, a, r, s2 = zip(*batch)
        return (torch.tensor(np.array(s), dtype=torch.float), torch.tensor([[x] for x in a]),
                torch.tensor([[x] for x in r]), torch.tensor(np.array(s2), dtype=torch.float))

    def size(self):
        return len(self.items)


class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 1)

    def forward(self, x):
        return torch.tanh(self.fc(x))


class QNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc_s = nn.Linear(3, 32)
        self.fc_a = nn.Linear(1, 32)
        self.out = nn.Linear(64, 1)

    def forward(self, x, a):
        return self.out(torch.cat([F.relu(self.fc_s(x)), F.relu(self.fc_a(a))], dim=1))


env = Walk()
policy = Policy()
memory = Memory()
q = QNet()
optimizer = torch.optim.Adam(q.parameters(), lr=1e-3)

for episode in range(100):
    s = env.reset()
    for t in range(200):
        a = policy(torch.from_numpy(s).float()).item() + np.random.normal(0, 0.1, size=1)[0]
        s_prime, r, done, _ = env.step([a])
        memory.put((s, a, r, s_prime))
        s = s_prime
        if done:
            break
    if memory.size() > 500:
        for i in range(10):
            s, a, r, s_prime = memory.sample(32)
            loss = F.mse_loss(q(s, {action}), r.float())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
"""

DRAWS = [
    "batch = random.sample(self.items, n)",
    "batch = [self.items[i] for i in np.random.choice(len(self.items), n, replace=False)]",
]


def line_of(text: str, start: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if ln.strip().startswith(start))


def program(draw: str = DRAWS[0], action: str = "a", step_check: str = "pass") -> str:
    return PROGRAM.format(draw=draw, action=action, step_check=step_check)


def collected(report) -> list[str]:
    return [n for n in report.notes if "more pass(es), as the program runs it" in n]


@pytest.mark.parametrize("draw", DRAWS)
def test_the_step_on_the_transitions_the_loop_stored_finds_the_double_action(torch_python, text_check, draw):
    text = program(draw)
    report = text_check(text)
    assert report.status == "errors", report.message
    errors = [d for d in report.diagnostics() if d.severity == "error"]
    assert errors[0].line == line_of(text, "return self.out("), [(d.line, d.message) for d in errors]
    assert {d.line for d in errors} <= {errors[0].line, line_of(text, "loss = F.mse_loss")}
    assert "must have the same dtype" in errors[0].message
    assert f"called from line {line_of(text, 'loss = F.mse_loss')}" in errors[0].message
    assert collected(report), report.notes


@pytest.mark.parametrize("draw", DRAWS)
def test_a_step_on_float_actions_says_nothing(torch_python, text_check, draw):
    report = text_check(program(draw, action="a.float()"))
    assert report.status == "ok", report.message
    assert collected(report), report.notes


def test_a_loop_that_cannot_go_on_leaves_the_draw_unchecked(torch_python, text_check):
    report = text_check(program(step_check="assert self.t < 2, 'reset the walk first'"))
    assert report.status == "could-not-check", report.message
    assert "Sample larger than population" in report.message
    assert not [d for d in report.diagnostics() if d.severity == "error"]
    assert collected(report) == []


KERAS_PROGRAM = """\
import random
import collections
import numpy as np
import tensorflow as tf
from tensorflow import keras


class Walk:
    def reset(self):
        self.pos = np.zeros(3)
        self.t = 0
        return self.pos

    def step(self, action):
        self.t += 1
        {step_check}
        self.pos = self.pos + np.array([action, 0.1, -0.1])
        return self.pos, -abs(self.pos[0]), self.t >= 50, {{}}


env = Walk()
actor = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
critic = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(2)])
optimizer = keras.optimizers.Adam(1e-3)
memory = collections.deque(maxlen=10000)

for episode in range(100):
    s = env.reset()
    for t in range(200):
        q_values = actor(s[np.newaxis].astype(np.float32))
        a = int(np.argmax(q_values[0]))
        s_prime, r, done, _ = env.step(a - 0.5)
        memory.append((s, a, r, s_prime))
        s = s_prime
        if done:
            break
    if len(memory) > 500:
        batch = random.sample(memory, 32)
        states = np.array([b[0] for b in batch], dtype=np.float32)
        rewards = np.array([b[2] for b in batch], dtype=np.float32)
        with tf.GradientTape() as tape:
            out = critic(states)
            loss = tf.reduce_mean(tf.square(rewards - tf.reduce_max(out, axis=1)))
        grads = tape.gradient(loss, critic.trainable_variables)
        optimizer.apply_gradients(zip(grads, critic.trainable_variables))
"""


def test_keras_the_critic_runs_on_the_batch_drawn_from_the_filled_buffer(tf_python, text_check):
    text = KERAS_PROGRAM.format(step_check="pass")
    report = text_check(text)
    assert report.status == "ok", report.message
    call = report.call(line_of(text, "out = critic(states)"), "forward")
    assert call is not None and not call.get("synthesized_input"), call
    assert [i["shape"] for i in call["inputs"]] == [[32, 3]]
    assert collected(report), report.notes


def test_keras_a_loop_that_cannot_go_on_leaves_the_draw_unchecked(tf_python, text_check):
    report = text_check(KERAS_PROGRAM.format(step_check="assert self.t < 2, 'reset the walk first'"))
    assert report.status == "could-not-check", report.message
    assert "Sample larger than population" in report.message
    assert collected(report) == []
