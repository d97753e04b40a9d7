"""A PyTorch training function whose loss helper reads the module's labels, not the batch's.

Silent: `batch_loss(pred)` compares the prediction with `y`, a name it does not bind, so it
reads the module-level `y` left by the loop that printed the data's shapes; `train` unpacks
each batch into its own `y`, which the helper never sees. Every batch is trained against the
labels of the last batch the module-level loop visited.
"""
# runtime: runs
import torch

torch.manual_seed(0)
model = torch.nn.Linear(8, 1)
loader = [(torch.randn(4, 8), torch.full((4, 1), float(i))) for i in range(3)]


def batch_loss(pred):
    return ((pred - y) ** 2).mean()  # expect: TL006


def train(batches, opt):
    seen = []
    for x, y in batches:
        opt.zero_grad()
        loss = batch_loss(model(x))
        loss.backward()
        opt.step()
        seen.append(float(y[0, 0]))
    return seen


for x, y in loader:
    print(tuple(x.shape), tuple(y.shape))
labels_seen = train(loader, torch.optim.SGD(model.parameters(), lr=0.01))
