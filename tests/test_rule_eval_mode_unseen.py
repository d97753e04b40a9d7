"""TL415 on models whose modules the file does not show: a wrapper given its encoders and head
by the caller, an `nn.Sequential` around a backbone passed in, a submodule built by a factory
from another package. What those modules do in training mode is unknown; the program's own
`model.eval()` elsewhere (before or after, directly or through a helper given the model) is
what shows that the mode matters. Each case marks its expected findings with
`# expect: TL415`; `ok-` cases must stay silent."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

WRAPPER = """
    import torch
    from torch import nn

    class Fused(nn.Module):
        def __init__(self, encoders, fusion, head):
            super().__init__()
            self.encoders = nn.ModuleList(encoders)
            self.fuse = fusion
            self.head = head
            self.reps = []

        def forward(self, inputs):
            outs = [self.encoders[i](x) for i, x in enumerate(inputs)]
            return self.head(self.fuse(outs))

    def train(encoders, fusion, head, train_loader, valid_loader, epochs):
        model = Fused(encoders, fusion, head)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        for epoch in range(epochs):
            model.train()
            for *xs, y in train_loader:
                opt.zero_grad()
                loss = nn.functional.cross_entropy(model(xs), y)
                loss.backward()
                opt.step()
            model.eval()
            with torch.no_grad():
                for *xs, y in valid_loader:
{valid}                    out = model(xs)
                    print((out.argmax(1) == y).float().mean())
"""

BACKBONE = """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    def fit(backbone, train_loader, val_loader, test_loader, epochs=10):
        model = nn.Sequential({first}, nn.Linear(512, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        for epoch in range(epochs):
            model.train()
            for x, y in train_loader:
                optimizer.zero_grad()
                F.cross_entropy(model(x), y).backward()
                optimizer.step()
{before_val}            val_loss = 0.0
            with torch.no_grad():{mark}
                for x, y in val_loader:
                    val_loss += F.cross_entropy(model(x), y).item()
            print(epoch, val_loss)
{before_test}        correct = 0
        with torch.no_grad():
            for x, y in test_loader:
                correct += (model(x).argmax(1) == y).sum().item()
        return correct
"""

FACTORY = """
    import torch
    import torch.nn as nn
    from mylib import make_backbone

    class Classifier(nn.Module):
        def __init__(self, n_classes):
            super().__init__()
            self.features = make_backbone("resnet18")
            self.fc = nn.Linear(512, n_classes)

        def forward(self, x):
            return self.fc(self.features(x))

    model = Classifier(10)
    teacher = Classifier(10)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def evaluate(net, loader):
        net.eval()
        with torch.no_grad():
            return sum((net(x).argmax(1) == y).sum().item() for x, y in loader)

    def train(train_loader, val_loader):
        for epoch in range(5):
            model.train()
            for x, y in train_loader:
                opt.zero_grad()
                loss_fn(model(x), y).backward()
                opt.step()
            total = 0.0
            for x, y in val_loader:{mark}
                total += loss_fn(model(x), y).item()
            print(total)
        print(evaluate({evaluated}, val_loader))
"""

_TRAIN_IN_VALID = "                    model.train()  # expect: TL415\n"
_EXPECT = "  # expect: TL415"

CASES = {
    # eval() before validation, then train() again inside it (MultiBench's supervised loop)
    "wrapper-train-inside-validation": WRAPPER.format(valid=_TRAIN_IN_VALID),
    "ok-wrapper-eval-before-validation": WRAPPER.format(valid=""),
    # a backbone passed in; validation forgets eval(), the final test remembers it
    "backbone-validation-without-eval": BACKBONE.format(
        first="backbone", before_val="", mark=_EXPECT, before_test="        model.eval()\n"),
    "ok-backbone-eval-before-validation": BACKBONE.format(
        first="backbone", before_val="            model.eval()\n", mark="", before_test="        model.eval()\n"),
    # nothing in the program says the mode matters: unknown stays unknown
    "ok-backbone-never-evaluated-in-eval-mode": BACKBONE.format(
        first="backbone", before_val="", mark="", before_test=""),
    # every module known and none of them depends on the mode: eval() is a habit
    "ok-known-modules-without-dropout": BACKBONE.format(
        first="nn.Linear(784, 512), nn.ReLU()", before_val="", mark="", before_test="        model.eval()\n"),
    # a submodule from a factory of another package; eval() through a helper given the model
    "factory-submodule-eval-in-helper": FACTORY.format(mark=_EXPECT, evaluated="model"),
    # the helper puts another model in eval mode: nothing is said about this one
    "ok-factory-helper-evaluates-another-model": FACTORY.format(mark="", evaluated="teacher"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_evaluation_in_train_mode_with_unseen_modules(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL415"}
    assert found == _expected(text)


def test_message_names_the_unseen_modules_and_the_eval_call():
    text = textwrap.dedent(CASES["factory-submodule-eval-in-helper"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config(select=("ALL",))).findings if f.code == "TL415"]
    assert "self.features" in f.message and "net.eval() (line 20)" in f.message
    assert "model.train() at line 26" in f.message


def test_no_fix_before_a_block_that_calls_train_itself():
    """An eval() inserted before the validation block would be undone by the train() inside it."""
    text = textwrap.dedent(CASES["wrapper-train-inside-validation"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config(select=("ALL",))).findings if f.code == "TL415"]
    assert f.fix is None and f.line == 29  # reported at the train() call inside the block
    assert {r.span.start.line for r in f.related} == {26, 30}
