"""Predict customer churn from integer usage counts with an MLP, batch by batch from a DataLoader."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def load_usage(n_customers: int = 500):
    # logins, tickets, purchases, months subscribed: all whole numbers
    usage = torch.randint(0, 50, (n_customers, 4))
    churned = (usage[:, 1] > 25).long()
    return usage, churned


usage, churned = load_usage()
loader = DataLoader(TensorDataset(usage, churned), batch_size=32, shuffle=True)

model = nn.Sequential(
    nn.Linear(4, 32),
    nn.ReLU(),
    nn.Linear(32, 2),
)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(5):
    epoch_loss = 0.0
    for features, target in loader:
        optimizer.zero_grad()
        logits = model(features)
        loss = criterion(logits, target)
        loss.backward()
        optimizer.step()
        epoch_loss += loss
    print(f"epoch {epoch}: mean loss {epoch_loss / len(loader):.4f}")
