"""A training script whose learning rate option is parsed with type=int and a default of 0.01.

Silent until used: the default is kept as 0.01, but `--lr 0.001` on the command line is
rejected by argparse ("invalid int value") and `--lr 1` trains with a learning rate of 1.
"""
# runtime: runs
import argparse

import torch
import torch.nn as nn

parser = argparse.ArgumentParser(description="MLP on random data")
parser.add_argument("--epochs", type=int, default=3, help="number of epochs")
parser.add_argument("--lr", type=int, default=1e-2, help="learning rate (default: 0.01)")  # expect: TL112
args = parser.parse_args([])

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
x, y = torch.randn(32, 4), torch.randn(32, 1)
for epoch in range(args.epochs):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
print(f"lr {args.lr}, loss {loss.item():.3f}")
