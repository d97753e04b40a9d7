"""A small PyTorch U-Net on 10x10 tiles: the encoder's 5x5 map is pooled to 2x2 and upsampled back to 4x4, so the skip connection concatenates 4x4 with 5x5."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn


class TinyUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.enc2 = nn.Sequential(nn.Conv2d(8, 16, 3, padding=1), nn.ReLU())
        self.pool = nn.MaxPool2d(2)
        self.bottom = nn.Conv2d(16, 16, 3, padding=1)
        self.up = nn.ConvTranspose2d(16, 16, 2, stride=2)
        self.dec = nn.Conv2d(32, 1, 3, padding=1)

    def forward(self, x):
        s1 = self.enc1(x)  # 10x10 -> 5x5
        s2 = self.enc2(s1)  # 5x5
        b = self.bottom(self.pool(s2))  # 2x2
        u = self.up(b)  # 4x4
        return self.dec(torch.cat([u, s2], dim=1))  # expect: TL211


net = TinyUNet()
masks = net(torch.randn(2, 1, 10, 10))
