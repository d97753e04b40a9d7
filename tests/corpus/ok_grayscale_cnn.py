"""Correct: the grayscale CNN with Conv2d(1, ...) and a Linear layer sized for the pooled 7x7 maps."""
# runtime: runs
import torch
import torch.nn as nn


class SmallCNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(32 * 7 * 7, num_classes)

    def forward(self, x):
        x = self.pool(torch.relu(self.bn1(self.conv1(x))))
        x = self.pool(torch.relu(self.conv2(x)))
        x = x.view(x.size(0), -1)
        return self.fc(x)


model = SmallCNN()
optimizer = torch.optim.Adam(model.parameters())
images, digits = torch.rand(8, 1, 28, 28), torch.randint(0, 10, (8,))
optimizer.zero_grad()
loss = nn.functional.cross_entropy(model(images), digits)
loss.backward()
optimizer.step()
