"""A DCGAN data pipeline for MNIST that normalizes the digits with the three-channel means and stds of a color dataset."""
# runtime: raises RuntimeError
import os
import struct
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torchvision.datasets as dset
import torchvision.transforms as transforms
from torch.utils.data import DataLoader

# a small set of digits in MNIST's own file format, where torchvision looks for it
root = tempfile.mkdtemp()
raw = os.path.join(root, "MNIST", "raw")
os.makedirs(raw)
rng = np.random.default_rng(0)
for prefix, count in (("train", 64), ("t10k", 16)):
    with open(os.path.join(raw, f"{prefix}-images-idx3-ubyte"), "wb") as f:
        f.write(struct.pack(">IIII", 2051, count, 28, 28) + rng.integers(0, 256, (count, 28, 28), dtype=np.uint8).tobytes())
    with open(os.path.join(raw, f"{prefix}-labels-idx1-ubyte"), "wb") as f:
        f.write(struct.pack(">II", 2049, count) + rng.integers(0, 10, count, dtype=np.uint8).tobytes())

trans = transforms.Compose([
    transforms.Resize(32),
    transforms.ToTensor(),
    transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),  # expect: TL201
])
train_dataset = dset.MNIST(root=root, train=True, download=False, transform=trans, target_transform=None)
loader = DataLoader(train_dataset, batch_size=16, shuffle=True)

netD = nn.Sequential(
    nn.Conv2d(1, 16, 4, 2, 1), nn.LeakyReLU(0.2),
    nn.Conv2d(16, 32, 4, 2, 1), nn.LeakyReLU(0.2),
    nn.Flatten(), nn.Linear(32 * 8 * 8, 1),
)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
for images, _ in loader:
    optimizer.zero_grad()
    loss = criterion(netD(images), torch.ones(images.size(0), 1))
    loss.backward()
    optimizer.step()
