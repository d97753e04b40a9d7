"""A learnable offset table created with dtype=torch.long and then marked trainable with requires_grad_()."""
# runtime: raises RuntimeError
import torch
from torch import optim

n_users = 5
user_bias = torch.zeros(n_users, dtype=torch.long)
user_bias.requires_grad_()  # expect: TL103
item_scores = torch.randn(n_users)

opt = optim.SGD([user_bias], lr=0.1)  # expect: TL103
ratings = torch.tensor([4.0, 3.0, 5.0, 1.0, 2.0])
for epoch in range(2):
    opt.zero_grad()
    loss = ((item_scores + user_bias - ratings) ** 2).mean()
    loss.backward()
    opt.step()
