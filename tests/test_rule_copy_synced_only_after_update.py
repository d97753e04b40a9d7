"""TL463: a second network built like the one it copies that receives its weights only at the
end of the update (after the training step), never where it is built. Written several ways: a
PPO agent whose old policy is run from outside the class, one whose own method runs it; a
target network of a DQN module-level script; a Keras DQN whose target model is set after `fit`;
a TF2 loop whose `clone_model` copy is set after `apply_gradients`; and the CLI on a file. The
look-alikes synchronise the copy where it is built (directly, by a method the constructor calls,
by `copy_` of its parameters, from a checkpoint), synchronise it first in the update or under a
condition, never run the copy, build it by another call, or train it with its own optimizer."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL463",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "agent.py", ONLY).findings)


PPO = """
    import torch
    import torch.nn as nn
    from torch.distributions import Categorical


    class ActorCritic(nn.Module):
        def __init__(self, state_dim, action_dim, hidden):
            super().__init__()
            self.actor = nn.Sequential(nn.Linear(state_dim, hidden), nn.Tanh(), nn.Linear(hidden, action_dim), nn.Softmax(dim=-1))
            self.critic = nn.Sequential(nn.Linear(state_dim, hidden), nn.Tanh(), nn.Linear(hidden, 1))

        def act(self, state, memory):
            dist = Categorical(self.actor(state))
            action = dist.sample()
            memory.logprobs.append(dist.log_prob(action))
            return action.item()


    class PPO:
        def __init__(self, state_dim, action_dim, hidden, lr, device):
            self.policy = ActorCritic(state_dim, action_dim, hidden).to(device)
            self.optimizer = torch.optim.Adam(self.policy.parameters(), lr=lr)
            self.policy_old = ActorCritic(state_dim, action_dim, hidden).to(device)
            {init}

        def update(self, memory, epochs):
            {first}
            for _ in range(epochs):
                loss = self.policy.critic(memory.states).mean()
                self.optimizer.zero_grad()
                loss.mean().backward()
                self.optimizer.step()
            {last}


    def main(env, memory, device):
        ppo = PPO(4, 2, 64, 0.002, device)
        for t in range(10000):
            action = ppo.policy_old.act(env.state(), memory)
            if t % 2000 == 0:
                ppo.update(memory, 4)
"""

SYNC = "self.policy_old.load_state_dict(self.policy.state_dict())"


def _ppo(init="pass", first="pass", last=SYNC) -> str:
    return PPO.format(init=init, first=first, last=last)


def test_ppo_old_policy_synced_only_after_the_update():
    assert _lines(_ppo()) == [23]


def test_ppo_old_policy_synced_where_it_is_built_is_silent():
    assert _lines(_ppo(init=SYNC)) == []
    assert _lines(_ppo(init="self.policy_old.load_state_dict(torch.load('old.pt'))")) == []


def test_sync_before_the_step_or_under_a_condition_is_silent():
    assert _lines(_ppo(first=SYNC, last="pass")) == []
    assert _lines(_ppo(last="if epochs > 1:\n                " + SYNC)) == []


def test_copy_handed_to_a_helper_where_it_is_built_is_silent():
    src = _ppo(init="hard_update(self.policy_old, self.policy)") + (
        "\n\ndef hard_update(target, source):\n    for t, s in zip(target.parameters(), source.parameters()):\n"
        "        t.data.copy_(s.data)\n")
    assert _lines(src) == []


def test_method_of_the_agent_runs_the_copy():
    src = """
        import torch
        import torch.nn as nn


        class Critic(nn.Module):
            def __init__(self, n):
                super().__init__()
                self.v = nn.Linear(n, 1)

            def forward(self, x):
                return self.v(x)


        class Agent:
            def __init__(self, n):
                self.critic = Critic(n)
                self.critic_target = Critic(n)
                self.critic_optim = torch.optim.RMSprop(self.critic.parameters(), lr=1e-3)

            def learn(self, s, r, s2):
                y = r + 0.9 * self.critic_target(s2).detach()
                loss = (self.critic(s) - y).pow(2).mean()
                self.critic_optim.zero_grad()
                loss.backward()
                self.critic_optim.step()
                self.critic_target.load_state_dict(self.critic.state_dict())
    """
    assert _lines(src) == [17]


def test_module_level_target_network():
    src = """
        import torch
        from torch import nn

        net = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 2))
        target_net = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 2))
        optimizer = torch.optim.Adam(net.parameters())


        def optimize(s, a, r, s2):
            with torch.no_grad():
                y = r + 0.99 * target_net(s2).max(1).values
            loss = nn.functional.smooth_l1_loss(net(s).gather(1, a).squeeze(1), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            target_net.load_state_dict(net.state_dict())
    """
    assert _lines(src) == [5]


def test_copy_with_optimizer_of_its_own_or_never_run_is_silent():
    trained = """
        import torch
        import torch.nn as nn

        class Agent:
            def __init__(self):
                self.a = nn.Linear(4, 2)
                self.b = nn.Linear(4, 2)
                self.opt_a = torch.optim.Adam(self.a.parameters())
                self.opt_b = torch.optim.Adam(self.b.parameters())

            def act(self, s):
                return self.b(s)

            def learn(self):
                self.opt_a.step()
                self.b.load_state_dict(self.a.state_dict())
    """
    kept = """
        import torch
        import torch.nn as nn

        class Trainer:
            def __init__(self):
                self.model = nn.Linear(4, 2)
                self.best = nn.Linear(4, 2)
                self.opt = torch.optim.SGD(self.model.parameters(), lr=0.1)

            def epoch(self):
                self.opt.step()
                self.best.load_state_dict(self.model.state_dict())
                torch.save(self.best.state_dict(), "best.pt")
    """
    assert _lines(trained) == []
    assert _lines(kept) == []


KERAS = """
    import numpy as np
    from tensorflow import keras


    class Agent:
        def __init__(self, n_states, n_actions):
            self.model = self._build(n_states, n_actions)
            self.target_model = self._build(n_states, n_actions)
            {init}

        def _build(self, n_states, n_actions):
            model = keras.Sequential([keras.Input((n_states,)), keras.layers.Dense(24, activation="relu"),
                                      keras.layers.Dense(n_actions)])
            model.compile(optimizer="adam", loss="mse")
            return model

        def replay(self, states, actions, rewards, next_states):
            target = self.model.predict(states, verbose=0)
            target[np.arange(len(actions)), actions] = rewards + 0.95 * self.target_model.predict(next_states, verbose=0).max(axis=1)
            self.model.fit(states, target, epochs=1, verbose=0)
            self.target_model.set_weights(self.model.get_weights())
"""


def test_keras_target_model_set_only_after_fit():
    assert _lines(KERAS.format(init="pass")) == [8]
    assert _lines(KERAS.format(init="self.target_model.set_weights(self.model.get_weights())")) == []


def test_cli_reports_the_copy():
    src = textwrap.dedent(_ppo()).lstrip("\n")
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", "--select", "TL463", "-"], input=src,
                         capture_output=True, text=True)
    assert "TL463" in out.stdout and ":23:" in out.stdout
    assert "policy_old" in out.stdout
