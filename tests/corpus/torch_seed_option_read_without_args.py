"""A PyTorch regression script that seeds numpy with `seed`, an argparse option it only ever reads as args.seed."""
# runtime: raises NameError
import argparse

import numpy as np
import torch

parser = argparse.ArgumentParser()
parser.add_argument("--seed", default=0, type=int)
parser.add_argument("--epochs", default=3, type=int)
args = parser.parse_args([])

torch.manual_seed(args.seed)
np.random.seed(seed)  # expect: TL003

x = torch.tensor(np.random.rand(64, 4), dtype=torch.float32)
y = x.sum(dim=1, keepdim=True)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(args.epochs):
    optimizer.zero_grad()
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
