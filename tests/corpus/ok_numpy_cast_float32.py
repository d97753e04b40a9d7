"""Correct: NumPy float64 data converted with .float() / astype(np.float32) before reaching the model, int pixels scaled."""
# runtime: runs
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

X = np.random.rand(40, 8)
y = np.random.rand(40, 1).astype(np.float32)
pixels = np.random.randint(0, 256, size=(40, 1, 4, 4))

features = torch.from_numpy(X).float()
images = torch.from_numpy(pixels).float() / 255.0
loader = DataLoader(TensorDataset(features, images, torch.from_numpy(y)), batch_size=10)

dense = nn.Linear(8, 1)
conv = nn.Conv2d(1, 2, kernel_size=4)
optimizer = torch.optim.SGD(list(dense.parameters()) + list(conv.parameters()), lr=0.01)
for xb, ib, yb in loader:
    optimizer.zero_grad()
    pred = dense(xb) + conv(ib).mean(dim=(1, 2, 3)).unsqueeze(1)
    loss = nn.functional.mse_loss(pred, yb)
    loss.backward()
    optimizer.step()
