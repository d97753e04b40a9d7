"""A PyTorch CNN on flat 784-pixel digit rows reshaped to H x W x C (28, 28, 1) before ToTensor, and on tensors reshaped after it."""
# runtime: runs
import numpy as np
import torch
import torch.nn as nn
from torchvision import transforms

to_image = transforms.Compose([transforms.Lambda(lambda x: np.reshape(x, (28, 28, 1))), transforms.ToTensor()])
from_tensor = transforms.Compose([transforms.ToTensor(), transforms.Lambda(lambda t: t.reshape(1, 28, 28))])

rows = np.random.randint(0, 256, size=(8, 784)).astype(np.uint8)
first = torch.stack([to_image(r) for r in rows])
second = torch.stack([from_tensor(r.reshape(28, 28)) for r in rows])
model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.Flatten(), nn.Linear(4 * 28 * 28, 10))
out = model(torch.cat([first, second]))
