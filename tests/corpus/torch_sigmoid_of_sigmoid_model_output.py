"""A PyTorch binary classifier whose forward ends in a sigmoid, and whose accuracy helper applies another.

Silent: the helper's sigmoid of probabilities is always above 0.5, so every prediction is class 1
and the accuracy is the share of positive labels, whatever the model learned.
"""
# runtime: runs
import torch
import torch.nn as nn

torch.manual_seed(0)
x = torch.rand(200, 4)
y = (x[:, 1] > 0.5).float().unsqueeze(1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 16)
        self.out = nn.Linear(16, 1)

    def forward(self, x):
        return torch.sigmoid(self.out(torch.relu(self.hidden(x))))


def accuracy(model, x, y):
    with torch.no_grad():
        pred = (torch.sigmoid(model(x)) > 0.5).float()  # expect: TL319
    return (pred == y).float().mean().item()


model = Net()
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
criterion = nn.BCELoss()
for epoch in range(100):
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
acc = accuracy(model, x, y)
