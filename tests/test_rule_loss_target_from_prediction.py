"""TL316 loss-target-from-prediction, written the ways evaluation code writes it: a test loss
against `torch.round(torch.sigmoid(logits))`, against `softmax(...).argmax(...)` through two
names, against the indices unpacked from `torch.max`, against `max(1)[1]` given by keyword,
inside an evaluation function. The look-alikes score true labels, a teacher's labels, pseudo
labels in a training step (with gradient, on purpose), a name bound again, a target made in
one branch only, and a target mixed with the labels. Each case marks its expected findings
with `# expect: TL316`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "notebook-test-loss-on-rounded-logits": """
    import torch
    from torch import nn

    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
    loss_fn = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    X_train, y_train = torch.randn(80, 2), torch.randint(0, 2, (80,)).float()
    X_test, y_test = torch.randn(20, 2), torch.randint(0, 2, (20,)).float()
    for epoch in range(100):
        model.train()
        y_logits = model(X_train).squeeze()
        loss = loss_fn(y_logits, y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.inference_mode():
            test_logits = model(X_test).squeeze()
            test_probs = torch.sigmoid(test_logits)
            test_pred = torch.round(test_probs)
            test_loss = loss_fn(test_logits, test_pred)  # expect: TL316
    """,
    "evaluate-function-max-indices": """
    import torch
    import torch.nn.functional as F

    def evaluate(model, loader):
        model.eval()
        total = 0.0
        with torch.no_grad():
            for images, labels in loader:
                outputs = model(images)
                _, predicted = torch.max(outputs.data, 1)
                total += F.cross_entropy(outputs, predicted).item()  # expect: TL316
                top = outputs.max(dim=1)[1].long()
                total += F.nll_loss(input=outputs, target=top).item()  # expect: TL316
        return total
    """,
    "ok-true-labels-teacher-and-training-pseudo-labels": """
    import torch
    import torch.nn as nn

    teacher, student = nn.Linear(8, 3), nn.Linear(8, 3)
    criterion = nn.CrossEntropyLoss()
    x, y = torch.randn(16, 8), torch.randint(0, 3, (16,))
    with torch.no_grad():
        logits = student(x)
        preds = logits.argmax(dim=1)
        val_loss = criterion(logits, y)
        distill = criterion(logits, teacher(x).argmax(dim=1))
    out = student(x)
    pseudo = out.argmax(dim=1)
    loss = criterion(out, pseudo)
    loss.backward()
    """,
    "ok-rebound-branch-and-mixed-targets": """
    import torch
    import torch.nn as nn

    model = nn.Linear(4, 2)
    criterion = nn.CrossEntropyLoss()
    x, x2, y = torch.randn(8, 4), torch.randn(8, 4), torch.randint(0, 2, (8,))
    with torch.no_grad():
        out = model(x)
        target = out.argmax(1)
        target = y
        a = criterion(out, target)
        if y.sum() > 3:
            guess = out.argmax(1)
        b = criterion(out, guess)
        c = criterion(out, torch.where(out[:, 0] > 0, y, 0))
        first = out.argmax(1)
        out = model(x2)
        d = criterion(out, first)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_loss_target_from_prediction(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL316"}
    assert found == _expected(text)


def test_message_names_both_tensors_and_where_the_labels_are_made():
    text = textwrap.dedent(CASES["notebook-test-loss-on-rounded-logits"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config()).findings if f.code == "TL316"]
    assert "test_logits with test_pred" in f.message and "torch.round(test_probs)" in f.message
    assert [r.span.start.line for r in f.related] == [20]
