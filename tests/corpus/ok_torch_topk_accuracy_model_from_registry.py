"""A classifier chosen by name from a registry, scored by a top-k accuracy helper that flattens rows of the transposed predictions with reshape."""
# runtime: runs
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class TinyConvNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(16, num_classes)

    def forward(self, x):
        return self.fc(self.body(x))


class WideMLP(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(3 * 16 * 16, 128), nn.ReLU(), nn.Linear(128, num_classes))

    def forward(self, x):
        return self.net(x)


ARCHS = {"tinyconv": TinyConvNet, "widemlp": WideMLP}


def accuracy(output, target, topk=(1,)):
    """Top-k precision, in percent, for each k."""
    with torch.no_grad():
        n = target.shape[0]
        _, best = torch.topk(output, max(topk), dim=1)
        best = best.t()
        hit = best.eq(target.view(1, -1).expand_as(best))
        scores = []
        for k in topk:
            count = hit[:k].reshape(-1).float().sum(0, keepdim=True)
            scores.append(count * (100.0 / n))
        return scores


parser = argparse.ArgumentParser()
parser.add_argument("--arch", default="tinyconv", choices=sorted(ARCHS))
parser.add_argument("--batch-size", type=int, default=32)
args, _ = parser.parse_known_args()

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = ARCHS[args.arch]().to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
criterion = nn.CrossEntropyLoss()
train = TensorDataset(torch.randn(128, 3, 16, 16), torch.randint(0, 10, (128,)))
loader = DataLoader(train, batch_size=args.batch_size, shuffle=True)

for epoch in range(2):
    model.train()
    for images, target in loader:
        images, target = images.to(device), target.to(device)
        output = model(images)
        loss = criterion(output, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        acc1, acc5 = accuracy(output, target, topk=(1, 5))
        print(f"epoch {epoch} loss {loss.item():.3f} top1 {acc1.item():.1f} top5 {acc5.item():.1f}")
