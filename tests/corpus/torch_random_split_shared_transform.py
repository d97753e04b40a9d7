"""A training set with augmentation split by random_split, whose validation part then gets the test transform through `.dataset`.

Silent: both parts share one dataset, so the training part now loads with the test
transform too and the augmentation never runs.
"""
# runtime: runs
import torch
from torch.utils.data import DataLoader, Dataset, random_split

torch.manual_seed(0)


class Signals(Dataset):
    def __init__(self, n, transform=None):
        self.x = torch.randn(n, 16)
        self.y = (self.x.sum(1) > 0).long()
        self.transform = transform

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        x = self.x[i]
        return (self.transform(x) if self.transform else x), self.y[i]


def augment(x):
    return x + 0.3 * torch.randn_like(x)


def no_augment(x):
    return x


full = Signals(500, transform=augment)
train_data, valid_data = random_split(full, [400, 100])
valid_data.dataset.transform = no_augment  # expect: TL432
train_loader = DataLoader(train_data, batch_size=32, shuffle=True)
valid_loader = DataLoader(valid_data, batch_size=32)

model = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.ReLU(), torch.nn.Linear(32, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(2):
    for x, y in train_loader:
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
