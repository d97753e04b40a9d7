"""A DDPG agent whose target actor and critic are shallow copies made in the agent's __init__.

`copy(self.critic)` shares the critic's parameters: the soft update writes each parameter onto
itself, and the critic's target moves with every critic step.
"""
# runtime: runs
from copy import copy

import torch
import torch.nn as nn


class Actor(nn.Module):
    def __init__(self, n_obs, n_act):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_obs, 64), nn.ReLU(), nn.Linear(64, n_act), nn.Tanh())

    def forward(self, s):
        return self.net(s)


class Critic(nn.Module):
    def __init__(self, n_obs, n_act):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_obs + n_act, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, s, a):
        return self.net(torch.cat([s, a], dim=1))


class Agent:
    def __init__(self, n_obs, n_act, tau=0.005):
        self.actor = Actor(n_obs, n_act)
        self.critic = Critic(n_obs, n_act)
        self.actor_target = copy(self.actor)  # expect: TL438
        self.critic_target = copy(self.critic)  # expect: TL438
        self.actor_opt = torch.optim.Adam(self.actor.parameters(), lr=1e-4)
        self.critic_opt = torch.optim.Adam(self.critic.parameters(), lr=1e-3)
        self.tau = tau

    def update(self, s, a, r, s_next):
        with torch.no_grad():
            y = r + 0.99 * self.critic_target(s_next, self.actor_target(s_next))
        critic_loss = ((self.critic(s, a) - y) ** 2).mean()
        self.critic_opt.zero_grad()
        critic_loss.backward()
        self.critic_opt.step()
        actor_loss = -self.critic(s, self.actor(s)).mean()
        self.actor_opt.zero_grad()
        actor_loss.backward()
        self.actor_opt.step()
        for p, tp in zip(self.critic.parameters(), self.critic_target.parameters()):
            tp.data.copy_(self.tau * p.data + (1 - self.tau) * tp.data)
        return critic_loss.item()


agent = Agent(3, 1)
for _ in range(5):
    loss = agent.update(torch.randn(16, 3), torch.randn(16, 1), torch.randn(16, 1), torch.randn(16, 3))
shared = all(p is tp for p, tp in zip(agent.critic.parameters(), agent.critic_target.parameters()))
print(loss, shared)
