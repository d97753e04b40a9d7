"""A PyTorch script whose float options are parsed as floats: one by `type=float`, one converted where it is read."""
# runtime: runs
import argparse

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=1e-3)
parser.add_argument("--momentum", default=0.9)
parser.add_argument("--dropout", default="0.1", type=float)
parser.add_argument("--half", action="store_const", const=0.5, default=1.0)
args = parser.parse_args(["--lr", "0.01", "--momentum", "0.8", "--dropout", "0.2"])

model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(args.dropout), nn.Linear(8, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr * args.half, momentum=float(args.momentum))
loss = model(torch.randn(16, 4)).pow(2).mean()
optimizer.zero_grad()
loss.backward()
optimizer.step()
