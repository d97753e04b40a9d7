"""A PyTorch digit classifier whose batch loop meant to scale the pixels to [0, 1] but compares instead.

Silent: `images == images / 255.0` builds a boolean tensor and drops it, so every batch reaches
the network with its raw 0-255 values and the first layer sees inputs 255 times larger than
intended; the loss is large and training is erratic, but nothing fails.
"""
# runtime: runs
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

rng = np.random.default_rng(0)
pixels = rng.integers(0, 256, size=(128, 1, 28, 28)).astype(np.float32)
digits = rng.integers(0, 10, size=128)
loader = DataLoader(TensorDataset(torch.from_numpy(pixels), torch.from_numpy(digits)), batch_size=32, shuffle=True)

model = nn.Sequential(
    nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 4 * 4, 10),
)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)


def train_epoch(model, loader):
    model.train()
    total = 0.0
    for images, labels in loader:
        images == images / 255.0  # expect: TL010
        outputs = model(images)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * images.size(0)
    return total / len(loader.dataset)


for epoch in range(2):
    print(f"epoch {epoch}: loss {train_epoch(model, loader):.3f}")
