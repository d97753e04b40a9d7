"""A PyTorch REINFORCE loop that sums returns over a fixed-size rollout without resetting them.

Silent: the rollout of 48 rewards is cut by its length, not by the episodes, and the backward
sum over it never starts again at the steps where `terminated or truncated` ended an episode,
so every step's return takes in the next episode's rewards.
"""
# runtime: runs
import torch
import torch.nn as nn


class Corridor:
    def __init__(self, length=7):
        self.length = length
        self.pos = 0

    def reset(self):
        self.pos = 0
        return torch.zeros(3), {}

    def step(self, action):
        self.pos += 1
        terminated = self.pos >= self.length
        return torch.randn(3), float(action), terminated, False, {}


def main(gamma=0.95):
    torch.manual_seed(0)
    env = Corridor()
    policy = nn.Linear(3, 2)
    opt = torch.optim.SGD(policy.parameters(), lr=0.01)
    rewards, logps = [], []
    for episode in range(30):
        obs, _ = env.reset()
        done = False
        while not done:
            dist = torch.distributions.Categorical(logits=policy(obs))
            action = dist.sample()
            logps.append(dist.log_prob(action))
            obs, rew, terminated, truncated, info = env.step(action.item())
            done = terminated or truncated
            rewards.append(rew)
            if len(rewards) == 48:
                g, returns = 0.0, []
                for r in rewards[::-1]:
                    g = r + g * gamma  # expect: TL457
                    returns.append(g)
                returns = torch.tensor(returns[::-1])
                loss = -(torch.stack(logps) * returns).sum()
                opt.zero_grad()
                loss.backward()
                opt.step()
                rewards, logps = [], []


main()
