"""Fine-tuning that means to unfreeze the top blocks from the last one down, with range(len(blocks), 0).

The range is empty: every block stays frozen, and the optimizer is handed no trainable parameter
of them.
"""
# runtime: runs
import torch
import torch.nn as nn

blocks = nn.ModuleList([nn.Sequential(nn.Linear(16, 16), nn.ReLU()) for _ in range(4)])
head = nn.Linear(16, 3)
for p in blocks.parameters():
    p.requires_grad = False

n_unfrozen = 2
for k in range(len(blocks), 0):  # expect: TL320
    if k > len(blocks) - n_unfrozen:
        for p in blocks[k - 1].parameters():
            p.requires_grad = True

params = [p for p in list(blocks.parameters()) + list(head.parameters()) if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.1)
x, y = torch.randn(8, 16), torch.randint(0, 3, (8,))
h = x
for block in blocks:
    h = block(h)
loss = nn.functional.cross_entropy(head(h), y)
optimizer.zero_grad()
loss.backward()
optimizer.step()
trainable_blocks = sum(p.requires_grad for p in blocks.parameters())
print(loss.item(), trainable_blocks)
