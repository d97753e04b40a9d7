"""A node classifier whose train() lost its epoch parameter while the epoch loop still passes one.

`train(epoch)` raises TypeError (train() takes 0 positional arguments but 1 was given) at the
first epoch, after the data and the model are built.
"""
# runtime: raises TypeError
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.randn(200, 16)
y = torch.randint(0, 4, (200,))
train_mask = torch.rand(200) < 0.6

model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)


def train():
    model.train()
    optimizer.zero_grad()
    out = model(x)
    loss = F.cross_entropy(out[train_mask], y[train_mask])
    loss.backward()
    optimizer.step()
    return float(loss)


@torch.no_grad()
def test():
    model.eval()
    pred = model(x).argmax(dim=-1)
    return float((pred[~train_mask] == y[~train_mask]).float().mean())


for epoch in range(1, 21):
    loss = train(epoch)  # expect: TL443
    print(f"epoch {epoch:02d} loss {loss:.4f} test acc {test():.4f}")
