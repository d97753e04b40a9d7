"""A PyTorch regressor whose test set is built by the same call as the dataset its training part is cut from.

Silent: `test_set` is `Waves(600, part="train")` again, so the test loop scores the model on the
500 rows it trained on (and 100 more): the reported test loss is a training loss.
"""
# runtime: runs
import torch
from torch.utils.data import DataLoader, Dataset, Subset


class Waves(Dataset):
    def __init__(self, n, part):
        offset = 0.0 if part == "train" else 0.5
        self.x = torch.linspace(0, 6, n).unsqueeze(1) + offset
        self.y = torch.sin(self.x)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


full = Waves(600, part="train")
test_set = Waves(600, part="train")  # expect: TL436
train_loader = DataLoader(Subset(full, range(500)), batch_size=50, shuffle=True)
test_loader = DataLoader(test_set, batch_size=100)

model = torch.nn.Sequential(torch.nn.Linear(1, 32), torch.nn.Tanh(), torch.nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
criterion = torch.nn.MSELoss()
for epoch in range(3):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()

test_loss = 0.0
with torch.no_grad():
    for x, y in test_loader:
        test_loss += criterion(model(x), y).item() * len(x)
print("test loss", test_loss / len(test_set))
