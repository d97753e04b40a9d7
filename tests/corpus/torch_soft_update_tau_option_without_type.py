"""A PyTorch DDPG-style script whose target network soft update reads `--tau` from argparse, run with `--tau 0.01`.

`--tau` has the float default 0.005 and no type, so the value given on the command line stays the
string '0.01' and the soft update raises TypeError at `1 - args.tau`.
"""
# runtime: raises TypeError
import argparse
import copy

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--tau", default=0.005, help="soft update rate")  # expect: TL450
parser.add_argument("--gamma", type=float, default=0.99)
args = parser.parse_args(["--tau", "0.01"])

critic = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 1))
critic_target = copy.deepcopy(critic)
optimizer = torch.optim.Adam(critic.parameters(), lr=1e-3)

state, reward = torch.randn(16, 4), torch.randn(16, 1)
with torch.no_grad():
    target = reward + args.gamma * critic_target(state)
loss = nn.functional.mse_loss(critic(state), target)
optimizer.zero_grad()
loss.backward()
optimizer.step()

for param, target_param in zip(critic.parameters(), critic_target.parameters()):
    target_param.data.copy_((1 - args.tau) * target_param.data + args.tau * param.data)
