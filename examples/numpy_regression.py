"""Regress house prices from NumPy feature arrays with a PyTorch MLP."""
import numpy as np
import torch
import torch.nn as nn


def load_houses(n: int = 400):
    rng = np.random.default_rng(0)
    rooms = rng.integers(1, 8, size=n)
    area = rng.uniform(40, 250, size=n)
    age = rng.uniform(0, 80, size=n)
    X = np.stack([rooms, area / 100.0, age / 10.0], axis=1)
    y = 0.5 * X[:, 0] + 1.5 * X[:, 1] - 0.2 * X[:, 2] + rng.normal(0, 0.1, size=n)
    return X, y.reshape(-1, 1)


X, y = load_houses()
inputs = torch.from_numpy(X)
targets = torch.from_numpy(y).float()

model = nn.Sequential(nn.Linear(3, 64), nn.ReLU(), nn.Linear(64, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()

for epoch in range(100):
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
print(f"final MSE {loss.item():.4f}")
