"""A PyTorch regression whose checkpointing keeps the epoch with the lowest validation loss, starting from 0.

Silent: the L1 loss is never below 0, so no epoch is ever saved as the best and `saved` stays
empty, although the validation loss falls every epoch.
"""
# runtime: runs
import torch
import torch.nn as nn

torch.manual_seed(0)
x = torch.rand(128, 3)
y = x @ torch.tensor([[2.0], [-1.0], [0.5]])
x_val, y_val = x[:32], y[:32]


def train(epochs=20):
    model = nn.Linear(3, 1)
    criterion = nn.L1Loss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    best_loss, saved, losses = 0.0, [], []
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            val_loss = criterion(model(x_val), y_val).item()
        losses.append(val_loss)
        if val_loss < best_loss:  # expect: TL318
            best_loss = val_loss
            saved.append({k: v.clone() for k, v in model.state_dict().items()})
            torch.save(model.state_dict(), "/tmp/tl318_best.pt")
    return saved, losses


saved, losses = train()
