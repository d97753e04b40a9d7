"""Correct: an autoencoder whose loss compares the reconstruction with the input, ignoring the loader's labels on purpose."""
# runtime: runs
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

images = torch.rand(32, 1, 28, 28)
digits = torch.randint(0, 10, (32,))
loader = DataLoader(TensorDataset(images, digits), batch_size=8, shuffle=True)


class AutoEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU())
        self.decoder = nn.Sequential(nn.Linear(32, 784), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x)).view(-1, 1, 28, 28)


model = AutoEncoder()
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for xb, _ in loader:
    optimizer.zero_grad()
    loss = criterion(model(xb), xb)
    loss.backward()
    optimizer.step()
