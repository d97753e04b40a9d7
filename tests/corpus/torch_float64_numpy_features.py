"""A regression on NumPy data: torch.from_numpy keeps float64 and the float32 model rejects it."""
# runtime: raises RuntimeError
import numpy as np
import torch
import torch.nn as nn


def load_housing(n=50):
    X = np.random.rand(n, 8)
    y = X @ np.arange(1, 9) + 0.1 * np.random.randn(n)
    return X, y.reshape(-1, 1)


X_np, y_np = load_housing()
X = torch.from_numpy(X_np)
y = torch.from_numpy(y_np).float()

model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
mse = nn.MSELoss()

for step in range(3):
    optimizer.zero_grad()
    pred = model(X)  # expect: TL102
    loss = mse(pred, y)
    loss.backward()
    optimizer.step()
