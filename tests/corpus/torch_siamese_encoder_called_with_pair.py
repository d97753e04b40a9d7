"""A siamese network whose encoder, written for one image, is called with both images of the pair.

Encoder.forward takes one batch: `encoder(left, right)` raises TypeError (forward takes 1 input,
not 2) in the first training step.
"""
# runtime: raises TypeError
import torch
import torch.nn as nn
import torch.nn.functional as F


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3, padding=1)
        self.fc = nn.Linear(8 * 14 * 14, 32)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        return self.fc(x.flatten(1))


encoder = Encoder()
optimizer = torch.optim.Adam(encoder.parameters(), lr=1e-3)


def contrastive_step(left, right, same, margin=1.0):
    emb_left, emb_right = encoder(left, right)  # expect: TL224
    d = F.pairwise_distance(emb_left, emb_right)
    loss = (same * d ** 2 + (1 - same) * F.relu(margin - d) ** 2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


print(contrastive_step(torch.randn(4, 1, 28, 28), torch.randn(4, 1, 28, 28), torch.randint(0, 2, (4,)).float()))
