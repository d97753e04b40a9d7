"""TL322: a `while not done` / `while running` loop inside another loop, its flag set only inside
it and once before the outer loop. Written several ways (module level, in a function, a method,
tuple unpacking from env.step, a flag among `and` operands, a while as the outer loop); the
look-alikes reset the flag, leave by break, set it through `global`, or test it in the outer loop."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL322",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src), "train.py", ONLY).findings)


BUGS = {
    "module-level-episodes": ("""
        import torch
        done = False
        for n_epi in range(100):
            s = env.reset()
            while not done:
                s, r, done, info = env.step(0)
    """, [6]),
    "method-and-flag-among-and": ("""
        import torch

        class Runner:
            def run(self, env, episodes, max_steps):
                finished = False
                for ep in range(episodes):
                    t = 0
                    while t < max_steps and not finished:
                        _, _, finished, _ = env.step(0)
                        t += 1
    """, [9]),
    "running-flag-outer-while": ("""
        import torch

        def train(model, batches, epochs):
            running = True
            epoch = 0
            while epoch < epochs:
                epoch += 1
                while running:
                    loss = model(next(batches)).mean()
                    running = loss.item() > 0.1
    """, [9]),
}

OK = {
    "reset-at-the-top": """
        import torch
        for ep in range(10):
            done = False
            while not done:
                s, r, done, _ = env.step(0)
    """,
    "reset-after-the-inner-loop": """
        import torch
        done = False
        for ep in range(10):
            while not done:
                s, r, done, _ = env.step(0)
            done = False
    """,
    "leaves-by-break": """
        import torch
        done = False
        for ep in range(10):
            while not done:
                s, r, d, _ = env.step(0)
                if d:
                    break
    """,
    "global-reset": """
        import torch
        finished = False

        def reset():
            global finished
            finished = False

        for ep in range(3):
            reset()
            while not finished:
                finished = True
    """,
    "outer-loop-tests-the-flag": """
        import torch
        done = False
        while not done:
            for i in range(3):
                pass
            while not done:
                done = True
    """,
    "single-loop": """
        import torch
        done = False
        while not done:
            s, r, done, _ = env.step(0)
    """,
    "set-inside-and-reset-after": """
        import torch
        stop = False
        for ep in range(3):
            while not stop:
                if check():
                    return_value = 1
                stop = check()
            stop = False
    """,
    "flag-without-value-before-the-loop": """
        import torch
        for ep in range(3):
            while not done:
                done = step()
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_flag_that_is_never_reset_is_reported(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(OK))
def test_lookalikes_stay_silent(name):
    assert _lines(OK[name]) == []
