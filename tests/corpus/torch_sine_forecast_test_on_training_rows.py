"""A PyTorch LSTM that forecasts sine waves and checks itself on rows it was trained on.

Silent: the training rows are `waves[4:]`, which leaves the first four waves out as the test
set, but the forecast after training runs on `train_in[:4]`, the first four training waves
(`waves[4:8]`); the held-out waves are never read, so the check shows rows the model fitted.
"""
# runtime: runs
import numpy as np
import torch
import torch.nn as nn


class Forecaster(nn.Module):
    def __init__(self, hidden=16):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        out, _ = self.lstm(x.unsqueeze(-1))
        return self.head(out).squeeze(-1)


phase = np.random.RandomState(0).uniform(0, 2 * np.pi, size=(32, 1))
waves = np.sin(np.arange(40)[None, :] / 4.0 + phase).astype("float32")
train_in = torch.from_numpy(waves[4:, :-1])
train_out = torch.from_numpy(waves[4:, 1:])
model = Forecaster()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(3):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(train_in), train_out)
    loss.backward()
    optimizer.step()
with torch.no_grad():
    forecast = model(train_in[:4])  # expect: TL511
print(forecast.shape)
