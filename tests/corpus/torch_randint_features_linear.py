"""A churn classifier whose features come from torch.randint (int64) and go straight into nn.Linear."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn


class ChurnNet(nn.Module):
    def __init__(self, n_features):
        super().__init__()
        self.hidden = nn.Linear(n_features, 16)
        self.out = nn.Linear(16, 2)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))  # also: TL101


def make_batch(n):
    # counts of support tickets, logins, purchases...
    features = torch.randint(0, 20, (n, 6))
    labels = torch.randint(0, 2, (n,))
    return features, labels


model = ChurnNet(6)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

x, y = make_batch(32)
optimizer.zero_grad()
logits = model(x)  # expect: TL101
loss = criterion(logits, y)
loss.backward()
optimizer.step()
