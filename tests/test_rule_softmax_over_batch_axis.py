"""TL219 softmax-over-batch-axis, written several ways: `torch.softmax(x, dim=0).argmax(dim=1)`,
`F.softmax(x, 0).max(1)`, the method form, `log_softmax`, an `nn.Softmax(dim=0)` module called
inline, and a softmax bound to a name in a prediction function. The look-alikes take the softmax
and the argmax along the same axis, the most confident sample per class (softmax along the
classes, argmax along the batch), a 1-D score vector, an axis counted from the end, a name bound
again, and `torch.max` of two tensors. Each case marks its expected findings with
`# expect: TL219`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "chained-forms": """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    logits = torch.randn(32, 10)
    a = torch.softmax(logits, dim=0).argmax(dim=1)  # expect: TL219
    b = F.softmax(logits, 0).max(1)[1]  # expect: TL219
    c = logits.softmax(0).argmax(1)  # expect: TL219
    d = torch.argmax(F.log_softmax(logits, dim=0), dim=1)  # expect: TL219
    e = torch.max(nn.Softmax(dim=0)(logits), 1)  # expect: TL219
    """,
    "named-probabilities-in-a-function": """
    import torch

    def predict(model, loader):
        labels = []
        model.eval()
        with torch.no_grad():
            for x, _ in loader:
                probs = torch.nn.functional.softmax(model(x), dim=0)  # expect: TL219
                labels.append(probs.argmax(dim=1))
        return torch.cat(labels)
    """,
    "ok-same-axis-other-uses": """
    import torch

    logits = torch.randn(32, 10)
    ok1 = torch.softmax(logits, dim=1).argmax(dim=1)
    best_sample = torch.softmax(logits, dim=1).argmax(dim=0)
    ok3 = torch.softmax(logits, dim=0).argmax(dim=0)
    ok4 = torch.softmax(logits, dim=-1).argmax(dim=1)
    ok5 = torch.max(torch.softmax(logits, 0), torch.zeros(1))
    scores = torch.randn(5)
    ok6 = torch.softmax(scores, 0).argmax()
    ok7 = torch.softmax(scores, 0).argmax(-1)
    p = torch.softmax(logits, dim=0)
    p = torch.softmax(logits, dim=1)
    ok8 = p.argmax(dim=1)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_softmax_over_batch_axis(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL219"}
    assert found == _expected(text)


def test_fix_takes_the_softmax_along_the_argmax_axis():
    text = "import torch\nlogits = torch.randn(4, 3)\ny = torch.softmax(logits, dim=0).argmax(dim=1)\n"
    [f] = [f for f in analyze(text, "t.py", Config()).findings if f.code == "TL219"]
    assert "axis 0" in f.message and "along axis 1" in f.message
    [edit] = f.fix.edits
    assert edit.content == "1" and (edit.span.start.line, edit.span.start.column) == (3, 30)
