"""A PyTorch CNN trained on MNIST-style digits stored as flat 784-pixel rows, reshaped to (1, 28, 28) before ToTensor.

ToTensor reads a numpy array as H x W x C, so each (1, 28, 28) image comes out as a (28, 1, 28)
tensor: 28 channels of a one-pixel-high image, and the first convolution, built for one channel,
raises RuntimeError.
"""
# runtime: raises RuntimeError
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

np_reshape = lambda x: np.reshape(x, (1, 28, 28))
transform = transforms.Compose([transforms.Lambda(np_reshape), transforms.ToTensor()])  # expect: TL231


class DigitRows(Dataset):
    def __init__(self, rows, labels, transform=None):
        self.rows, self.labels, self.transform = rows, labels, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        image = self.rows[i]
        if self.transform is not None:
            image = self.transform(image)
        return image, int(self.labels[i])


rows = np.random.randint(0, 256, size=(64, 784)).astype(np.uint8)
labels = np.random.randint(0, 10, size=64)
loader = DataLoader(DigitRows(rows, labels, transform), batch_size=16, shuffle=True)

model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 14 * 14, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
criterion = nn.CrossEntropyLoss()
for images, targets in loader:
    optimizer.zero_grad()
    loss = criterion(model(images), targets)
    loss.backward()
    optimizer.step()
