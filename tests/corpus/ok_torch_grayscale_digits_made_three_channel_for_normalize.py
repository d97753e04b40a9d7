"""A pretrained-style pipeline that turns grayscale FakeData digits into three channels before the RGB normalization, and a one-value normalization for a grayscale model."""
# runtime: runs
import torch
import torch.nn as nn
import torchvision
from torchvision import transforms

rgb = transforms.Compose([
    transforms.Grayscale(num_output_channels=3),
    transforms.ToTensor(),
    transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)),
])
gray = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
color_data = torchvision.datasets.FakeData(size=16, image_size=(1, 28, 28), num_classes=10, transform=rgb)
gray_data = torchvision.datasets.FakeData(size=16, image_size=(1, 28, 28), num_classes=10, transform=gray)

for data, channels in ((color_data, 3), (gray_data, 1)):
    model = nn.Sequential(nn.Conv2d(channels, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for x, y in torch.utils.data.DataLoader(data, batch_size=8):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
