"""A CNN built for RGB input (Conv2d(3, ...)) trained on single-channel MNIST-sized tensors."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn


class SmallCNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(32 * 7 * 7, num_classes)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))  # also: TL201
        x = self.pool(torch.relu(self.conv2(x)))
        return self.fc(torch.flatten(x, 1))


def fake_mnist(n):
    return torch.rand(n, 1, 28, 28), torch.randint(0, 10, (n,))


model = SmallCNN()
optimizer = torch.optim.Adam(model.parameters())
images, digits = fake_mnist(8)
optimizer.zero_grad()
loss = nn.functional.cross_entropy(model(images), digits)  # expect: TL201
loss.backward()
optimizer.step()
