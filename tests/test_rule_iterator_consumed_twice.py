"""TL317: a one-shot iterator (itertools.chain, `parameters()`, zip, map, filter) run through a second time. Written several ways (in a function and a closure
defined after the first pass, at module level across statements, in a train() nobody calls, in
a method); the look-alikes use the iterator once on each of two exclusive paths, bind it again,
make it a list, or read it before the first pass may have run."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL317",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src), "train.py", ONLY).findings)


BUGS = {
    # Spinning Up's SAC: the freezing loops in a closure defined after Adam ran through the chain
    "chain-freeze-in-closure": ("""
        import itertools
        from torch.optim import Adam

        def sac(ac, lr=1e-3):
            q_params = itertools.chain(ac.q1.parameters(), ac.q2.parameters())
            pi_optimizer = Adam(ac.pi.parameters(), lr=lr)
            q_optimizer = Adam(q_params, lr=lr)

            def update(data):
                for p in q_params:
                    p.requires_grad = False
                return data
            return update
    """, [11]),
    "from-import-chain-module-level": ("""
        from itertools import chain
        import torch

        enc, dec = torch.nn.Linear(4, 2), torch.nn.Linear(2, 4)
        params = chain(enc.parameters(), dec.parameters())
        opt = torch.optim.Adam(params=params, lr=1e-3)
        n_params = sum(p.numel() for p in params)
    """, [8]),
    "parameters-generator-in-a-method": ("""
        import torch

        class Trainer:
            def __init__(self, model):
                self.model = model

            def fit(self, batches):
                params = self.model.parameters()
                opt = torch.optim.SGD(params, lr=0.1)
                for x, y in batches:
                    loss = ((self.model(x) - y) ** 2).mean()
                    opt.zero_grad()
                    loss.backward()
                    torch.nn.utils.clip_grad_value_(params, 1.0)
                    opt.step()
    """, [15]),
    "zip-of-data-read-twice": ("""
        import torch

        def train(model, opt, xs, ys, epochs):
            pairs = zip(xs, ys)
            n = len(list(pairs))
            for x, y in pairs:
                opt.zero_grad()
                model(x).sub(y).pow(2).mean().backward()
                opt.step()
            return n
    """, [7]),
    "filter-then-loop-over-zip": ("""
        import torch

        def grads(model):
            named = filter(lambda item: item[1].requires_grad, model.named_parameters())
            names = sorted(named)
            for (n, p), i in zip(named, range(3)):
                print(n, p.grad)
            return names
    """, [7]),
}

OK = {
    "one-use-per-branch": """
        import torch

        def make(model, kind):
            params = model.parameters()
            if kind == "adam":
                opt = torch.optim.Adam(params)
            else:
                opt = torch.optim.SGD(params, lr=0.1)
            return opt
    """,
    "made-a-list": """
        import itertools
        import torch

        def sac(ac):
            q_params = list(itertools.chain(ac.q1.parameters(), ac.q2.parameters()))
            opt = torch.optim.Adam(q_params)
            for p in q_params:
                p.requires_grad = False
            return opt
    """,
    "bound-again-before-second-use": """
        import torch

        def freeze(model):
            ps = model.parameters()
            opt = torch.optim.SGD(ps, lr=0.1)
            ps = model.parameters()
            for p in ps:
                p.requires_grad = False
            return opt
    """,
    "closure-defined-before-the-first-pass": """
        import torch

        def setup(model):
            params = model.parameters()

            def freeze():
                for p in params:
                    p.requires_grad = False
            freeze()
            return torch.optim.SGD(params, lr=0.1)
    """,
    "closure-binds-its-own-name": """
        import itertools
        import torch

        def setup(a, b):
            params = itertools.chain(a.parameters(), b.parameters())
            opt = torch.optim.Adam(params)

            def freeze(params):
                for p in params:
                    p.requires_grad = False
            freeze(a.parameters())
            return opt
    """,
    "own-parameters-method": """
        import torch

        class Bag:
            def parameters(self):
                return [torch.zeros(2, requires_grad=True)]

        bag = Bag()
        ps = bag.parameters()
        opt = torch.optim.SGD(ps, lr=0.1)
        for p in ps:
            p.requires_grad = False
    """,
    "shadowed-zip": """
        import torch

        def zip(*a):
            return [tuple(t) for t in __builtins__.zip(*a)]

        pairs = zip([1, 2], [3, 4])
        first = list(pairs)
        second = list(pairs)
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_second_pass_over_a_spent_iterator_is_reported(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(OK))
def test_lookalikes_stay_silent(name):
    assert _lines(OK[name]) == []


def test_python2_program_is_not_judged():
    src = "import torch\npairs = zip([1], [2])\na = list(pairs)\nb = list(pairs)\nprint 'done'\n"
    assert [f for f in analyze(src, "train.py", ONLY).findings if f.code == "TL317"] == []
