"""A DQN whose target network is made with copy.copy of the online Q-network.

The shallow copy holds the online network's parameter tensors: after a gradient step the target
network's weights have moved with the online ones, so the TD targets are never held fixed.
"""
# runtime: runs
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F


class QNet(nn.Module):
    def __init__(self, n_obs, n_actions):
        super().__init__()
        self.fc1 = nn.Linear(n_obs, 64)
        self.fc2 = nn.Linear(64, n_actions)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


policy_net = QNet(4, 2)
target_net = copy.copy(policy_net)  # expect: TL438
target_net.eval()
optimizer = torch.optim.Adam(policy_net.parameters(), lr=1e-3)
gamma = 0.99

before = target_net.fc1.weight.detach().clone()
for step in range(20):
    s = torch.randn(32, 4)
    a = torch.randint(0, 2, (32, 1))
    r = torch.randn(32, 1)
    s_next = torch.randn(32, 4)
    done = torch.zeros(32, 1)
    with torch.no_grad():
        target = r + gamma * (1 - done) * target_net(s_next).max(dim=1, keepdim=True)[0]
    q = policy_net(s).gather(1, a)
    loss = F.smooth_l1_loss(q, target)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
moved = (target_net.fc1.weight - before).abs().max().item()
print(loss.item(), moved)
