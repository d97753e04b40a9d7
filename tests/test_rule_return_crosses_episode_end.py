"""TL457: a discounted return summed backwards over a buffer of rewards that holds several
episodes, never reset at an episode's end. Written several ways: a method of an agent class
given the buffer by an update call every N steps, a function given it by keyword, the return
loop inline in the episode loop over a plain list (`[::-1]`, gymnasium's five values), the
operands of `gamma * g + r` in the other order, a `while True:` episode loop left by a break on
`done or ...`, and the CLI on a file. The second form: a backward loop over the time steps of a
rollout whose terminal flags are stored from `env.step` (`dones[step] = next_done`,
`masks.append(1 - done)`) masks the bootstrapped value with them but not the term that carries
the later steps' return (a Q(lambda) return, a GAE whose `delta` alone is masked). The look-alikes reset the return at terminal steps, mask
it by the flag, run the update only when an episode ends or after the episode loop, clear the
buffer at each episode's start, run fixed-length episodes with no flag, or call a method of the
same name on an object that is not the agent; for the second form, the mask multiplies the whole
bootstrapped part, the running value is masked by a statement of its own, or the weight of the
recursive term is a product of the mask."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL457",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "ppo.py", ONLY).findings)


AGENT = """
    import torch


    class Memory:
        def __init__(self):
            self.rewards = []
            self.is_terminals = []


    class PPO:
        def __init__(self, gamma):
            self.gamma = gamma

        def update(self, memory):
            rewards = []
            discounted = 0
            {loop}
            return torch.tensor(rewards)


    def main(env, policy):
        memory = Memory()
        ppo = PPO(0.99)
        timestep = 0
        for i_episode in range(100):
            state = env.reset()
            for t in range(300):
                timestep += 1
                state, reward, done, _ = env.step(policy(state))
                memory.rewards.append(reward)
                memory.is_terminals.append(done)
                {update}
                if done:
                    break
"""

NO_RESET = """for reward in reversed(memory.rewards):
                discounted = reward + (self.gamma * discounted)
                rewards.insert(0, discounted)"""
RESET = """for reward, term in zip(reversed(memory.rewards), reversed(memory.is_terminals)):
                if term:
                    discounted = 0
                discounted = reward + (self.gamma * discounted)
                rewards.insert(0, discounted)"""
EVERY_N = """if timestep % 2000 == 0:
                    ppo.update(memory)
                    memory.rewards.clear()"""


QLAMBDA = """
    import numpy as np
    import torch


    def rollout(envs, q_network, num_steps, gamma, lam):
        rewards = torch.zeros((num_steps, 4))
        dones = torch.zeros((num_steps, 4))
        values = torch.zeros((num_steps, 4))
        next_obs, _ = envs.reset()
        next_done = torch.zeros(4)
        for step in range(num_steps):
            dones[step] = next_done
            action = q_network(next_obs).argmax(-1)
            next_obs, reward, terminations, truncations, infos = envs.step(action.numpy())
            next_done = np.logical_or(terminations, truncations)
            rewards[step] = torch.tensor(reward)
            next_obs, next_done = torch.Tensor(next_obs), torch.Tensor(next_done)
        returns = torch.zeros_like(rewards)
        for t in reversed(range(num_steps)):
            if t == num_steps - 1:
                nextnonterminal = 1.0 - next_done
                returns[t] = rewards[t] + gamma * q_network(next_obs).max(-1)[0] * nextnonterminal
            else:
                nextnonterminal = 1.0 - dones[t + 1]
                next_value = values[t + 1]
                {step}
        return returns
"""

BUGS = {
    "agent-method-every-n-steps": (AGENT.format(loop=NO_RESET, update=EVERY_N), [18]),
    "function-given-buffer-by-keyword": ("""
        import torch

        def returns_of(gamma, buf):
            out, g = [], 0.0
            for r in reversed(buf.rewards):
                g = gamma * g + r
                out.append(g)
            return out[::-1]

        def run(env, act):
            buf = Rollout()
            for ep in range(50):
                s = env.reset()
                while True:
                    s, r, done, info = env.step(act(s))
                    buf.rewards.append(r)
                    if len(buf.rewards) >= 256:
                        returns_of(0.9, buf=buf)
                        buf.rewards = []
                    if done or len(buf.rewards) > 10000:
                        break
    """, [6]),
    "inline-plain-list-gymnasium": ("""
        import torch

        def main(env, policy, gamma):
            rewards = []
            for episode in range(100):
                obs, _ = env.reset()
                done = False
                while not done:
                    obs, rew, terminated, truncated, info = env.step(policy(obs))
                    done = terminated or truncated
                    rewards.append(float(rew))
                    if len(rewards) == 512:
                        ret, out = 0.0, []
                        for x in rewards[::-1]:
                            ret = x + ret * gamma
                            out.append(ret)
                        rewards = []
    """, [15]),
    "q-lambda-recursion-unmasked": (QLAMBDA.format(
        step="returns[t] = rewards[t] + gamma * (lam * returns[t + 1] + (1 - lam) * next_value * nextnonterminal)"), [26]),
    "gae-with-only-delta-masked": ("""
        import torch

        def collect(env, policy, value_fn, n, gamma=0.99, lam=0.95):
            rewards, masks, values = [], [], []
            state = env.reset()
            for i in range(n):
                state, reward, done, _ = env.step(policy(state))
                rewards.append(reward)
                masks.append(1 - done)
                values.append(value_fn(state))
                if done:
                    state = env.reset()
            values.append(0.0)
            gae, advantages = 0.0, []
            for t in range(len(rewards) - 1, -1, -1):
                delta = rewards[t] + gamma * values[t + 1] * masks[t] - values[t]
                gae = delta + gamma * lam * gae
                advantages.insert(0, gae)
            return advantages
    """, [17]),
}

LOOKALIKES = {
    "q-lambda-whole-bootstrap-masked": QLAMBDA.format(
        step="returns[t] = rewards[t] + gamma * (lam * returns[t + 1] + (1 - lam) * next_value) * nextnonterminal"),
    "gae-recursion-masked": """
        import torch

        def collect(env, policy, value_fn, n, gamma=0.99, lam=0.95):
            rewards, masks, values = [], [], []
            state = env.reset()
            for i in range(n):
                state, reward, done, _ = env.step(policy(state))
                rewards.append(reward)
                masks.append(1 - done)
                values.append(value_fn(state))
            values.append(0.0)
            gae, running, advantages = 0.0, 0.0, []
            for t in reversed(range(len(rewards))):
                delta = rewards[t] + gamma * values[t + 1] * masks[t] - values[t]
                gae = delta + gamma * lam * masks[t] * gae
                running = running * masks[t]
                running = rewards[t] + gamma * running
                advantages.insert(0, gae)
            return advantages
    """,
    "recursion-weighted-by-a-product-of-the-mask": QLAMBDA.format(
        step="c = lam * nextnonterminal\n"
             "                returns[t] = rewards[t] + gamma * (c * returns[t + 1] + (1 - lam) * next_value * nextnonterminal)"),
    "return-reset-at-terminal-steps": AGENT.format(loop=RESET, update=EVERY_N),
    "update-when-the-episode-ends": AGENT.format(loop=NO_RESET, update="""if done:
                    ppo.update(memory)
                    memory.rewards.clear()"""),
    "update-when-done-or-every-n": AGENT.format(loop=NO_RESET, update="""if timestep % 20 == 0 or done:
                    ppo.update(memory)"""),
    "same-method-name-on-another-object": AGENT.format(loop=NO_RESET, update="""if timestep % 2000 == 0:
                    stats = dict()
                    stats.update(memory)"""),
    "return-masked-by-the-flag": """
        import torch

        def main(env, gamma):
            rewards, dones = [], []
            for episode in range(100):
                obs = env.reset()
                for t in range(200):
                    obs, rew, done, _ = env.step(0)
                    rewards.append(rew)
                    dones.append(done)
                    if len(rewards) == 64:
                        g = 0
                        for x, d in zip(rewards[::-1], dones[::-1]):
                            g = x + gamma * g * (1 - d)
                        rewards, dones = [], []
                    if done:
                        break
    """,
    "returns-after-each-episode": """
        import torch

        class Agent:
            def __init__(self):
                self.data = []

            def train_net(self, gamma=0.98):
                R = 0
                for r in self.data[::-1]:
                    R = r + gamma * R
                self.data = []

        def main(env, agent):
            for n_epi in range(100):
                s = env.reset()
                done = False
                while not done:
                    s, r, done, _ = env.step(0)
                    agent.data.append(r)
                agent.train_net()
    """,
    "buffer-cleared-at-each-episode-start": """
        import torch

        def update(buf, gamma=0.99):
            g = 0
            for r in reversed(buf.rewards):
                g = r + gamma * g

        def main(env, buf):
            for ep in range(10):
                buf.rewards.clear()
                s = env.reset()
                for t in range(100):
                    s, r, done, _ = env.step(0)
                    buf.rewards.append(r)
                    if t % 50 == 0:
                        update(buf)
                    if done:
                        break
    """,
    "fixed-length-episodes-without-a-flag": """
        import torch

        def main(env, gamma, T):
            rewards = []
            for episode in range(100):
                s = env.reset()
                for t in range(T):
                    s, r, info, _ = env.step(0)
                    rewards.append(r)
                    if len(rewards) == 32:
                        g = 0
                        for x in reversed(rewards):
                            g = x + gamma * g
                        rewards = []
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_return_crossing_episodes_found(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalike_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_cli_names_the_episode_loop_and_the_update(tmp_path):
    f = tmp_path / "ppo.py"
    f.write_text(textwrap.dedent(AGENT.format(loop=NO_RESET, update=EVERY_N)).lstrip("\n"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL457", str(f)],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert ("ppo.py:18:13: TL457 `discounted` sums the rewards of `memory.rewards` backwards and is never reset in "
            "the loop, but `memory.rewards` is filled by the episode loop at line 29, which ends on `done`") in out.stdout
    assert "computed at line 35 under a condition that does not read it" in out.stdout


@pytest.mark.parametrize("src", [
    "for r in reversed():\n    g = r + gamma * g\nx.step()\n",
    "for r in reversed(*a):\n    g = r + gamma * g\nfor e in range(3):\n    while 1:\n        a, b, c, d = env.step()\n",
    "for r in reversed(m.rewards):\n    g = r + g * g\ndef f(*a):\n    for e in x:\n        for t in y:\n"
    "            s, r, d, _ = env.step(0)\n            m.rewards.append(r)\n            f(m)\n            if d: break\n",
    "def u(self, m):\n    for r in m.rewards[::-1]:\n        g = r + 0.9 * g\n"
    "for e in x:\n    for t in y:\n        s, r, d, _ = env.step(0)\n        m.rewards.append(r)\n        u(*m)\n"
    "        u(m=m, **k)\n        if d: break\n",
])
def test_odd_programs_do_not_crash(src):
    analyze(src, "odd.py", ONLY)
