"""A video sampler that picks each clip's middle frame at (start + end) / 2, a float index."""
# runtime: raises IndexError
import torch
import torch.nn as nn

frames = torch.randn(120, 3, 32, 32)
starts = torch.randint(0, 60, (8,))
ends = starts + torch.randint(10, 60, (8,))
centers = (starts + ends) / 2  # expect: TL441
batch = frames[centers]
encoder = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4))
print(encoder(batch).shape)
