"""Correct: an epoch loop that validates in eval mode and switches back with model.train() at the start of each epoch."""
# runtime: runs
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 2))
optimizer = torch.optim.Adam(model.parameters())
criterion = nn.CrossEntropyLoss()
x_tr, y_tr = torch.randn(24, 10), torch.randint(0, 2, (24,))
x_va, y_va = torch.randn(8, 10), torch.randint(0, 2, (8,))

for epoch in range(3):
    model.train()
    optimizer.zero_grad()
    loss = criterion(model(x_tr), y_tr)
    loss.backward()
    optimizer.step()

    model.eval()
    with torch.no_grad():
        val_loss = criterion(model(x_va), y_va)
    print(f"epoch {epoch}: train {loss.item():.3f} val {val_loss.item():.3f}")
