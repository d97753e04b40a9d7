"""A binary spam detector trained with BCEWithLogitsLoss on integer 0/1 targets from randint."""
# runtime: raises RuntimeError
import torch
from torch import nn

emails = torch.randn(12, 30)
is_spam = torch.randint(0, 2, (12, 1))


class SpamNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x):
        return self.body(x)


net = SpamNet()
loss_fn = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for epoch in range(1):
    opt.zero_grad()
    loss = loss_fn(net(emails), is_spam)  # expect: TL104
    loss.backward()
    opt.step()
