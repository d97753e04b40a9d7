"""Programs written for gym's API before 0.26 under a gym that has the new one: the program's own
text says which API it reads (four values from `step()`, one name bound to `reset()`), and its
environments speak that API, with a note; a program written for the new API (five values from
`step()`, `reset(seed=...)`) runs on gym as it is. Under either, a width the program gets wrong
after a reset or a step is its error at its line, and the right width runs without one. The
runtime tests need gym (0.26 or later for the note), which the check's interpreter may not have:
they are skipped without it. Which API a text reads is tested without gym."""
from __future__ import annotations

import subprocess

import pytest

from tensorlint.runtime.child.gym_envs import step_api


TEXTS = {
    "old": ["s, r, done, _ = env.step(a)\n",
            "state = env.reset()\nnext_state, reward, done, info = env.step(action)\n",
            "def play(env, a):\n    return env.step(a)\n\nobs = env.reset()\n",
            "class Agent:\n    def act(self):\n        [s2, r, d, i] = self.env.step(self.a)\n"],
    "new": ["obs, r, terminated, truncated, info = env.step(a)\n",
            "obs, info = env.reset()\n",
            "obs = env.reset(seed=0)[0]\n",
            "env.reset(seed=1)\nstate, _ = env.reset()\n"],
    None: ["out = env.step(a)\n",  # neither: nothing unpacked
           "x, y = model.step()\n",  # two names from a step: not gym's
           "*rest, info = env.step(a)\n",
           "s = env.reset()\nobs, r, term, trunc, info = env.step(a)\n",  # both: left as it is
           "def broken(:\n",
           ""],
}


@pytest.mark.parametrize("api,text", [(api, text) for api, texts in TEXTS.items() for text in texts])
def test_which_api_a_text_reads(api, text):
    assert step_api(text) == api


def gym_version(python: str) -> tuple[int, ...]:
    proc = subprocess.run([python, "-c", "import gym; print(gym.__version__)"], capture_output=True, text=True,
                          timeout=120)
    try:
        return tuple(int(p) for p in proc.stdout.strip().split()[-1].split(".")[:2])
    except (ValueError, IndexError):
        return ()


def errors(report):
    return [d for d in report.diagnostics() if d.severity == "error"]


OLD_TORCH = """\
import gym
import torch
from torch import nn

env = gym.make("CartPole-v1")
env.seed(0)
state = env.reset()
policy = nn.Linear({width}, 2)
logits = policy(torch.as_tensor(state, dtype=torch.float32).unsqueeze(0))
state, reward, done, _ = env.step(int(logits.argmax()))
value = nn.Linear({width}, 1)(torch.as_tensor(state, dtype=torch.float32))
"""

NEW_TORCH = """\
import gym
import torch
from torch import nn

env = gym.make("CartPole-v1")
state, info = env.reset(seed=0)
policy = nn.Linear({width}, 2)
logits = policy(torch.as_tensor(state, dtype=torch.float32).unsqueeze(0))
state, reward, terminated, truncated, info = env.step(int(logits.argmax()))
value = nn.Linear({width}, 1)(torch.as_tensor(state, dtype=torch.float32))
"""

OLD_KERAS = """\
import gym
import numpy as np
from tensorflow import keras

env = gym.make("CartPole-v1")
obs = env.reset()
model = keras.Sequential([keras.layers.Input(shape=({width},)), keras.layers.Dense(2)])
q = model(obs[np.newaxis])
obs, reward, done, info = env.step(int(np.argmax(q[0])))
q2 = model(obs[np.newaxis])
"""


@pytest.mark.parametrize("program,framework,bad_line", [(OLD_TORCH, "torch", 9), (OLD_KERAS, "tensorflow", 8)])
def test_a_program_written_for_the_old_api_gets_it(installed, text_check, program, framework, bad_line):
    python = installed("gym")
    installed(framework)
    if gym_version(python) < (0, 26):
        pytest.skip("this gym has the old API itself")
    bad = text_check(program.format(width=5), python=python)  # CartPole's observation has 4 values
    assert bad.status == "errors", bad.message
    assert [d.line for d in errors(bad)][:1] == [bad_line], bad.message
    assert any("before 0.26" in n for n in bad.notes), bad.notes
    good = text_check(program.format(width=4), python=python)
    assert good.status == "ok", good.message
    assert not errors(good), good.message


def test_a_program_written_for_the_new_api_runs_as_it_is(installed, text_check):
    python = installed("gym")
    installed("torch")
    if gym_version(python) < (0, 26):
        pytest.skip("this gym has the old API")
    bad = text_check(NEW_TORCH.format(width=5), python=python)
    assert bad.status == "errors", bad.message
    assert [d.line for d in errors(bad)][:1] == [8], bad.message
    assert not any("before 0.26" in n for n in bad.notes), bad.notes
    good = text_check(NEW_TORCH.format(width=4), python=python)
    assert good.status == "ok", good.message
    assert not any("before 0.26" in n for n in good.notes), good.notes
