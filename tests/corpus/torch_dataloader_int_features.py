"""Integer feature rows wrapped in a TensorDataset and fed batch by batch to an nn.Sequential MLP."""
# runtime: raises RuntimeError
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

rows = [[3, 1, 4, 1], [5, 9, 2, 6], [5, 3, 5, 8], [9, 7, 9, 3], [2, 3, 8, 4], [6, 2, 6, 4]]
targets = [0, 1, 1, 0, 1, 0]

dataset = TensorDataset(torch.tensor(rows), torch.tensor(targets))
loader = DataLoader(dataset, batch_size=2, shuffle=True)

model = nn.Sequential(
    nn.Linear(4, 8),
    nn.ReLU(),
    nn.Linear(8, 2),
)
loss_fn = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.1)

for epoch in range(1):
    for xb, yb in loader:
        opt.zero_grad()
        out = model(xb)  # expect: TL101
        loss = loss_fn(out, yb)
        loss.backward()
        opt.step()
