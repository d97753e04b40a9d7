"""Raw 0-255 pixel arrays converted with torch.from_numpy (int64) into a small CNN without .float()."""
# runtime: raises RuntimeError
import numpy as np
import torch
from torch import nn as N

pixels = np.random.randint(0, 256, size=(4, 1, 28, 28))
digits = np.random.randint(0, 10, size=(4,))

images = torch.from_numpy(pixels)
labels = torch.from_numpy(digits)

cnn = N.Sequential(
    N.Conv2d(1, 8, kernel_size=3, padding=1),
    N.ReLU(),
    N.MaxPool2d(2),
    N.Flatten(),
    N.Linear(8 * 14 * 14, 10),
)
optimizer = torch.optim.SGD(cnn.parameters(), lr=0.01)

optimizer.zero_grad()
scores = cnn(images)  # expect: TL101
loss = N.functional.cross_entropy(scores, labels)
loss.backward()
optimizer.step()
