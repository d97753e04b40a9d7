"""Features drawn with NumPy's Generator API (np.random.default_rng) are float64 and reach a float32 nn.Linear."""
# runtime: raises RuntimeError
import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(42)
area = rng.uniform(40, 250, size=64)
rooms = rng.integers(1, 8, size=64)
X = np.stack([area / 100.0, rooms], axis=1)
y = torch.from_numpy(X[:, :1] * 1.5).float()

model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
opt = torch.optim.Adam(model.parameters())
opt.zero_grad()
loss = nn.functional.mse_loss(model(torch.from_numpy(X)), y)  # expect: TL102
loss.backward()
opt.step()
