"""TL415 evaluation-in-train-mode on programs written the ways people write them: validation
under no_grad after the training loop, a test loop with no backward, `model.train()` at the top
of each epoch, a GAN generator sampled in a loop, evaluation inside a function called from the
training script. Each case marks its expected findings with `# expect: TL415`; `ok-` cases are
correct code (or code whose mode cannot be established) that must stay silent."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

NET = """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 8, 3)
            self.bn = nn.BatchNorm2d(8)
            self.fc = nn.Linear(8 * 26 * 26, 10)

        def forward(self, x):
            x = F.relu(self.bn(self.conv(x)))
            return self.fc(x.flatten(1))

    data = torch.utils.data.TensorDataset(torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,)))
    train_loader = torch.utils.data.DataLoader(data, batch_size=16)
    test_loader = torch.utils.data.DataLoader(data, batch_size=16)
"""

GAN = """
    import torch
    import torch.nn as nn
    import torchvision.utils as vutils

    G = nn.Sequential(nn.Linear(16, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 784), nn.Tanh())
    D = nn.Sequential(nn.Linear(784, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1), nn.Sigmoid())
    opt_g = torch.optim.Adam(G.parameters())
    opt_d = torch.optim.Adam(D.parameters())
    bce = nn.BCELoss()
    fixed_z = torch.randn(64, 16)
    loader = torch.utils.data.DataLoader(torch.randn(256, 784), batch_size=32)
    for epoch in range(5):
        for i, real in enumerate(loader):
            fake = G(torch.randn(real.size(0), 16))
            opt_d.zero_grad()
            d_loss = bce(D(real), torch.ones(real.size(0), 1)) + bce(D(fake.detach()), torch.zeros(real.size(0), 1))
            d_loss.backward()
            opt_d.step()
            opt_g.zero_grad()
            g_loss = bce(D(fake), torch.ones(real.size(0), 1))
            g_loss.backward()
            opt_g.step()
            if i % 100 == 0:
"""

# a recurrent model whose layer count decides whether its dropout acts (between stacked layers only)
_TAGGER = """
    import torch
    import torch.nn as nn

    class Tagger(nn.Module):
        def __init__(self, layers=1):
            super().__init__()
            self.rnn = {rnn}
            self.fc = nn.Linear(16, 3)

        def forward(self, x):
            out, _ = self.rnn(x)
            return self.fc(out[-1])

    model = Tagger({arg})
    opt = torch.optim.Adam(model.parameters())
    x, y = torch.randn(5, 4, 8), torch.randint(0, 3, (4,))
    for epoch in range(3):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    with torch.no_grad():{expect}
        print(model(x).argmax(dim=1))
    """
_TAGGERS = {
    "stacked-gru-layers-by-argument": ("nn.GRU(8, 16, layers, dropout=0.1)", "2", "  # expect: TL415"),
    # one layer has nothing between layers to drop (PyTorch warns that the dropout does nothing)
    "ok-single-layer-gru-with-dropout": ("nn.GRU(8, 16, dropout=0.1)", "", ""),
    "ok-single-layer-lstm-by-argument": ("nn.LSTM(8, 16, layers, dropout=0.5)", "1", ""),
    "ok-single-layer-rnn-num-layers-keyword": ("nn.RNN(8, 16, num_layers=1, dropout=0.2)", "", ""),
}

CASES = {
    "stacked-lstm-with-dropout-evaluated": """
    import torch
    import torch.nn as nn

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.LSTM(8, 16, num_layers=2, dropout=0.5)
            self.fc = nn.Linear(16, 3)

        def forward(self, x):
            out, _ = self.rnn(x)
            return self.fc(out[-1])

    model = Tagger()
    opt = torch.optim.Adam(model.parameters())
    x, y = torch.randn(5, 4, 8), torch.randint(0, 3, (4,))
    for epoch in range(3):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    with torch.no_grad():  # expect: TL415
        print(model(x).argmax(dim=1))
    """,
    "ok-stacked-lstm-without-dropout": """
    import torch
    import torch.nn as nn

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.LSTM(8, 16, num_layers=2, dropout=0)
            self.fc = nn.Linear(16, 3)

        def forward(self, x):
            out, _ = self.rnn(x)
            return self.fc(out[-1])

    model = Tagger()
    opt = torch.optim.Adam(model.parameters())
    x, y = torch.randn(5, 4, 8), torch.randint(0, 3, (4,))
    for epoch in range(3):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    with torch.no_grad():
        print(model(x).argmax(dim=1))
    """,
    "test-accuracy-after-training": NET + """
    net = Net()
    optimizer = torch.optim.Adam(net.parameters())
    for epoch in range(2):
        for images, labels in train_loader:
            optimizer.zero_grad()
            F.cross_entropy(net(images), labels).backward()
            optimizer.step()

    correct = total = 0
    with torch.no_grad():  # expect: TL415
        for images, labels in test_loader:
            predicted = net(images).argmax(dim=1)
            correct += (predicted == labels).sum().item()
            total += labels.size(0)
    print(100 * correct / total)
    """,
    "train-at-top-of-epoch-then-validate-in-main": NET + """
    def main():
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        for epoch in range(3):
            model.train()
            for x, y in train_loader:
                optimizer.zero_grad()
                loss = F.cross_entropy(model(x), y)
                loss.backward()
                optimizer.step()
            val_loss = 0.0
            for x, y in test_loader:  # expect: TL415
                val_loss += F.cross_entropy(model(x), y).item()
            print(epoch, val_loss)

    if __name__ == "__main__":
        main()
    """,
    "helper-called-where-the-mode-is-known": NET + """
    def evaluate(model, loader):
        correct = 0
        with torch.no_grad():  # expect: TL415
            for x, y in loader:
                correct += (model(x).argmax(1) == y).sum().item()
        return correct

    model = Net()
    opt = torch.optim.Adam(model.parameters())
    for epoch in range(2):
        for x, y in train_loader:
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            opt.step()
        print(evaluate(model, test_loader))
    """,
    "helper-under-set-grad-enabled-in-the-caller": NET + """
    def compute_accuracy(net, loader):
        correct = total = 0
        for x, y in loader:
            correct += (net(x).argmax(1) == y).sum().item()
            total += y.size(0)
        return correct / total

    model = Net()
    opt = torch.optim.Adam(model.parameters())
    for epoch in range(2):
        model.train()
        for x, y in train_loader:
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            opt.step()
        with torch.set_grad_enabled(False):  # expect: TL415
            print(compute_accuracy(model, train_loader), compute_accuracy(model, test_loader))
    """,
    "ok-helper-that-calls-eval-itself": NET + """
    def compute_accuracy(net, loader):
        net.eval()
        correct = 0
        for x, y in loader:
            correct += (net(x).argmax(1) == y).sum().item()
        return correct

    model = Net()
    opt = torch.optim.Adam(model.parameters())
    for epoch in range(2):
        model.train()
        for x, y in train_loader:
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            opt.step()
        with torch.set_grad_enabled(False):
            print(compute_accuracy(model, test_loader))
    """,
    "gan-samples-drawn-inside-the-training-loop": GAN + """
                samples = G(fixed_z)  # expect: TL415
                vutils.save_image(samples.detach().view(64, 1, 28, 28), "samples_%03d.png" % epoch)
    """,
    "ok-gan-samples-drawn-in-eval-mode": GAN + """
                G.eval()
                with torch.no_grad():
                    samples = G(fixed_z)
                G.train()
                vutils.save_image(samples.view(64, 1, 28, 28), "samples_%03d.png" % epoch)
    """,
    "ok-fresh-noise-each-step-only-saved": GAN + """
                gen = G(torch.randn(64, 16))
                vutils.save_image(gen.data.view(64, 1, 28, 28), "step_%03d.png" % i)
    """,
    "ok-target-network-detached-into-the-loss": """
    import torch
    import torch.nn as nn

    q_net = nn.Sequential(nn.Linear(4, 64), nn.Dropout(0.1), nn.Linear(64, 2))
    target_net = nn.Sequential(nn.Linear(4, 64), nn.Dropout(0.1), nn.Linear(64, 2))
    opt = torch.optim.Adam(q_net.parameters())
    for step in range(100):
        s, s2, r = torch.randn(32, 4), torch.randn(32, 4), torch.randn(32)
        next_q = target_net(s2)
        y = r + 0.99 * next_q.detach().max(1)[0]
        loss = ((q_net(s).max(1)[0] - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    """,
    "gan-generator-sampled-in-a-loop": """
    import torch
    import torch.nn as nn

    class Generator(nn.Module):
        def __init__(self, nz=16):
            super().__init__()
            self.main = nn.Sequential(nn.Linear(nz, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 784), nn.Tanh())

        def forward(self, z):
            return self.main(z)

    netG = Generator()
    images = []
    for i in range(8):  # expect: TL415
        z = torch.randn(16, 16)
        images.append(netG(z).detach().view(16, 1, 28, 28))
    """,
    "ok-eval-before-validation": NET + """
    net = Net()
    optimizer = torch.optim.Adam(net.parameters())
    for epoch in range(2):
        net.train()
        for images, labels in train_loader:
            optimizer.zero_grad()
            F.cross_entropy(net(images), labels).backward()
            optimizer.step()
        net.eval()
        with torch.no_grad():
            for images, labels in test_loader:
                acc = (net(images).argmax(1) == labels).float().mean().item()
    """,
    "ok-eval-in-a-helper-before-the-loop": NET + """
    def prepare(m):
        m.eval()
        return m

    net = Net()
    prepare(net)
    with torch.no_grad():
        for images, labels in test_loader:
            acc = (net(images).argmax(1) == labels).float().mean().item()
    """,
    "ok-model-handed-to-code-elsewhere": NET + """
    from utils import load_weights

    net = Net()
    load_weights(net, "best.pt")
    with torch.no_grad():
        for images, labels in test_loader:
            acc = (net(images).argmax(1) == labels).float().mean().item()
    """,
    "ok-eval-only-on-some-paths": NET + """
    import sys

    net = Net()
    if len(sys.argv) > 1:
        net.eval()
    with torch.no_grad():
        for images, labels in test_loader:
            acc = (net(images).argmax(1) == labels).float().mean().item()
    """,
    "ok-train-false": NET + """
    net = Net()
    net.train(mode=False)
    with torch.no_grad():
        for images, labels in test_loader:
            acc = (net(images).argmax(1) == labels).float().mean().item()
    """,
    "ok-no-mode-dependent-layer": """
    import torch
    import torch.nn as nn

    class MLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(4, 16)
            self.fc2 = nn.Linear(16, 3)

        def forward(self, x):
            return self.fc2(torch.relu(self.fc1(x)))

    model = MLP()
    with torch.no_grad():
        for i in range(5):
            print(model(torch.randn(2, 4)).argmax(1))
    """,
    "ok-dropout-defined-but-unused": """
    import torch
    import torch.nn as nn

    class MLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 3)
            self.drop = nn.Dropout(0.5)

        def forward(self, x):
            return self.fc(x)

    model = MLP()
    with torch.no_grad():
        print(model(torch.randn(2, 4)).argmax(1))
    """,
    "ok-unknown-model": """
    import torch
    from model import DeepSpeech

    model = DeepSpeech()
    with torch.no_grad():
        for i in range(3):
            print(model(torch.randn(2, 161, 100)))
    """,
    "ok-eval-at-end-of-loop-body": NET + """
    net = Net()
    net.eval()
    for epoch in range(3):
        with torch.no_grad():
            for images, labels in test_loader:
                acc = (net(images).argmax(1) == labels).float().mean().item()
        net.eval()
    """,
    "ok-keras-model": """
    import numpy as np
    from tensorflow import keras

    model = keras.Sequential([keras.layers.Dense(16, activation="relu"), keras.layers.Dropout(0.5), keras.layers.Dense(3)])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(np.random.rand(32, 4), np.random.randint(0, 3, 32), epochs=1)
    for i in range(3):
        print(model(np.random.rand(2, 4)))
    """,
    "ok-rnn-rollout-then-backward": """
    import torch
    import torch.nn as nn

    policy = nn.Sequential(nn.Linear(4, 32), nn.Dropout(0.1), nn.Linear(32, 2))
    opt = torch.optim.Adam(policy.parameters())
    for episode in range(10):
        log_probs = []
        for t in range(20):
            log_probs.append(torch.log_softmax(policy(torch.randn(1, 4)), 1)[0, 0])
        loss = -torch.stack(log_probs).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    """,
}
CASES.update({name: _TAGGER.format(rnn=rnn, arg=arg, expect=expect) for name, (rnn, arg, expect) in _TAGGERS.items()})


@pytest.mark.parametrize("name", sorted(CASES))
def test_evaluation_in_train_mode(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL415"}
    assert found == _expected(text)


def test_message_names_the_layer_the_call_and_the_train_point():
    text = textwrap.dedent(CASES["train-at-top-of-epoch-then-validate-in-main"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config(select=("ALL",))).findings if f.code == "TL415"]
    assert "BatchNorm2d (line 9)" in f.message and "model.train() at line 24" in f.message
    assert "line 32" in f.message and "model.train() before training resumes" in f.message
    assert {r.span.start.line for r in f.related} == {9, 24, 32}
    assert f.fix is not None and f.fix.edits[0].content.strip() == "model.eval()"


def test_fix_in_the_caller_names_the_callers_model():
    """The helper evaluates `net`; the fix goes before the caller's no_grad block, with the
    caller's name for the model."""
    text = textwrap.dedent(CASES["helper-under-set-grad-enabled-in-the-caller"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config(select=("ALL",))).findings if f.code == "TL415"]
    assert f.fix is not None and f.fix.edits[0].content.strip() == "model.eval()"
    assert f.fix.edits[0].span.start.line == f.line
