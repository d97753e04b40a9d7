"""A PyTorch classifier for 32 x 32 RGB images kept as H x W x C uint8 arrays, transposed to channels first before ToTensor.

ToTensor moves the last axis to the front itself, so each image transposed to (3, 32, 32) comes
out as a (32, 3, 32) tensor, and the Normalize step after it, given the means of three channels,
raises RuntimeError on 32.
"""
# runtime: raises RuntimeError
import numpy as np
import torch
import torch.nn as nn
import torchvision.transforms as T

train_transform = T.Compose([
    T.Lambda(lambda img: img.transpose(2, 0, 1)),
    T.ToTensor(),  # expect: TL231
    T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),
])

images = np.random.randint(0, 256, size=(16, 32, 32, 3)).astype(np.uint8)
labels = torch.randint(0, 10, (16,))
batch = torch.stack([train_transform(img) for img in images])

model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss = nn.functional.cross_entropy(model(batch), labels)
optimizer.zero_grad()
loss.backward()
optimizer.step()
