"""The body of a compound statement written on its own line (`if cuda: x = x.cuda()`,
`def f(x): return x.view(3, -1)`, `for`/`while`/`with`/`try` on one line) is run like an
indented block: what it does to values counts, and findings inside it are reported."""
from __future__ import annotations


import pytest

from corpus_support import marked_and_found

CASES = {
    "if": """
        import torch
        x = torch.randn(4, 5)
        if x.dim() == 2: y = x.view(3, -1)  # expect: TL207
    """,
    "else": """
        import sys
        import torch
        if len(sys.argv) > 1: y = None
        else: y = torch.randn(4, 5).view(3, -1)  # expect: TL207
    """,
    "for": """
        import torch
        for i in range(3): y = torch.randn(4, 5).view(3, -1)  # expect: TL207
    """,
    "while": """
        import torch
        n = 0
        while n < 3: n += 1; y = torch.randn(4, 5).view(3, -1)  # expect: TL207
    """,
    "with": """
        import torch
        with torch.no_grad(): y = torch.randn(4, 5).view(3, -1)  # expect: TL207
    """,
    "def": """
        import torch
        def flat(x): return x.view(3, -1)  # expect: TL207
        y = flat(torch.randn(4, 5))
    """,
    "binding-made-in-a-one-line-body-is-seen-after-it": """
        import torch
        import torch.nn as nn
        model = nn.Linear(4, 1)
        x = torch.randn(8, 3)
        if x.dim() == 2: x = torch.randn(8, 4)
        y = model(x)
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_one_line_body(name):
    code = "TL202" if "binding" in name else "TL207"
    marked, found = marked_and_found(code, name, CASES[name])
    assert found == marked
