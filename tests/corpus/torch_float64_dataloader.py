"""A tabular classifier whose NumPy float64 table goes through torch.tensor and a DataLoader into nn.Linear."""
# runtime: raises RuntimeError
import numpy as np
import torch
import torch.nn.functional as F
from torch.nn import Linear
from torch.utils.data import DataLoader, TensorDataset

table = np.array([[5.1, 3.5, 1.4, 0.2], [4.9, 3.0, 1.4, 0.2], [6.3, 3.3, 6.0, 2.5], [5.8, 2.7, 5.1, 1.9]])
species = np.array([0, 0, 2, 2])

ds = TensorDataset(torch.tensor(table), torch.tensor(species))
loader = DataLoader(ds, batch_size=2)

clf = Linear(4, 3)
optim = torch.optim.SGD(clf.parameters(), lr=0.05)

for features, target in loader:
    optim.zero_grad()
    logits = clf(features)  # expect: TL102
    loss = F.cross_entropy(logits, target)
    loss.backward()
    optim.step()
