"""A training loop that calls model.forward(x) directly instead of model(x).

Silent: module hooks (registered here to log activations) are skipped, so the hook never fires.
"""
# runtime: runs
import torch
import torch.nn as nn


class Regressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 1)

    def forward(self, x):
        return self.fc(x)


model = Regressor()
seen = []
model.register_forward_hook(lambda module, inp, out: seen.append(out.shape))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
x, y = torch.randn(8, 4), torch.randn(8, 1)

optimizer.zero_grad()
pred = model.forward(x)  # expect: TL408
loss = nn.functional.mse_loss(pred, y)
loss.backward()
optimizer.step()
