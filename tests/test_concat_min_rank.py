"""Joining along dim k makes a tensor of rank at least k + 1, and a torch loss moved to a device
is still that loss. TL104 and TL208 compare targets with that lower bound.

`torch.cat([pos, neg], dim=1)` of parts the file knows nothing about is still a tensor, and a
matrix or more: concatenation along dim 1 needs a dim 1. TL104 compares that with a float vector
of targets: a `CrossEntropyLoss`/`NLLLoss` target of one value per sample must hold class
indices (int64), and a float target passes only as class probabilities of the prediction's own
shape, which a vector never has against a matrix (SimCLR's InfoNCE loss with
`labels = torch.zeros(logits.shape[0])`). `nn.CrossEntropyLoss().to(device)` (`.cuda()`,
`.cpu()`) returns the loss module itself, so its calls are loss calls. TL208: `BCELoss` needs a
target of the input's exact shape, so a vector against joined scores of two dims or more fails,
and a `CrossEntropyLoss` input of at least three dims takes no vector of indices, one of at
least two dims no single index.

The look-alikes join along dim 0 (any rank), give int64 or same-shape float targets, or
targets whose rank is not known. Each case marks its expected findings with `# expect: CODE`;
the check runs the command line on the file."""
from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

sys.path.insert(0, str(Path(__file__).parent / "cli"))
from cli_helpers import run_tensorlint  # noqa: E402
from test_variants import _expected  # noqa: E402

ALL = Config(select=("ALL",))

VALUES = """
import numpy as np
import torch
import tensorflow as tf

def parts(a, b, c):
    m = torch.cat([a, b], dim=1)  # value: Tensor[..., ?, ?] ?
    k = torch.cat((a, b, c), 2)  # value: Tensor[..., ?, ?, ?] ?
    n = m.shape[0]
    y = torch.zeros(m.size(0))  # value: Tensor[?] float32
    s = m / 0.07  # value: Tensor[..., ?, ?] ?
    w = torch.randn(4, 3)
    r = torch.cat([w, a], dim=1)  # value: Tensor[4, ?] ?
    return m, k, n, y, s, r
"""

CASES = {
    "info-nce-in-a-class-criterion-to-device": """
    import torch
    import torch.nn.functional as F

    class SimCLR(object):
        def __init__(self, *args, **kwargs):
            self.args = kwargs['args']
            self.model = kwargs['model'].to(self.args.device)
            self.criterion = torch.nn.CrossEntropyLoss().to(self.args.device)

        def info_nce_loss(self, features):
            features = F.normalize(features, dim=1)
            similarity_matrix = torch.matmul(features, features.T)
            positives = similarity_matrix[:, :1]
            negatives = similarity_matrix[:, 1:]
            logits = torch.cat([positives, negatives], dim=1)
            labels = torch.zeros(logits.shape[0]).to(self.args.device)
            logits = logits / self.args.temperature
            return logits, labels

        def train(self, train_loader):
            for images, _ in train_loader:
                features = self.model(images)
                logits, labels = self.info_nce_loss(features)
                loss = self.criterion(logits, labels)  # expect: TL104
                loss.backward()
    """,
    "functional-cross-entropy-of-joined-scores": """
    import torch
    import torch.nn.functional as F

    def contrastive(q, k, queue, t=0.07):
        l_pos = torch.einsum("nc,nc->n", q, k).unsqueeze(-1)
        l_neg = torch.einsum("nc,ck->nk", q, queue)
        logits = torch.cat([l_pos, l_neg], dim=1) / t
        labels = torch.zeros(logits.size(0), device=logits.device)
        return F.cross_entropy(logits, labels)  # expect: TL104
    """,
    "nll-loss-moved-with-cuda": """
    import torch
    import torch.nn as nn

    criterion = nn.NLLLoss().cuda()

    def step(a, b):
        scores = torch.log_softmax(torch.cat((a, b), 1), dim=1)
        target = torch.ones(scores.shape[0])
        return criterion(scores, target)  # expect: TL104
    """,
    "bce-moved-to-device-gets-int-targets": """
    import torch
    import torch.nn as nn

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = nn.Sequential(nn.Linear(10, 1)).to(device)
    criterion = nn.BCEWithLogitsLoss().to(device)
    x = torch.randn(16, 10, device=device)
    y = torch.randint(0, 2, (16, 1), device=device)
    loss = criterion(model(x), y)  # expect: TL104
    """,
    "bce-of-joined-scores-against-a-vector": """
    import torch
    import torch.nn.functional as F

    def step(a, b):
        scores = torch.cat([a, b], dim=1)
        target = torch.ones(scores.size(0))
        return F.binary_cross_entropy_with_logits(scores, target)  # expect: TL208
    """,
    "cross-entropy-of-joined-maps-against-indices-per-sample": """
    import torch
    import torch.nn as nn

    criterion = nn.CrossEntropyLoss().to("cuda")

    def step(a, b, labels):
        seg = torch.cat((a, b), 2)
        return criterion(seg, torch.zeros(seg.shape[0], dtype=torch.long))  # expect: TL208
    """,
    "cross-entropy-of-joined-scores-against-one-index": """
    import torch
    import torch.nn.functional as F

    def step(a, b, i):
        logits = torch.cat([a, b], dim=1)
        return F.cross_entropy(logits, torch.tensor(3))  # expect: TL208
    """,
    # look-alikes: int64 class indices, whatever the logits are made of
    "long-targets": """
    import torch
    import torch.nn as nn

    criterion = nn.CrossEntropyLoss().to("cuda")

    def step(a, b):
        logits = torch.cat([a, b], dim=1)
        labels = torch.zeros(logits.shape[0], dtype=torch.long)
        return criterion(logits, labels)
    """,
    # float targets of the logits' own shape are class probabilities
    "probability-targets-of-the-same-shape": """
    import torch
    import torch.nn.functional as F

    def step(a, b):
        logits = torch.cat([a, b], dim=1)
        soft = torch.zeros_like(logits)
        soft[:, 0] = 1.0
        return F.cross_entropy(logits, soft)
    """,
    # joined along dim 0: the rank may be 1, where a float vector is a row of probabilities
    "joined-along-dim-0": """
    import torch
    import torch.nn.functional as F

    def step(a, b):
        logits = torch.cat([a, b], dim=0)
        target = torch.zeros(logits.shape[0])
        return F.cross_entropy(logits, target)
    """,
    # BCE targets of the joined scores' own shape, or of a rank the file does not show
    "bce-targets-like-the-scores": """
    import torch
    import torch.nn.functional as F

    def step(a, b, t):
        scores = torch.cat([a, b], dim=1)
        first = F.binary_cross_entropy_with_logits(scores, torch.ones_like(scores))
        second = F.binary_cross_entropy_with_logits(scores, torch.ones(scores.size(0), 1))
        return first + second + F.binary_cross_entropy_with_logits(scores, t)
    """,
    # targets whose rank the file does not show
    "targets-of-unknown-rank": """
    import torch
    import torch.nn as nn

    criterion = nn.CrossEntropyLoss().cuda()

    def step(a, b, targets):
        logits = torch.cat([a, b], dim=1)
        return criterion(logits, targets.float())
    """,
}


def test_joined_values():
    text = VALUES.lstrip("\n")
    values = {}
    for v in analyze(text, "case.py", ALL, collect_values=True).values:
        values.setdefault(v.span.start.line, []).append(v.text)
    expected = {i: m.group(1).strip() for i, line in enumerate(text.splitlines(), 1) if (m := re.search(r"# value: (.*)$", line))}
    assert expected
    for line, want in expected.items():
        assert want in values.get(line, []), (line, values.get(line))


@pytest.mark.parametrize("name", sorted(CASES))
def test_min_rank_targets(tmp_path, name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    (tmp_path / "prog.py").write_text(text)
    out = run_tensorlint(["check", "--select", "ALL", "--format", "json", "prog.py"], tmp_path)
    found = {(f["code"], f["location"]["row"]) for f in out.json() if f["code"] in ("TL104", "TL208")}
    assert found == _expected(text)


def test_message_and_fix(tmp_path):
    (tmp_path / "prog.py").write_text(textwrap.dedent(CASES["functional-cross-entropy-of-joined-scores"]).lstrip("\n"))
    [finding] = [f for f in run_tensorlint(["check", "--select", "TL104", "--format", "json", "prog.py"], tmp_path).json()]
    assert "int64 (long) class indices" in finding["message"] and "`labels`" in finding["message"]
    run_tensorlint(["check", "--select", "TL104", "--fix", "prog.py"], tmp_path)
    assert "F.cross_entropy(logits, labels.long())" in (tmp_path / "prog.py").read_text()
