"""A PyTorch classifier ending in ReLU, trained with a hand-written cross-entropy on its output.

Silent: ReLU outputs exactly 0 for every negative score, the log of 0 is -inf and 0 * -inf is
NaN; the loss is NaN (or inf) from the first batch.
"""
# runtime: runs
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(12, 32)
        self.out = nn.Linear(32, 5)

    def forward(self, x):
        return torch.relu(self.out(torch.relu(self.hidden(x))))


def cross_entropy(output, onehot):
    return -(onehot * torch.log(output)).sum(dim=1).mean()  # expect: TL309


torch.manual_seed(0)
net = Net()
opt = torch.optim.SGD(net.parameters(), lr=0.1)
x = torch.randn(64, 12)
onehot = torch.eye(5)[torch.randint(0, 5, (64,))]
losses = []
for step in range(3):
    opt.zero_grad()
    loss = cross_entropy(net(x), onehot)
    loss.backward()
    opt.step()
    losses.append(loss.item())
