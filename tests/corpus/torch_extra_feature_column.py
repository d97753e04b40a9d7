"""A tabular regressor declared for 12 features while the data helper returns 13 columns (the target kept)."""
# runtime: raises RuntimeError
import torch
from torch.nn import Linear, MSELoss, ReLU, Sequential
from torch.utils.data import DataLoader, TensorDataset


def load_table(n=40):
    table = torch.randn(n, 13)
    target = table[:, -1:]
    return table, target  # forgot to drop the target column from the features


features, target = load_table()
loader = DataLoader(TensorDataset(features, target), batch_size=8, shuffle=True)

model = Sequential(Linear(12, 32), ReLU(), Linear(32, 1))
loss_fn = MSELoss()
optimizer = torch.optim.Adam(model.parameters())
for xb, yb in loader:
    optimizer.zero_grad()
    loss = loss_fn(model(xb), yb)  # expect: TL202
    loss.backward()
    optimizer.step()
