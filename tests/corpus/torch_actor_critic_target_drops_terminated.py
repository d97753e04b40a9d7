"""A PyTorch actor-critic agent whose critic target drops the `terminated` flag it stores.

Silent: the agent pushes `terminated` of each gymnasium-style step with the transition, its
buffer returns it as the fifth array, and `learn` unpacks it as `terminals` and never reads
it, so the critic's target adds the next state's value after every episode's end.
"""
# runtime: runs
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Buffer:
    """Five growing columns: states, actions, rewards, next states, terminal flags."""

    def __init__(self):
        self.columns = [[] for _ in range(5)]

    def __len__(self):
        return len(self.columns[0])

    def push(self, *transition):
        for column, value in zip(self.columns, transition):
            column.append(value)

    def sample(self, batch_size):
        picks = np.random.choice(len(self), batch_size)
        s, a, r, s2, term = (torch.as_tensor(np.asarray(c, dtype=np.float32)[picks]) for c in self.columns)
        return s, a, r, s2, term


class Critic(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3 + 1, 1)

    def forward(self, s, a):
        return self.fc(torch.cat([s, a], dim=1)).squeeze(1)


class Agent:
    def __init__(self):
        self.buffer = Buffer()
        self.actor = nn.Linear(3, 1)
        self.actor_target = nn.Linear(3, 1)
        self.critic = Critic()
        self.critic_target = Critic()
        self.optimizer = torch.optim.Adam(self.critic.parameters(), lr=1e-3)

    def learn(self, gamma=0.99):
        states, actions, rewards, next_states, terminals = self.buffer.sample(16)
        with torch.no_grad():
            y = rewards + gamma * self.critic_target(next_states, self.actor_target(next_states))  # expect: TL458
        loss = F.mse_loss(self.critic(states, actions.unsqueeze(1)), y)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()


class Pendulumish:
    def reset(self):
        self.t = 0
        return np.zeros(3, dtype=np.float32), {}

    def step(self, action):
        self.t += 1
        return np.random.randn(3).astype(np.float32), -abs(action), self.t >= 8, False, {}


def run():
    np.random.seed(0)
    torch.manual_seed(0)
    env, agent = Pendulumish(), Agent()
    for episode in range(6):
        obs, _ = env.reset()
        for t in range(100):
            action = float(np.random.uniform(-1, 1))
            nxt, reward, terminated, truncated, _ = env.step(action)
            agent.buffer.push(obs, action, reward, nxt, terminated)
            obs = nxt
            if len(agent.buffer) >= 16:
                agent.learn()
            if terminated or truncated:
                break


run()
