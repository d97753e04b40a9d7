"""A PyTorch feature extractor that concatenates the last batch of embeddings instead of the list.

Each batch's embeddings are appended to `features`, but `torch.cat` is given `feats`, the last
batch alone: torch wants a sequence of tensors and refuses the single tensor.
"""
# runtime: raises TypeError
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

encoder = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 8))
loader = DataLoader(TensorDataset(torch.randn(100, 16)), batch_size=32)
encoder.eval()
features = []
with torch.no_grad():
    for (batch,) in loader:
        feats = encoder(batch)
        features.append(feats)
all_features = torch.cat(feats, dim=0)  # expect: TL220
