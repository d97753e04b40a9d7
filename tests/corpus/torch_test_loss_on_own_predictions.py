"""A binary classifier whose test loss is computed against its own rounded predictions.

Silent: test_pred is read off test_logits, so the test loss only measures how confident the
model is: it is far below the loss against the true test labels and says nothing about errors.
"""
# runtime: runs
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(200, 2)
y = (X[:, 0] * X[:, 1] > 0).float()
X_train, y_train, X_test, y_test = X[:160], y[:160], X[160:], y[160:]

model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)

for epoch in range(50):
    model.train()
    y_logits = model(X_train).squeeze()
    loss = loss_fn(y_logits, y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    model.eval()
    with torch.inference_mode():
        test_logits = model(X_test).squeeze()
        test_pred = torch.round(torch.sigmoid(test_logits))
        test_loss = loss_fn(test_logits, test_pred)  # expect: TL316
print(f"train loss {loss.item():.3f}, test loss {test_loss.item():.3f}")
