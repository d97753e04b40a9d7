"""TL458: a bootstrapped target built from a replay buffer's sampled batch whose terminal flag
(stored from `env.step`'s flag beside the reward) is unpacked and never read. Written several
ways: a function given the buffer, whose transitions are stored as one tuple with a not-done
mask made from the flag; an agent's method over a buffer given five positional values with
gymnasium's `terminated`; a target taken from the maximum of the target network; a DDPG target
calling the target actor; and the CLI on a file. The look-alikes mask the target (`* mask`,
`* (1 - done)` through a name, `torch.where`), store no flag (a continuing task), sample from a
buffer class the file does not define, unpack a batch of another size than the stored tuples,
or store the flag at a position the batch reads."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL458",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "dqn.py", ONLY).findings)


BUFFER = """
    import random
    import torch


    class ReplayBuffer:
        def __init__(self):
            self.buffer = []

        def put(self, transition):
            self.buffer.append(transition)

        def sample(self, n):
            mini_batch = random.sample(self.buffer, n)
            s, a, r, s2, m = zip(*mini_batch)
            return torch.tensor(s), torch.tensor(a), torch.tensor(r), torch.tensor(s2), torch.tensor(m)


    def train(q, q_target, mu_target, memory, gamma=0.99):
        s, a, r, s_prime, done_mask = memory.sample(32)
        {target}
        return target


    def main(env, q, q_target, mu_target, policy):
        memory = ReplayBuffer()
        for n_epi in range(1000):
            s = env.reset()
            for t in range(300):
                s_prime, r, done, info = env.step(policy(s))
                memory.put({stored})
                s = s_prime
                if done:
                    break
"""

MASK = "(s, a, r / 100.0, s_prime, 0.0 if done else 1.0)"

BUGS = {
    "dqn-max-of-target-network": (BUFFER.format(target="target = r + gamma * q_target(s_prime).max(1)[0].unsqueeze(1)",
                                                stored=MASK), [20]),
    "ddpg-target-actor": (BUFFER.format(target="target = r + gamma * q_target(s_prime, mu_target(s_prime))",
                                        stored="(s, a, r, s_prime, done)"), [20]),
    "discount-after-the-value": (BUFFER.format(target="target = q_target(s_prime).max(1)[0] * gamma + r",
                                               stored="(s, a, r, s_prime, float(done))"), [20]),
    "agent-method-gymnasium-positional-push": ("""
        import numpy as np
        import torch

        class Buffer:
            def __init__(self):
                self.data = []

            def push(self, state, action, reward, next_state, terminated):
                self.data.append((state, action, reward, next_state, terminated))

            def sample(self, batch_size):
                idx = np.random.randint(len(self.data), size=batch_size)
                cols = [torch.as_tensor(np.array(c)) for c in zip(*[self.data[i] for i in idx])]
                return cols[0], cols[1], cols[2], cols[3], cols[4]

        class Agent:
            def __init__(self, critic_target, actor_target):
                self.buffer = Buffer()
                self.critic_target, self.actor_target = critic_target, actor_target

            def learn(self, gamma):
                states, actions, rewards, next_states, terminals = self.buffer.sample(64)
                with torch.no_grad():
                    y = rewards + gamma * self.critic_target(next_states, self.actor_target(next_states))
                return y

        def run(env, agent, act):
            for episode in range(50):
                obs, _ = env.reset()
                for t in range(1000):
                    nxt, reward, terminated, truncated, _ = env.step(act(obs))
                    agent.buffer.push(obs, act(obs), reward, nxt, terminated)
                    obs = nxt
                    if terminated or truncated:
                        break
    """, [24]),
}

LOOKALIKES = {
    "target-masked": BUFFER.format(target="target = r + gamma * q_target(s_prime).max(1)[0] * done_mask", stored=MASK),
    "mask-through-a-name": BUFFER.format(
        target="not_done = 1.0 - done_mask\n        target = r + gamma * not_done * q_target(s_prime).max(1)[0]",
        stored="(s, a, r, s_prime, done)"),
    "torch-where-on-the-flag": BUFFER.format(
        target="target = torch.where(done_mask.bool(), r, r + gamma * q_target(s_prime).max(1)[0])", stored=MASK),
    "no-flag-stored": BUFFER.format(target="target = r + gamma * q_target(s_prime).max(1)[0]",
                                    stored="(s, a, r, s_prime, t)"),
    "flag-at-a-position-the-batch-reads": BUFFER.format(
        target="target = r + gamma * q_target(s_prime).max(1)[0] * (1 - done_mask)",
        stored="(s, a, r, s_prime, done)"),
    "imported-buffer-class": """
        import torch
        from buffers import ReplayBuffer

        def learn(q_t, memory, gamma):
            s, a, r, s2, done = memory.sample(32)
            return r + gamma * q_t(s2).max(1)[0]

        def main(env, policy, q_t):
            memory = ReplayBuffer()
            s = env.reset()
            for t in range(1000):
                s2, r, done, _ = env.step(policy(s))
                memory.push(s, policy(s), r, s2, done)
                s = env.reset() if done else s2
    """,
    "batch-of-another-size": BUFFER.format(target="s, a, r, s_prime = memory.sample(32)[:4]\n"
                                                  "        target = r + gamma * q_target(s_prime).max(1)[0]",
                                           stored=MASK).replace("s, a, r, s_prime, done_mask = memory.sample(32)",
                                                                "s, a, r, s_prime, extra, more = memory.sample(32)"),
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_unmasked_bootstrap_found(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalike_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_cli_names_the_flag_and_the_step(tmp_path):
    f = tmp_path / "dqn.py"
    f.write_text(textwrap.dedent(BUFFER.format(target="target = r + gamma * q_target(s_prime).max(1)[0]",
                                               stored=MASK)).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL458", str(f)],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert ("dqn.py:20:14: TL458 The target bootstraps from the next state without reading `done_mask`, which the "
            "sampled batch holds where each stored transition holds `done` of `env.step` (line 29)") in out.stdout


@pytest.mark.parametrize("src", [
    "import torch\nclass B:\n    def put(self, t): pass\n    def sample(self):\n        return\n"
    "def f(m):\n    a, b, c, d, e = m.sample()\n    return c + 0.9 * g(d)\n"
    "for e in x:\n    s, r, d, _ = env.step()\n    m.put((s, s, r, s, d))\n",
    "import torch\nclass B:\n    def put(self, *t): pass\n    def sample(self):\n        return (*x,)\n"
    "a, b, c, d, e = m.sample()\nfor e in x:\n    s, r, d, _ = env.step()\n    m.put(*t)\n    m.put(s=1)\n",
])
def test_odd_programs_do_not_crash(src):
    analyze(src, "odd.py", ONLY)
