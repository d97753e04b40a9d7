"""Fit a multi-output regressor with a hand-written weighted loss and report validation error."""
import torch
import torch.nn as nn


class WeightedMSE(nn.Module):
    """Mean squared error with per-output weights."""

    def __init__(self, weights):
        super().__init__()
        self.register_buffer("weights", torch.as_tensor(weights, dtype=torch.float32))

    def forward(self, prediction, target):
        residual = prediction - prediction.mean(dim=0, keepdim=True)
        return (self.weights * residual.pow(2)).mean()


torch.manual_seed(0)
x = torch.randn(200, 6)
y = torch.stack([x[:, 0] * 2.0, x[:, 1] - x[:, 2], x[:, 3:].sum(dim=1)], dim=1)
x_train, y_train, x_val, y_val = x[:160], y[:160], x[160:], y[160:]

model = nn.Sequential(nn.Linear(6, 32), nn.Tanh(), nn.Linear(32, 3))
criterion = WeightedMSE([1.0, 0.5, 2.0])
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)

for step in range(200):
    optimizer.zero_grad()
    loss = criterion(model(x_train), y_train)
    loss.backward()
    optimizer.step()

with torch.no_grad():
    val_error = (model(x_val) - y_val).pow(2).mean()
print(f"training loss {loss.item():.4f}, validation MSE {val_error.item():.4f}")
