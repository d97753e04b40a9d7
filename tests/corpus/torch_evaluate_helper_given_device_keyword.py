"""An image classifier whose evaluation helper is called with a device it has no parameter for.

evaluate() moves nothing itself; `evaluate(model, loader, device=device)` raises TypeError
(unexpected keyword argument 'device') at the end of the first epoch, after a full epoch of
training.
"""
# runtime: raises TypeError
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def make_loader(n, shuffle):
    images = torch.randn(n, 1, 28, 28)
    labels = torch.randint(0, 10, (n,))
    return DataLoader(TensorDataset(images, labels), batch_size=32, shuffle=shuffle)


def evaluate(model, loader):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for images, labels in loader:
            correct += (model(images).argmax(1) == labels).sum().item()
            total += labels.numel()
    return correct / total


def main():
    device = torch.device("cpu")
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10)).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    criterion = nn.CrossEntropyLoss()
    train_loader, valid_loader = make_loader(256, True), make_loader(64, False)
    for epoch in range(3):
        model.train()
        for images, labels in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(images.to(device)), labels.to(device))
            loss.backward()
            optimizer.step()
        acc = evaluate(model, valid_loader, device=device)  # expect: TL443
        print(f"epoch {epoch} validation accuracy {acc:.3f}")


if __name__ == "__main__":
    main()
