"""A PyTorch MLP whose factory picks the architecture in branches and never returns the network.

`net` is None: `net.parameters()` raises AttributeError when the optimizer is built.
"""
# runtime: raises AttributeError
import torch
import torch.nn as nn


def make_net(kind, in_features, n_classes):
    if kind == "deep":
        net = nn.Sequential(nn.Linear(in_features, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                            nn.Linear(64, n_classes))
    else:
        net = nn.Sequential(nn.Linear(in_features, 64), nn.ReLU(), nn.Linear(64, n_classes))
    net.to("cpu")


def train(kind="deep", epochs=3):
    net = make_net(kind, 20, 4)  # expect: TL421
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    for _ in range(epochs):
        x, y = torch.randn(32, 20), torch.randint(0, 4, (32,))
        optimizer.zero_grad()
        loss = criterion(net(x), y)
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    train()
