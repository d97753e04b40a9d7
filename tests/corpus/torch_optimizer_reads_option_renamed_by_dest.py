"""A regression script whose `--lr` option is stored under `dest="learning_rate"`, read back as `args.lr`.

`dest=` renames the attribute: `args.lr` raises AttributeError in train(), when the optimizer is made.
"""
# runtime: raises AttributeError
import argparse

import torch
import torch.nn as nn


def get_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", dest="learning_rate", type=float, default=1e-3)
    parser.add_argument("--steps", type=int, default=50)
    return parser


parser = get_args()
args = parser.parse_args([])


def train():
    x = torch.randn(256, 4)
    y = x.sum(dim=1, keepdim=True)
    model = nn.Linear(4, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)  # expect: TL442
    for step in range(args.steps):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    return loss.item()


print(train())
