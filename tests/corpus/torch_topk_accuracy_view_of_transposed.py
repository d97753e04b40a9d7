"""An image classifier whose top-k accuracy helper flattens rows of the transposed predictions with view."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class SmallNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.head = nn.Linear(8, classes)

    def forward(self, x):
        return self.head(torch.flatten(self.features(x), 1))


def accuracy(output, target, topk=(1,)):
    """Computes the precision@k for the specified values of k."""
    maxk = max(topk)
    batch_size = target.size(0)
    _, pred = output.topk(maxk, 1, True, True)
    pred = pred.t()
    correct = pred.eq(target.view(1, -1).expand_as(pred))
    res = []
    for k in topk:
        correct_k = correct[:k].view(-1).float().sum(0)  # expect: TL114
        res.append(correct_k.mul_(100.0 / batch_size))
    return res


model = SmallNet()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
criterion = nn.CrossEntropyLoss()
data = TensorDataset(torch.randn(96, 3, 16, 16), torch.randint(0, 10, (96,)))
loader = DataLoader(data, batch_size=32, shuffle=True)

for epoch in range(2):
    for images, target in loader:
        output = model(images)
        loss = criterion(output, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        prec1, prec5 = accuracy(output, target, topk=(1, 5))
        print(epoch, loss.item(), prec1.item(), prec5.item())
