"""The items of `range(...)` are ints, so `x[i]` in a loop over a range drops one dim.

A character-level RNN scores one step at a time: `output` is `[1, C]`, and `target[c]` of the
sequence `target` in `for c in range(chunk_len)` is 0-d, which `CrossEntropyLoss` rejects
(spro/practical-pytorch's char-rnn before its `view([1])` fix). For an input of rank 2 or more,
the cross-entropy losses take indices one rank lower or probabilities of the input's rank, so
TL208 decides on the ranks alone when the sizes are not known (the class count `len(chars)`)."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ALL = Config(select=("ALL",))


def _values(text: str) -> dict:
    out = {}
    for v in analyze(textwrap.dedent(text), "case.py", ALL, collect_values=True).values:
        out.setdefault(v.span.start.line, []).append(v.text)
    return out


def _codes(text: str, code: str = "TL208") -> list:
    return [f.line for f in analyze(textwrap.dedent(text), "case.py", ALL).findings if f.code == code]


def _marked(text: str) -> list:
    return [i for i, line in enumerate(textwrap.dedent(text).splitlines(), 1) if line.endswith("# TL208")]


RANGE_INDEX = {
    "range-of-literal": ("for i in range(10):\n    row = x[i]", "Tensor[3, 5] float32"),
    "range-of-len": ("for i in range(len(x)):\n    row = x[i]", "Tensor[3, 5] float32"),
    "range-start-stop-step": ("for i in range(0, 10, 2):\n    row = x[i]", "Tensor[3, 5] float32"),
    "enumerate-of-range": ("for k, i in enumerate(range(n)):\n    row = x[i]", "Tensor[3, 5] float32"),
    "zip-with-range": ("for i, y in zip(range(n), ys):\n    row = x[:, i]", "Tensor[10, 5] float32"),
    "iter-of-range": ("for i in iter(range(n)):\n    row = x[i]", "Tensor[3, 5] float32"),
}


@pytest.mark.parametrize("name", sorted(RANGE_INDEX))
def test_range_items_are_ints(name):
    loop, want = RANGE_INDEX[name]
    text = "import torch\nx = torch.randn(10, 3, 5)\n" + loop + "\n"
    line = len(text.splitlines())
    assert want in _values(text).get(line, []), _values(text)


def test_item_of_unknown_sequence_stays_unknown():
    # `indices` may hold slices, tensors or lists: nothing known of `x[i]`'s rank
    text = "import torch\nx = torch.randn(10, 3, 5)\nfor i in indices:\n    row = x[i]\n"
    assert not any(v.startswith("Tensor[3") for v in _values(text).get(4, []))


HEAD = """
import string
import torch
import torch.nn as nn
import torch.nn.functional as F
n_chars = len(string.printable)
decoder = nn.Linear(32, n_chars)
criterion = nn.CrossEntropyLoss()
"""

BUGS = {
    "char-rnn-step-loss": HEAD + """
def train(inp, target, steps):
    loss = 0
    for c in range(steps):
        output = decoder(inp[c].view(1, -1))
        loss += criterion(output, target[c])  # TL208
    loss.backward()

train(torch.randn(20, 32), torch.zeros(20).long(), 20)
""",
    "functional-nll-on-log-softmax": HEAD + """
target = torch.randint(0, n_chars, (50,))
for t in range(50):
    scores = F.log_softmax(decoder(torch.randn(1, 32)), dim=1)
    loss = F.nll_loss(scores, target[t])  # TL208
""",
    "target-from-enumerate-of-range": HEAD + """
target = torch.zeros(8, dtype=torch.long)
for k, t in enumerate(range(8)):
    loss = criterion(decoder(torch.randn(1, 32)), target[t])  # TL208
""",
    # a target of rank 2 for a rank-2 output that takes [N] indices or [N, C] probabilities is fine;
    # rank 3 is not
    "target-two-ranks-higher": HEAD + """
out = decoder(torch.randn(4, 32))
loss = criterion(out, torch.zeros(4, 1, 1).long())  # TL208
""",
}

SILENT = {
    # the fix: the target keeps a batch axis of one
    "target-viewed-to-one": BUGS["char-rnn-step-loss"].replace("target[c])  # TL208", "target[c].view([1]))"),
    "target-sliced": BUGS["char-rnn-step-loss"].replace("target[c])  # TL208", "target[c:c + 1])"),
    "target-unsqueezed": BUGS["functional-nll-on-log-softmax"].replace("target[t])  # TL208", "target[t].unsqueeze(0))"),
    # an unbatched input of rank 1 takes a 0-d index
    "unbatched-step": BUGS["char-rnn-step-loss"].replace("decoder(inp[c].view(1, -1))", "decoder(inp[c])")
    .replace("  # TL208", ""),
    # an unbatched `[C]` input also takes a target of size one (PyTorch 2 returns a loss)
    "unbatched-step-target-of-one": HEAD + """
target = torch.zeros(20, 1).long()
for c in range(20):
    loss = F.nll_loss(F.log_softmax(decoder(torch.randn(32)), dim=0), target[c])
""",
    # probabilities of the output's rank
    "soft-targets": HEAD + """
out = decoder(torch.randn(4, 32))
loss = criterion(out, torch.softmax(torch.randn(4, n_chars), dim=1))
""",
    # the target's rank is not known
    "target-of-unknown-rank": HEAD + """
for c in range(8):
    loss = criterion(decoder(torch.randn(1, 32)), targets[c])
""",
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_rank_mismatch_found(name):
    assert _codes(BUGS[name]) == _marked(BUGS[name])


@pytest.mark.parametrize("name", sorted(SILENT))
def test_silent(name):
    assert _codes(SILENT[name]) == []
