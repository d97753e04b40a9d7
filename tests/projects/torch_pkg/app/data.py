import torch
from torch.utils.data import DataLoader, TensorDataset


def make_loader(n=256, features=20, classes=4, batch_size=32):
    x = torch.randn(n, features)
    y = torch.randint(0, classes, (n,))
    return DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True)
