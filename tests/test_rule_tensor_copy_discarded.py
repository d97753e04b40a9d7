"""TL009 tensor-copy-discarded, through the command line on files written the ways people write
it: labels moved with `.cuda()` under a GPU check at module level, a batch moved with
`.to(device)` inside a training loop, a tensor attribute moved in a method, targets cast with
`.long()` before a loss, a hidden state `.detach()`ed between truncated-BPTT chunks. The
look-alikes move a module in place (`model.cuda()`, a user `nn.Module`, a model built by a
function), use the in-place form or the result, call the method on a value whose type the
file does not show, or write it at the top level of the file, where it may end a notebook cell
that displays the copy. Each case marks its expected findings with `# expect: TL009`."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "cli"))
from cli_helpers import run_tensorlint  # noqa: E402
from test_variants import _expected  # noqa: E402

CASES = {
    "labels-cuda-under-gpu-check": """
    import numpy as np
    import torch

    batch_size = 64
    labels = (np.eye(2 * batch_size, 2 * batch_size - 1, k=-batch_size)
              + np.eye(2 * batch_size, 2 * batch_size - 1, k=batch_size - 1)).astype(np.int64)
    labels = torch.from_numpy(labels)
    train_gpu = torch.cuda.is_available()
    if train_gpu:
        labels.cuda()  # expect: TL009
    """,
    "batch-to-device-in-loop": """
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, TensorDataset

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = nn.Linear(20, 3).to(device)
    data = TensorDataset(torch.randn(256, 20), torch.randint(0, 3, (256,)))
    loader = DataLoader(data, batch_size=32, shuffle=True)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for x, y in loader:
        x.to(device)  # expect: TL009
        y = y.to(device)
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    """,
    "attribute-moved-in-method": """
    import torch

    class Memory:
        def __init__(self, capacity):
            self.weights = torch.ones(capacity)

        def to_gpu(self):
            self.weights.cuda()  # expect: TL009
            return self
    """,
    "targets-cast-before-loss": """
    import torch
    import torch.nn as nn

    criterion = nn.CrossEntropyLoss()

    def step(logits):
        targets = torch.tensor([0.0, 2.0, 1.0, 1.0])
        targets.long()  # expect: TL009
        return criterion(logits, targets)
    """,
    "top-level-expressions-may-be-displayed": """
    import torch
    import torch.nn as nn

    model = nn.Linear(3, 1)
    with torch.inference_mode():
        y_preds = model(torch.randn(10, 3))
    y_preds.cpu()
    y_preds.float()
    """,
    "hidden-state-detached-between-chunks": """
    import torch
    import torch.nn as nn

    rnn = nn.GRU(8, 16, batch_first=True)
    h = torch.zeros(1, 4, 16)
    for chunk in torch.randn(10, 4, 5, 8):
        out, h = rnn(chunk, h)
        h.detach()  # expect: TL009
    """,
    "modules-move-in-place": """
    import torch
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 2)

        def forward(self, x):
            return self.fc(x)

    def build():
        return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))

    net = Net()
    net.cuda()
    net.double()
    seq = build()
    seq.to("cuda")
    lin = nn.Linear(3, 3)
    lin.half()
    """,
    "results-used-or-in-place": """
    import torch

    x = torch.randn(4, 3, requires_grad=True)
    h = x * 2
    h.detach_()
    h.requires_grad_(True)
    y = x.to("cpu").sum()
    print(x.long())
    kept = [x.cuda()]
    x.type()
    """,
    "view-dropped-in-forward": """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 6, 3)
            self.conv2 = nn.Conv2d(6, 16, 3)
            self.fc1 = nn.Linear(16 * 5 * 5, 120)

        def forward(self, x):
            x = F.max_pool2d(torch.sigmoid(self.conv1(x)), (2, 2))
            x = F.max_pool2d(torch.sigmoid(self.conv2(x)), 2)
            x.view(-1, self.num_flat_features(x))  # expect: TL009
            return torch.sigmoid(self.fc1(x))

        def num_flat_features(self, x):
            n = 1
            for s in x.size()[1:]:
                n *= s
            return n
    """,
    "shape-changes-dropped-in-a-loop": """
    import torch

    for step in range(3):
        x = torch.randn(8, 1, 28, 28)
        x.reshape(8, -1)  # expect: TL009
        x.squeeze(1)  # expect: TL009
        x.permute(0, 2, 3, 1)  # expect: TL009
        x.flatten(1)  # expect: TL009
        y = torch.randn(8, 10)
        y.t()  # expect: TL009
    """,
    "shape-changes-used-or-in-place": """
    import numpy as np
    import torch

    def prepare():
        x = torch.randn(8, 1, 28, 28)
        x.squeeze_(1)
        x.unsqueeze_(1)
        flat = x.view(8, -1)
        print(x.reshape(8, -1).shape)
        a = np.zeros((8, 784))
        a.reshape(8, 28, 28)
        return flat, x.permute(0, 2, 3, 1)

    x = torch.randn(8, 10)
    x.view(2, -1)
    """,
    "unknown-values-left-alone": """
    def move(batch, device):
        batch.to(device)
        batch.cuda()
        return batch

    def step(model, inputs):
        inputs.float()
        inputs.view(-1, 784)
        return model(inputs)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_tensor_copy_discarded(tmp_path, name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    (tmp_path / "prog.py").write_text(text)
    out = run_tensorlint(["check", "--select", "TL009", "--format", "json", "prog.py"], tmp_path)
    found = {(f["code"], f["location"]["row"]) for f in out.json() if f["code"] == "TL009"}
    assert found == _expected(text)


def test_message_names_the_call_and_the_fix_binds_it(tmp_path):
    (tmp_path / "prog.py").write_text(textwrap.dedent(CASES["labels-cuda-under-gpu-check"]).lstrip("\n"))
    out = run_tensorlint(["check", "--select", "TL009", "--format", "json", "prog.py"], tmp_path)
    [finding] = out.json()
    assert "`labels.cuda()`" in finding["message"] and "labels = labels.cuda()" in finding["message"]
    fixed = run_tensorlint(["check", "--select", "TL009", "--fix", "--unsafe-fixes", "prog.py"], tmp_path)
    assert fixed.code in (0, 1)
    assert "\n    labels = labels.cuda()  # expect: TL009\n" in (tmp_path / "prog.py").read_text()
