"""A train/validate epoch loop that switches to model.eval() for validation and never back to model.train().

Silent: from the second epoch on, Dropout is disabled and BatchNorm uses running statistics during
training (model.training is False after the loop).
"""
# runtime: runs
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 2))
optimizer = torch.optim.Adam(model.parameters())
criterion = nn.CrossEntropyLoss()
x_tr, y_tr = torch.randn(24, 10), torch.randint(0, 2, (24,))
x_va, y_va = torch.randn(8, 10), torch.randint(0, 2, (8,))

model.train()
for epoch in range(3):
    optimizer.zero_grad()
    loss = criterion(model(x_tr), y_tr)
    loss.backward()
    optimizer.step()

    model.eval()  # expect: TL407
    with torch.no_grad():
        val_loss = criterion(model(x_va), y_va)
    print(f"epoch {epoch}: train {loss.item():.3f} val {val_loss.item():.3f}")
