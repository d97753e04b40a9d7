"""TL108 shape-method-not-called, TL109 layer-built-in-forward, TL222
result-unpacked-into-wrong-count and TL320 countdown-range-without-step, written the ways people
write them: at module level, in helpers, in methods and in functions nobody calls, with the
framework imported under several names. The look-alikes beside each are correct code of the
same shape. Each case marks its expected findings with `# expect: TLxxx`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CODES = ("TL108", "TL109", "TL222", "TL320")

CASES = {
    "tl109-subclass-of-own-base-qualified-names": """
    import torch
    from torch.nn import Linear, Module


    class Base(Module):
        pass


    class Head(Base):
        def __init__(self, n):
            super().__init__()
            self.n = n

        def forward(self, x, project=True):
            if project:
                x = torch.nn.Linear(self.n, self.n)(x)  # expect: TL109
            return Linear(self.n, 2)(x)  # expect: TL109
    """,
    "tl109-recurrent-and-embedding-bound-then-called": """
    import torch.nn as nn


    class Tagger(nn.Module):
        def forward(self, tokens):
            embed = nn.Embedding(100, 16)  # expect: TL109
            rnn = nn.GRU(16, 32, batch_first=True)  # expect: TL109
            out, _ = rnn(embed(tokens))
            return out
    """,
    "tl109-lookalikes-parameter-free-and-stored": """
    import torch.nn as nn
    import torch.nn.functional as F


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(8, 8)
            self.cache = {}

        def forward(self, x):
            x = nn.ZeroPad2d(1)(x)
            x = nn.BatchNorm2d(3, affine=False)(x)
            x = nn.Upsample(scale_factor=2)(x)
            if "proj" not in self.cache:
                self.cache["proj"] = nn.Linear(8, 8)
            return F.relu(self.fc(x))

        def head(self):
            return nn.Linear(8, 2)


    def make():
        layer = nn.Linear(4, 4)
        return layer(nn.Parameter(layer.weight.detach()))
    """,
    "tl108-in-a-method-and-a-function-nobody-calls": """
    import tensorflow as tf


    class Model:
        def build(self, x):
            width = x.get_shape()[-1] * 2
            self.units = x.shape.as_list[-1]  # expect: TL108
            return width


    def unused(t):
        return [d for d in t.get_shape]  # expect: TL108
    """,
    "tl108-lookalikes-called-and-foreign": """
    import numpy as np
    import tensorflow as tf

    t = tf.zeros([2, 3])
    dims = t.get_shape().as_list()
    n = t.shape.num_elements()
    a = np.zeros((2, 3))
    rows = a.shape[0]
    shape_of = t.get_shape
    print(dims, n, rows, shape_of())
    """,
    "tl222-module-aliases-and-methods": """
    import torch
    import torch.nn.utils.rnn as rnn_utils


    def run(seqs, lengths, scores):
        packed, sizes = rnn_utils.pack_padded_sequence(seqs, lengths, batch_first=True)  # expect: TL222
        top, idx, extra = torch.topk(scores, 3)  # expect: TL222
        q, r = torch.linalg.qr(scores)
        out, out_lengths = rnn_utils.pad_packed_sequence(packed, batch_first=True)
        return out, top, q
    """,
    "tl222-recurrent-layers-in-modules": """
    import torch
    import torch.nn as nn


    class Seq2Seq(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.LSTM(8, 16)
            self.dec = nn.GRU(8, 16)

        def forward(self, x):
            outputs, (h, c) = self.enc(x)
            out, h2, extra = self.dec(x)  # expect: TL222
            return outputs, h, c, out, h2


    model = Seq2Seq()
    model(torch.randn(5, 2, 8))
    """,
    "tl320-in-functions-and-comprehensions": """
    import torch


    def drop_short(batches):
        for i in range(len(batches) + 1, 1):  # expect: TL320
            if len(batches[i - 2]) < 2:
                del batches[i - 2]
        return [b for j in range(len(batches) - 2, -2) for b in batches[j]]  # expect: TL320


    def fine(batches, n):
        for i in range(len(batches) - 1, -1, -1):
            print(i)
        for i in range(n, 0):
            print(i)
        for i in range(len(batches) - 2, 0):
            print(i)
    """,
    "tl109 norm flags as the call writes them": """
    import torch.nn as nn


    class Block(nn.Module):
        def __init__(self, d, affine):
            super().__init__()
            self.d, self.affine = d, affine

        def forward(self, x):
            a = nn.LayerNorm(self.d, 1e-6)(x)  # expect: TL109
            b = nn.BatchNorm1d(self.d, 1e-5, 0.1, True)(a)  # expect: TL109
            c = nn.InstanceNorm1d(self.d, 1e-5, 0.1, True)(b)  # expect: TL109
            d = nn.LayerNorm(self.d, 1e-6, False)(c)
            e = nn.BatchNorm1d(self.d, affine=self.affine)(d)
            f = nn.LayerNorm(self.d, elementwise_affine=self.affine)(e)
            g = nn.InstanceNorm1d(self.d, affine=self.affine)(f)
            return nn.GroupNorm(2, self.d, 1e-5, False)(g)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_structural_rules(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config()).findings if f.code in CODES}
    assert found == _expected(text)
