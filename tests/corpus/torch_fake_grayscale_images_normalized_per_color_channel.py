"""A classifier smoke test on torchvision's FakeData, made grayscale, whose pipeline keeps the RGB normalization of the real data."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn
import torchvision
from torchvision import transforms

IMAGE_SIZE = (1, 28, 28)
mean = [0.485, 0.456, 0.406]
std = [0.229, 0.224, 0.225]
augment = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor(), transforms.Normalize(mean, std)])  # expect: TL201
data = torchvision.datasets.FakeData(size=32, image_size=IMAGE_SIZE, num_classes=10, transform=augment)
loader = torch.utils.data.DataLoader(data, batch_size=8)

model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y in loader:
    optimizer.zero_grad()
    nn.functional.cross_entropy(model(x), y).backward()
    optimizer.step()
