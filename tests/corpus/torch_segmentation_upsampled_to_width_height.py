"""A torch segmentation head that upsamples its logits to (width, height) before the per-pixel loss."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn
import torch.nn.functional as F

IMG_H, IMG_W = 64, 96


class SegNet(nn.Module):
    def __init__(self, n_classes=3):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
                                     nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU())
        self.classifier = nn.Conv2d(32, n_classes, 1)

    def forward(self, x):
        logits = self.classifier(self.encoder(x))
        return F.interpolate(logits, size=(IMG_W, IMG_H), mode="bilinear", align_corners=False)  # expect: TL233


model = SegNet()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
images = torch.randn(4, 3, IMG_H, IMG_W)
masks = torch.randint(0, 3, (4, IMG_H, IMG_W))
for step in range(2):
    optimizer.zero_grad()
    loss = criterion(model(images), masks)  # expect: TL208
    loss.backward()
    optimizer.step()
