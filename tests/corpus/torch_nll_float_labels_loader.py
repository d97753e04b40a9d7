"""Labels cast with .float() for "consistency" reach NLLLoss through a DataLoader loop."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 3)

    def forward(self, x):
        return F.log_softmax(self.fc(x), dim=1)


x_all = torch.randn(20, 10)
y_all = torch.randint(0, 3, (20,)).float()
loader = DataLoader(TensorDataset(x_all, y_all), batch_size=5, shuffle=True)

model = Classifier()
nll = nn.NLLLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for xb, yb in loader:
    optimizer.zero_grad()
    log_probs = model(xb)
    loss = nll(log_probs, yb)  # expect: TL104
    loss.backward()
    optimizer.step()
