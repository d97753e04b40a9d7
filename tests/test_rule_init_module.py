"""TL433 init-given-module, written the ways people write it: `nn.init.zeros_(self.decoder)` in
an `init_weights` method, `init.kaiming_normal_` on a convolution bound to a name,
`xavier_uniform_` on an `nn.Sequential`, `torch.nn.init.constant_` spelled out. The look-alikes
pass the weight or the bias, a parameter, a module given as an argument, or an attribute the
class binds to something else too. Each case marks its expected findings with
`# expect: TL433`."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from test_variants import _expected

CASES = {
    "init-weights-method": """
    import torch.nn as nn

    class TransformerModel(nn.Module):
        def __init__(self, ntoken, ninp):
            super().__init__()
            self.encoder = nn.Embedding(ntoken, ninp)
            self.decoder = nn.Linear(ninp, ntoken)
            self.init_weights()

        def init_weights(self):
            initrange = 0.1
            nn.init.uniform_(self.encoder.weight, -initrange, initrange)
            nn.init.zeros_(self.decoder)  # expect: TL433
            nn.init.uniform_(self.decoder.weight, -initrange, initrange)

        def forward(self, src):
            return self.decoder(self.encoder(src))
    """,
    "named-conv-and-sequential": """
    import torch
    from torch.nn import init

    conv = torch.nn.Conv2d(3, 16, 3)
    init.kaiming_normal_(conv, mode='fan_out', nonlinearity='relu')  # expect: TL433
    mlp = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.ReLU())
    torch.nn.init.xavier_uniform_(mlp)  # expect: TL433
    torch.nn.init.constant_(conv.bias, 0.0)
    """,
    "ok-weights-biases-and-parameters": """
    import torch
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 2)
            self.scale = nn.Parameter(torch.empty(2))
            nn.init.xavier_uniform_(self.fc.weight)
            nn.init.zeros_(self.fc.bias)
            nn.init.ones_(self.scale)
    """,
    "ok-module-given-as-argument": """
    import torch.nn as nn

    def init_weights(m):
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)

    model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))
    model.apply(init_weights)
    """,
    "ok-attribute-bound-to-a-tensor-elsewhere": """
    import torch
    import torch.nn as nn

    class Gate(nn.Module):
        def __init__(self, learned):
            super().__init__()
            self.g = nn.Linear(4, 4)
            if not learned:
                self.g = torch.empty(4, 4)
                nn.init.eye_(self.g)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_init_given_module(name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    found = {(f.code, f.line) for f in analyze(text, f"{name}.py", Config(select=("ALL",))).findings if f.code == "TL433"}
    assert found == _expected(text)


def test_message_and_fix_name_the_weight():
    text = textwrap.dedent(CASES["init-weights-method"]).lstrip("\n")
    [f] = [f for f in analyze(text, "t.py", Config()).findings if f.code == "TL433"]
    assert "the Linear module built at line 7" in f.message and "'zero_'" in f.message
    [edit] = f.fix.edits
    assert edit.content == "self.decoder.weight"
    assert [r.span.start.line for r in f.related] == [7]
