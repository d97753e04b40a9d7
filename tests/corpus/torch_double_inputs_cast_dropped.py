"""A torch regressor fed float64 arrays, whose cast to float32 is written as a statement and dropped."""
# runtime: raises RuntimeError
import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(0)
data = rng.normal(size=(128, 8))
targets = data.sum(axis=1, keepdims=True)
model = nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()

for epoch in range(2):
    for start in range(0, 128, 32):
        xb = torch.from_numpy(data[start:start + 32])
        yb = torch.from_numpy(targets[start:start + 32])
        xb.to(torch.float32)  # expect: TL009
        yb.float()  # expect: TL009
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)  # expect: TL102
        loss.backward()
        optimizer.step()
