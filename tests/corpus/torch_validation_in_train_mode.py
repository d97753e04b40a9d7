"""A classifier with Dropout and BatchNorm validated after each epoch without model.eval().

Silent: validation runs in training mode, so the same validation batch gives a different loss
each time it is evaluated (dropout masks) and differs from the eval-mode loss.
"""
# runtime: runs
import torch
import torch.nn as nn

torch.manual_seed(0)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(10, 64), nn.BatchNorm1d(64), nn.ReLU())
        self.drop = nn.Dropout(0.5)
        self.head = nn.Linear(64, 3)

    def forward(self, x):
        return self.head(self.drop(self.body(x)))


model = Classifier()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
x_tr, y_tr = torch.randn(64, 10), torch.randint(0, 3, (64,))
x_va, y_va = torch.randn(32, 10), torch.randint(0, 3, (32,))

for epoch in range(3):
    model.train()
    for i in range(0, 64, 16):
        optimizer.zero_grad()
        loss = criterion(model(x_tr[i:i + 16]), y_tr[i:i + 16])
        loss.backward()
        optimizer.step()
    with torch.no_grad():  # expect: TL415
        val_loss = criterion(model(x_va), y_va).item()
    print(f"epoch {epoch}: val {val_loss:.4f}")
