"""K-fold training where each fold trains until a `stop` flag is set, and the flag is set to False once, before the folds.

The first fold that stops early leaves `stop` True: the training loop of every later fold never
runs, and their scores are those of untrained models.
"""
# runtime: runs
import torch
import torch.nn as nn

torch.manual_seed(0)
x = torch.randn(120, 5)
y = (x[:, :1] > 0).float()
folds = torch.arange(120) % 3
scores = []
epochs_run = []


def fold_data(k):
    train, valid = folds != k, folds == k
    return x[train], y[train], x[valid], y[valid]


def train_folds(patience=2, max_epochs=200):
    stop = False
    for k in range(3):
        xt, yt, xv, yv = fold_data(k)
        model = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 1))
        opt = torch.optim.SGD(model.parameters(), lr=0.5)
        best, bad, epoch = float("inf"), 0, 0
        while not stop and epoch < max_epochs:  # expect: TL322
            loss = nn.functional.binary_cross_entropy_with_logits(model(xt), yt)
            opt.zero_grad()
            loss.backward()
            opt.step()
            epoch += 1
            with torch.no_grad():
                v = nn.functional.binary_cross_entropy_with_logits(model(xv), yv).item()
            if v < best - 1e-4:
                best, bad = v, 0
            else:
                bad += 1
                stop = bad >= patience
        epochs_run.append(epoch)
        with torch.no_grad():
            scores.append(((model(xv) > 0).float() == yv).float().mean().item())


train_folds()
print(epochs_run, scores)
