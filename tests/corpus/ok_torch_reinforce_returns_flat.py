"""A REINFORCE agent on a batch of bandit states whose returns are flattened to (N,) before they weight the log-probabilities."""
# runtime: runs
import torch
import torch.nn as nn
from torch.distributions import Categorical

torch.manual_seed(0)
policy = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 3), nn.Softmax(dim=-1))
optimizer = torch.optim.Adam(policy.parameters(), lr=1e-2)
payout = torch.tensor([0.0, 1.0, 0.2])

for episode in range(20):
    states = torch.randn(64, 4)
    dist = Categorical(policy(states))
    actions = dist.sample()
    returns = payout[actions].unsqueeze(1)  # (64, 1)
    returns = (returns - returns.mean()) / (returns.std() + 1e-8)
    loss = -(dist.log_prob(actions) * returns.squeeze(1)).mean() - 0.01 * dist.entropy().mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
