"""TL443: a function of the file called with arguments its definition cannot take. Written
several ways (an epoch loop at module level, a main() that nobody calls, a keyword the function
lacks, a required argument left out, calls in other statements than the definition's); the
look-alikes take the arguments through defaults, *args or **kwargs, or call a name that the file
binds more than once, so which definition runs is not fixed by the syntax."""
from __future__ import annotations

import textwrap

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze

ONLY = Config(select=("TL443",))


def _lines(src: str) -> list[int]:
    return sorted(f.line for f in analyze(textwrap.dedent(src).lstrip("\n"), "train.py", ONLY).findings)


BUGS = {
    # pytorch_geometric's graph_gps example: train() lost its parameter, the loop still passes one
    "epoch-loop-extra-argument": ("""
        import torch

        model = torch.nn.Linear(8, 2)
        optimizer = torch.optim.Adam(model.parameters())

        def train():
            model.train()
            optimizer.zero_grad()
            loss = model(torch.randn(4, 8)).sum()
            loss.backward()
            optimizer.step()
            return float(loss)

        for epoch in range(1, 101):
            loss = train(epoch)
            print(epoch, loss)
    """, [15]),
    # in a main() nobody calls, one argument too many
    "main-nobody-calls": ("""
        import torch

        def evaluate(model, loader):
            model.eval()
            with torch.no_grad():
                return sum(float(model(x).sum()) for x in loader)

        def main():
            net = torch.nn.Linear(3, 1)
            device = torch.device("cpu")
            print(evaluate(net, [torch.randn(2, 3)], device))
    """, [11]),
    # a keyword the definition has no parameter for, and a required argument left out
    "keyword-and-missing": ("""
        import torch

        def fit(model, data, epochs=1):
            for _ in range(epochs):
                for x in data:
                    model(x)

        net = torch.nn.Linear(3, 1)
        fit(net, [torch.randn(2, 3)], lr=0.1)
        fit(net)
    """, [9, 10]),
    # a keyword-only parameter given by position; called from a method
    "keyword-only-by-position": ("""
        import torch

        def save(model, *, path):
            torch.save(model.state_dict(), path)

        class Trainer:
            def __init__(self):
                self.model = torch.nn.Linear(2, 2)

            def finish(self):
                save(self.model, "model.pt")
    """, [11]),
}

LOOKALIKES = {
    # defaults, *args, **kwargs, a star argument at the call
    "defaults-and-stars": """
        import torch

        def train(epoch=0, *rest, **options):
            return epoch

        def test(loader, verbose=False):
            return loader

        args = (1, 2)
        opts = {"verbose": True}
        print(train(1, 2, 3, lr=0.1), test([], True), test(loader=[]), train(*args), test([], **opts))
    """,
    # a notebook that redefines train with a new signature
    "redefined": """
        import torch

        def train():
            return 0

        print(train())

        def train(epoch):
            return epoch

        print(train(1))
    """,
    # the name is a parameter elsewhere, a method, a decorated function, a module-level assignment
    "bound-again": """
        import functools
        import torch

        def step():
            return 1

        def run(step):
            return step(3)

        @functools.lru_cache(maxsize=None)
        def cached():
            return 2

        class Net(torch.nn.Module):
            def test(self, x):
                return x

        def test():
            return 0

        def score():
            return 0

        if torch.cuda.is_available():
            score = torch.nn.functional.mse_loss

        print(run(print), cached(1), Net().test(1), test(2), score(1, 2))
    """,
    # names the syntax does not show may rebind it
    "dynamic-bindings": """
        import torch
        from helpers import *

        def train():
            return 0

        print(train(1))
    """,
    # a definition that is not at the top level
    "nested-definition": """
        import torch

        if __name__ == "__main__":
            def train():
                return 0

            print(train(1))
    """,
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_call_that_does_not_fit_is_reported(name):
    src, lines = BUGS[name]
    assert _lines(src) == lines


@pytest.mark.parametrize("name", sorted(LOOKALIKES))
def test_lookalikes_stay_silent(name):
    assert _lines(LOOKALIKES[name]) == []


def test_message_names_the_definition():
    src = textwrap.dedent(BUGS["epoch-loop-extra-argument"][0]).lstrip("\n")
    (finding,) = analyze(src, "train.py", ONLY).findings
    assert "train(epoch)" in finding.message and "line 6" in finding.message and "TypeError" in finding.message
