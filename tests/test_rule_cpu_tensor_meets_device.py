"""TL107 cpu-tensor-meets-device on the mistake written the ways PyTorch programs write it (a
gradient penalty's `grad_outputs`, a GAN's labels, an RNN's initial state made in `forward`, a
NumPy array turned into a tensor, a `torch.cat` with a fresh tensor, `backward(gradient)`), with
the device chosen by `torch.cuda.is_available()` in its several spellings (a device string, a
`torch.device`, a flag that guards `.cuda()`, a legacy CUDA tensor type), and on correct
look-alikes: everything moved, nothing moved, tensors made with `device=` or `*_like`, moved on
the same path as the model, the legacy `torch.cuda.FloatTensor if cuda else torch.FloatTensor`
type used for every tensor, a device the file does not fix, `DataParallel`, a changed default
device, a zero-dimensional scalar. Each case marks its expected findings with `# expect: TL107`;
every other line must stay silent."""
from __future__ import annotations

import subprocess
import sys

import pytest

from corpus_support import marked_and_found

CASES = {
    "gradient-penalty-grad-outputs-on-cpu": """
        import torch
        import torch.nn as nn
        import torch.autograd as autograd

        cuda = True if torch.cuda.is_available() else False

        class Critic(nn.Module):
            def __init__(self):
                super().__init__()
                self.model = nn.Sequential(nn.Linear(784, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1))

            def forward(self, img):
                return self.model(img.view(img.shape[0], -1))

        critic = Critic()
        if cuda:
            critic.cuda()
        opt = torch.optim.Adam(critic.parameters())
        for step in range(10):
            real = torch.randn(64, 784)
            if cuda:
                real = real.cuda()
            real.requires_grad_(True)
            validity = critic(real)
            grad = autograd.grad(validity, real,
                                 torch.ones(real.size(0), 1),  # expect: TL107
                                 create_graph=True, retain_graph=True)[0]
            penalty = grad.view(grad.size(0), -1).pow(2).sum(1).mean()
            loss = -validity.mean() + penalty
            opt.zero_grad()
            loss.backward()
            opt.step()
    """,
    "gan-labels-made-on-cpu": """
        import torch
        import torch.nn as nn

        device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
        netD = nn.Sequential(nn.Linear(100, 64), nn.ReLU(), nn.Linear(64, 1), nn.Sigmoid()).to(device)
        criterion = nn.BCELoss()
        batch = torch.randn(32, 100, device=device)
        label = torch.full((32, 1), 1.0)
        output = netD(batch)
        errD = criterion(output, label)  # expect: TL107
    """,
    "rnn-initial-state-made-in-forward": """
        import torch
        import torch.nn as nn

        class Tagger(nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = nn.GRU(16, 32, batch_first=True)
                self.out = nn.Linear(32, 5)

            def forward(self, x):
                h0 = torch.zeros(1, x.size(0), 32)
                y, _ = self.rnn(x, h0)  # expect: TL107
                return self.out(y)

        use_cuda = torch.cuda.is_available()
        device = "cuda" if use_cuda else "cpu"
        model = Tagger().to(device)
        scores = model(torch.randn(4, 7, 16).to(device))
    """,
    "numpy-data-into-a-moved-model": """
        import numpy as np
        import torch
        import torch.nn as nn

        model = nn.Linear(8, 2)
        model.cuda()
        features = np.random.rand(100, 8).astype(np.float32)
        x = torch.from_numpy(features)
        logits = model(x)  # expect: TL107
    """,
    "cat-with-a-fresh-tensor": """
        import torch
        import torch.nn as nn

        dev = torch.device("cuda")
        enc = nn.Linear(10, 6).to(dev)
        code = enc(torch.rand(4, 10, device=dev))
        noise = torch.randn(4, 2)
        joined = torch.cat((code, noise), dim=1)  # expect: TL107
        shifted = code + torch.ones(4, 6)  # expect: TL107
    """,
    "layer-made-on-the-gpu": """
        import torch
        import torch.nn as nn

        DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
        conv = nn.Conv2d(3, 8, 3, padding=1, device=DEVICE)
        head = nn.Linear(8, 2, device="cpu")
        maps = conv(torch.rand(2, 3, 16, 16))  # expect: TL107
        fine = conv(torch.rand(2, 3, 16, 16, device=DEVICE))
        scores = head(torch.rand(2, 8))
    """,
    "backward-given-cpu-gradient": """
        import torch
        import torch.nn as nn

        net = nn.Linear(3, 3).cuda()
        out = net(torch.randn(5, 3).cuda())
        out.backward(torch.ones(5, 3))  # expect: TL107
    """,
    "legacy-cuda-tensor-type": """
        import numpy as np
        import torch
        import torch.nn as nn
        from torch.autograd import Variable

        cuda = True if torch.cuda.is_available() else False
        Tensor = torch.cuda.FloatTensor if cuda else torch.FloatTensor
        imgs = torch.randn(64, 784)
        real = Variable(imgs.type(Tensor))
        alpha = torch.rand(64, 1)
        mixed = alpha * real  # expect: TL107
        noise = torch.cuda.FloatTensor(np.random.normal(0, 1, (64, 784)))
        both = torch.cat([noise, torch.zeros(64, 2)], 1)  # expect: TL107
    """,
    # -- silent ----------------------------------------------------------------------------
    "gradient-penalty-grad-outputs-like-the-output": """
        import torch
        import torch.nn as nn
        import torch.autograd as autograd

        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        critic = nn.Sequential(nn.Linear(784, 1)).to(device)
        real = torch.randn(64, 784, device=device, requires_grad=True)
        validity = critic(real)
        g1 = autograd.grad(validity, real, torch.ones_like(validity), create_graph=True)[0]
        g2 = autograd.grad(validity, real, torch.ones(64, 1, device=device), create_graph=True)[0]
        g3 = autograd.grad(validity, real, torch.ones(64, 1).to(device), create_graph=True)[0]
        g4 = autograd.grad(validity, real, validity.new_ones(64, 1), create_graph=True)[0]
    """,
    "legacy-tensor-type-everywhere": """
        import numpy as np
        import torch
        from torch.autograd import Variable

        cuda = torch.cuda.is_available()
        Tensor = torch.cuda.FloatTensor if cuda else torch.FloatTensor
        real = Variable(torch.randn(64, 784).type(Tensor))
        alpha = Tensor(np.random.random((64, 1)))
        mixed = alpha * real + (1 - alpha) * Variable(Tensor(64, 784).normal_())
        cpu_side = torch.randn(64, 784).type(torch.FloatTensor) + torch.ones(64, 784)
    """,
    "nothing-moved": """
        import numpy as np
        import torch
        import torch.nn as nn

        model = nn.Linear(8, 1)
        x = torch.from_numpy(np.random.rand(16, 8).astype(np.float32))
        loss = nn.MSELoss()(model(x), torch.zeros(16, 1))
        loss.backward(torch.ones(()))
    """,
    "moved-on-the-same-path-as-the-model": """
        import torch
        import torch.nn as nn

        cuda = torch.cuda.is_available()
        model = nn.Linear(8, 1)
        target = torch.zeros(16, 1)
        x = torch.randn(16, 8)
        if cuda:
            model.cuda()
            x, target = x.cuda(), target.cuda()
        loss = nn.MSELoss()(model(x), target)
    """,
    "device-of-another-tensor": """
        import torch
        import torch.nn as nn

        class Tagger(nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = nn.LSTM(16, 32)

            def forward(self, x):
                h0 = torch.zeros(1, x.size(1), 32, device=x.device)
                c0 = torch.zeros(1, x.size(1), 32).to(x.device)
                return self.rnn(x, (h0, c0))

        model = Tagger().cuda()
        out = model(torch.randn(7, 4, 16).cuda())
    """,
    "device-the-file-does-not-fix": """
        import torch
        import torch.nn as nn

        def fit(model, device, steps):
            model.to(device)
            for _ in range(steps):
                out = model(torch.randn(8, 4))
                out.sum().backward()
    """,
    "inputs-scattered-by-data-parallel": """
        import torch
        import torch.nn as nn

        model = nn.DataParallel(nn.Sequential(nn.Linear(4, 4), nn.ReLU())).cuda()
        out = model(torch.randn(8, 4))
    """,
    "default-device-changed": """
        import torch
        import torch.nn as nn

        torch.set_default_tensor_type("torch.cuda.FloatTensor")
        model = nn.Linear(4, 1).cuda()
        out = model(torch.randn(8, 4))
    """,
    "zero-dimensional-scalar": """
        import torch
        import torch.nn as nn

        model = nn.Linear(4, 1).cuda()
        out = model(torch.randn(8, 4).cuda())
        scaled = out * torch.tensor(0.5)
        out.mean().backward(torch.tensor(1.0))
    """,
    "moved-back-to-the-cpu": """
        import torch
        import torch.nn as nn

        model = nn.Linear(4, 1).cuda()
        pred = model(torch.randn(8, 4).cuda()).cpu()
        err = nn.L1Loss()(pred, torch.zeros(8, 1))
        model.cpu()
        again = model(torch.randn(8, 4))
    """,
    # a list comprehension of Python numbers is a 1-D list: the tensor made of it is on the CPU
    "token-ids-from-a-comprehension": """
        import torch
        import torch.nn as nn

        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        emb = nn.Embedding(100, 16).to(device)
        sentence = [4, 8, 15, 16, 23, 42]
        ids = torch.LongTensor([w for w in sentence])
        vectors = emb(ids)  # expect: TL107
        positions = emb(torch.tensor([i for i in range(len(sentence))]))  # expect: TL107
    """,
    "dataset-item-from-a-comprehension": """
        import torch
        import torch.nn as nn
        from torch.utils.data import Dataset, DataLoader

        class Rows(Dataset):
            def __init__(self, rows):
                self.rows = rows

            def __len__(self):
                return len(self.rows)

            def __getitem__(self, i):
                row = self.rows[i]
                return torch.tensor([float(v) for v in row[:4]]), torch.tensor(int(row[4]))

        model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3)).cuda()
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for x, y in DataLoader(Rows([[1, 2, 3, 4, 0]] * 32), batch_size=8, shuffle=True):
            out = model(x)  # expect: TL107
            loss = nn.CrossEntropyLoss()(out, y.cuda())
            opt.zero_grad()
            loss.backward()
            opt.step()
    """,
    "lengths-and-items-from-comprehensions": """
        import torch
        import torch.nn as nn

        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        proj = nn.Linear(8, 32).to(device)
        seqs = [torch.randn(5, 8) for _ in range(4)]
        out = proj(torch.stack(seqs).to(device))
        total = out.sum(dim=1)
        mean = total / torch.FloatTensor([len(s) for s in seqs]).unsqueeze(1)  # expect: TL107
        norms = torch.tensor([s.norm().item() for s in seqs])
        err = nn.MSELoss()(total.norm(dim=1), norms)  # expect: TL107
    """,
    "comprehension-made-on-the-device": """
        import torch
        import torch.nn as nn

        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        emb = nn.Embedding(100, 16).to(device)
        sentence = [4, 8, 15, 16, 23, 42]
        a = emb(torch.tensor([w for w in sentence], device=device))
        b = emb(torch.LongTensor([w for w in sentence]).to(device))
        c = emb(torch.tensor([float(w) for w in sentence]).long().cuda())
    """,
    # whatever its elements, a list comprehension is a list: the tensor has at least one dim
    "comprehension-of-unknown-elements": """
        import torch
        import torch.nn as nn

        def encode(batch, vocab):
            emb = nn.Embedding(100, 16).cuda()
            rows = torch.tensor([vocab[w] for w in batch])
            pairs = torch.LongTensor([[w, w] for w in range(4)])
            return emb(rows), emb(pairs[0].cuda()), emb(pairs)  # expect: TL107
    """,
    # a reduction, a cast or a reshape of a tensor lives where the tensor lives
    "reduced-output-meets-a-fresh-tensor": """
        import torch
        import torch.nn as nn

        device = "cuda" if torch.cuda.is_available() else "cpu"
        model = nn.Sequential(nn.Linear(10, 5), nn.Softmax(dim=1)).to(device)
        probs = model(torch.randn(8, 10).to(device))
        gap = (probs.sum(dim=1) - torch.ones(8)).abs().mean()  # expect: TL107
        flat = probs.view(-1).float() * torch.rand(40)  # expect: TL107
        ids = probs.argmax(dim=1)
        offset = ids - torch.arange(8)  # expect: TL107
    """,
    "reduced-output-moved-or-scalar": """
        import torch
        import torch.nn as nn

        device = "cuda" if torch.cuda.is_available() else "cpu"
        model = nn.Sequential(nn.Linear(10, 5), nn.Softmax(dim=1)).to(device)
        probs = model(torch.randn(8, 10).to(device))
        gap = (probs.sum(dim=1).cpu() - torch.ones(8)).abs().mean()
        scaled = probs.mean(dim=0) * torch.tensor(2.0)
        same = probs.sum(dim=1) - torch.ones(8).to(device)
        back = probs.detach().cpu().view(-1) * torch.rand(40)
    """,
    # the batches are what the file's collate function returns for a list of samples
    "labels-made-by-the-collate-function": """
        import torch
        import torch.nn as nn
        from torch.utils.data import Dataset, DataLoader

        class Sentences(Dataset):
            def __init__(self, pairs):
                self.pairs = pairs

            def __len__(self):
                return len(self.pairs)

            def __getitem__(self, i):
                ids, label = self.pairs[i]
                return torch.tensor(ids), label

        def pad_batch(samples):
            longest = max(len(s[0]) for s in samples)
            ids = torch.stack([nn.functional.pad(s[0], (0, longest - len(s[0]))) for s in samples])
            labels = torch.LongTensor([s[1] for s in samples])
            return ids, labels

        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        model = nn.Sequential(nn.Embedding(1000, 32), nn.Flatten(), nn.LazyLinear(2)).to(device)
        criterion = nn.CrossEntropyLoss()
        loader = DataLoader(Sentences([([1, 2, 3], 0), ([4, 5], 1)]), batch_size=2, collate_fn=pad_batch)
        for ids, labels in loader:
            logits = model(ids.to(device))
            loss = criterion(logits, labels)  # expect: TL107
    """,
    "batches-of-the-collate-function-moved": """
        import torch
        import torch.nn as nn
        from torch.utils.data import DataLoader
        from torch.nn.utils.rnn import pad_sequence

        def pad_batch(samples):
            ids = pad_sequence([s[0] for s in samples], batch_first=True)
            labels = torch.LongTensor([s[1] for s in samples])
            return ids, labels

        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        model = nn.Sequential(nn.Embedding(1000, 32), nn.Flatten(), nn.LazyLinear(2)).to(device)
        criterion = nn.CrossEntropyLoss()
        for ids, labels in DataLoader([(torch.tensor([1, 2]), 0)] * 8, batch_size=2, collate_fn=pad_batch):
            loss = criterion(model(ids.to(device)), labels.to(device))
        for ids, labels in DataLoader([(torch.tensor([1, 2]), 0)] * 8, batch_size=2, collate_fn=custom_collate):
            loss = criterion(model(ids.to(device)), labels)
    """,
    # a collate function makes the batches: here it moves them to the GPU
    "batches-moved-by-the-collate-function": """
        import torch
        import torch.nn as nn
        from torch.utils.data import Dataset, DataLoader

        class Points(Dataset):
            def __len__(self):
                return 64

            def __getitem__(self, i):
                return torch.randn(4), torch.tensor(i % 3)

        def to_gpu(samples):
            xs = torch.stack([s[0] for s in samples]).cuda()
            ys = torch.stack([s[1] for s in samples]).cuda()
            return xs, ys

        model = nn.Linear(4, 3).cuda()
        for x, y in DataLoader(Points(), batch_size=8, collate_fn=to_gpu):
            loss = nn.CrossEntropyLoss()(model(x), y)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name):
    marked, found = marked_and_found("TL107", name, CASES[name])
    assert found == marked


def test_cli_reports_the_cpu_tensor_where_it_is_given(tmp_path):
    path = tmp_path / "wgan_div.py"
    path.write_text(
        "import torch\nimport torch.nn as nn\nfrom torch import autograd\n\n"
        "cuda = torch.cuda.is_available()\n"
        "D = nn.Sequential(nn.Linear(784, 1))\n"
        "if cuda:\n    D.cuda()\n"
        "real = torch.randn(8, 784).requires_grad_()\n"
        "out = D(real.cuda() if cuda else real)\n"
        "g = autograd.grad(out, real, torch.ones(real.size(0), 1), create_graph=True)[0]\n"
    )
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", str(path)], capture_output=True, text=True).stdout
    assert "wgan_div.py:11:" in out and "TL107" in out and "on the CPU" in out
    path.write_text(path.read_text().replace("torch.ones(real.size(0), 1)", "torch.ones_like(out)"))
    out = subprocess.run([sys.executable, "-m", "tensorlint", "check", str(path)], capture_output=True, text=True).stdout
    assert "TL107" not in out
