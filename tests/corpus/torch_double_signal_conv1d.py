"""A 1-D CNN on sensor windows where the input is cast with .double() but the model stays float32."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn


class SensorNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(3, 16, kernel_size=5)
        self.pool = nn.AdaptiveAvgPool1d(1)
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv(x)))  # also: TL102
        return self.fc(x.squeeze(-1))


windows = torch.randn(10, 3, 64).double()  # "more precision for the accelerometer"
activity = torch.randint(0, 4, (10,))

net = SensorNet()
opt = torch.optim.Adam(net.parameters())
opt.zero_grad()
out = net(windows)  # expect: TL102
loss = nn.functional.cross_entropy(out, activity)
loss.backward()
opt.step()
