"""A prediction helper whose log-probabilities are normalized along axis 0 before the max over classes.

Silent: F.log_softmax(..., 0) normalizes over the batch, and `.max(1)[1]` then picks classes from
those batch-relative scores: the labels depend on which samples share the batch.
"""
# runtime: runs
import torch
import torch.nn as nn
import torch.nn.functional as F


class Classifier(nn.Module):
    def __init__(self, n_in, n_classes):
        super().__init__()
        self.hidden = nn.Linear(n_in, 24)
        self.out = nn.Linear(24, n_classes)

    def forward(self, x):
        return self.out(F.relu(self.hidden(x)))


def predict(model, batch):
    model.eval()
    with torch.no_grad():
        scores = F.log_softmax(model(batch), 0)  # expect: TL219
        return scores.max(1)[1]


torch.manual_seed(0)
clf = Classifier(5, 4)
batch = torch.randn(16, 5)
labels = predict(clf, batch)
print(labels)
