"""Predicted labels of an image classifier taken from a softmax over the batch axis.

Silent: softmax(dim=0) normalizes each class over the samples of the batch, so argmax(dim=1)
picks for each sample the class where it stands out from the rest of the batch: many of these
labels differ from the model's own most probable class.
"""
# runtime: runs
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
images = torch.randn(64, 1, 8, 8)
test_loader = DataLoader(TensorDataset(images, torch.randint(0, 10, (64,))), batch_size=32)
model = nn.Sequential(nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))

y_preds = []
model.eval()
with torch.inference_mode():
    for X, y in test_loader:
        y_logit = model(X)
        y_pred = torch.softmax(y_logit.squeeze(), dim=0).argmax(dim=1)  # expect: TL219
        y_preds.append(y_pred)
y_pred_tensor = torch.cat(y_preds)
print(y_pred_tensor[:10])
