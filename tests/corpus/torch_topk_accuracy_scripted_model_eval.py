"""Validation of a TorchScript-compiled classifier with a top-k accuracy helper that views rows of the transposed predictions."""
# runtime: raises RuntimeError
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Classifier(nn.Module):
    def __init__(self, features=20, classes=8):
        super().__init__()
        self.hidden = nn.Linear(features, 64)
        self.out = nn.Linear(64, classes)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))


def topk_correct(output, target, topk=(1,)):
    maxk = max(topk)
    _, pred = output.topk(maxk, 1, True, True)
    pred = pred.t()
    correct = pred.eq(target.view(1, -1).expand_as(pred))
    return [correct[:k].view(-1).float().sum(0).item() for k in topk]  # expect: TL114


model = torch.jit.script(Classifier())
val = DataLoader(TensorDataset(torch.randn(200, 20), torch.randint(0, 8, (200,))), batch_size=50)

model.eval()
hits1 = hits3 = seen = 0
with torch.no_grad():
    for inputs, target in val:
        if torch.cuda.is_available():
            inputs = inputs.cuda(non_blocking=True)
            target = target.cuda(non_blocking=True)
        logits = model(inputs)
        c1, c3 = topk_correct(logits, target, topk=(1, 3))
        hits1, hits3, seen = hits1 + c1, hits3 + c3, seen + target.size(0)
print(f"top1 {100 * hits1 / seen:.1f} top3 {100 * hits3 / seen:.1f}")
