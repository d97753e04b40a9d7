"""REINFORCE on a small corridor environment whose episode flag `done` is set once, before the episode loop.

After the first episode ends `done` stays True: every later episode skips its `while not done`
loop, so no step is taken and the policy update runs on an empty episode.
"""
# runtime: runs
import torch
import torch.nn as nn
from torch.distributions import Categorical


class Corridor:
    def __init__(self, length=6):
        self.length = length

    def reset(self):
        self.pos = 0
        return torch.tensor([0.0, 1.0])

    def step(self, action):
        self.pos += 1 if action == 1 else 0
        done = self.pos >= self.length
        return torch.tensor([self.pos / self.length, 1.0]), (1.0 if done else -0.1), done


policy = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2), nn.Softmax(dim=-1))
optimizer = torch.optim.Adam(policy.parameters(), lr=1e-2)
env = Corridor()
steps_per_episode = []
done = False
for episode in range(5):
    s = env.reset()
    log_probs, rewards = [], []
    while not done:  # expect: TL322
        dist = Categorical(policy(s))
        a = dist.sample()
        s, r, done = env.step(a.item())
        log_probs.append(dist.log_prob(a))
        rewards.append(r)
    steps_per_episode.append(len(rewards))
    if log_probs:
        loss = -torch.stack(log_probs).sum() * sum(rewards)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
print(steps_per_episode)
