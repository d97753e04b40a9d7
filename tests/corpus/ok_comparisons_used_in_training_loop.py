"""A PyTorch training loop whose equality comparisons are all used: counted, asserted, stored or tested."""
# runtime: runs
import torch
import torch.nn as nn

torch.manual_seed(0)
features = torch.rand(96, 20) * 255.0
targets = torch.randint(0, 4, (96,))
model = nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 4))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)


def run_epoch(epoch, batch_size=32):
    correct = 0
    for start in range(0, len(features), batch_size):
        x = features[start:start + batch_size]
        x = x / 255.0
        y = targets[start:start + batch_size]
        assert x.shape[0] == y.shape[0]
        logits = model(x)
        loss = criterion(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        hits = logits.argmax(dim=1) == y
        correct += hits.sum().item()
        if epoch == 0 and start == 0:
            print(f"first loss {loss.item():.3f}")
    return correct / len(features)


for layer in model:
    if isinstance(layer, nn.Linear) and layer.out_features == 4:
        layer.requires_grad_(True)
for epoch in range(2):
    print(f"epoch {epoch}: accuracy {run_epoch(epoch):.2f}")
