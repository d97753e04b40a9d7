"""A price regressor trained batch by batch with F.l1_loss on (B, 1) predictions and (B,) targets.

Silent: L1 broadcasts to (B, B) and PyTorch only warns about the size difference; the model learns
the median of all prices in the batch instead of each sample's price.
"""
# runtime: runs
import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
features = torch.rand(24, 4)
prices = features @ torch.tensor([2.0, -1.0, 0.5, 3.0])

loader = DataLoader(TensorDataset(features, prices), batch_size=8, shuffle=True)
regressor = nn.Linear(4, 1)
opt = torch.optim.SGD(regressor.parameters(), lr=0.05)

for xb, yb in loader:
    opt.zero_grad()
    loss = F.l1_loss(regressor(xb), yb)  # expect: TL205
    loss.backward()
    opt.step()
