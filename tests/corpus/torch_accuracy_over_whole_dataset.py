"""An accuracy helper for a SubsetRandomSampler split that divides the correct count by the whole dataset.

Silent: the validation loader draws 50 of the 250 samples, but the count of correct
predictions is divided by 250, so the reported accuracy can never exceed 20 %.
"""
# runtime: runs
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, SubsetRandomSampler, TensorDataset

torch.manual_seed(0)
features = torch.randn(250, 4)
labels = (features[:, 0] > 0).long()
dataset = TensorDataset(features, labels)
valid_loader = DataLoader(dataset, batch_size=25, sampler=SubsetRandomSampler(range(50)))
train_loader = DataLoader(dataset, batch_size=25, sampler=SubsetRandomSampler(range(50, 250)))

net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.Adam(net.parameters(), lr=0.05)


def validation_accuracy():
    correct = 0
    with torch.no_grad():
        for inputs, targets in valid_loader:
            correct += (net(inputs).argmax(dim=1) == targets).sum().item()
    return 100.0 * correct / len(valid_loader.dataset)  # expect: TL430


for epoch in range(20):
    for inputs, targets in train_loader:
        optimizer.zero_grad()
        F.cross_entropy(net(inputs), targets).backward()
        optimizer.step()
accuracy = validation_accuracy()
print(f"validation accuracy: {accuracy:.1f}%")
