"""Whether a file changes torch's default device is read from the whole text once per text
(`frameworks.devices.default_changed`): files analyzed one after the other in one process each
get their own answer, and the analysis of a file is the same before and after another's."""
from __future__ import annotations

import textwrap

from tensorlint.config import Config
from tensorlint.engine import analyze

KEPT = textwrap.dedent("""
    import torch
    import torch.nn as nn

    model = nn.Linear(4, 1).cuda()
    out = model(torch.randn(8, 4))
""")
CHANGED_WAYS = (
    KEPT.replace("model = ", 'torch.set_default_tensor_type("torch.cuda.FloatTensor")\nmodel = '),
    KEPT.replace("model = ", 'torch.set_default_device("cuda")\nmodel = '),
    KEPT.replace("out = model(torch.randn(8, 4))", 'with torch.device("cuda"):\n    out = model(torch.randn(8, 4))'),
)


def _tl107(text: str) -> list[int]:
    return [f.span.start.line for f in analyze(text, "t.py", Config(select=("TL107",))).findings]


def test_each_file_read_for_itself():
    kept = _tl107(KEPT)
    assert kept == [6]  # a CPU tensor given to a model on the GPU
    for changed in CHANGED_WAYS:
        for _ in range(2):  # alternately, and the same text twice in a row
            assert _tl107(changed) == []
            assert _tl107(changed) == []
            assert _tl107(KEPT) == kept
            assert _tl107(KEPT) == kept


def test_equal_texts_that_are_different_strings():
    # a text made again (another string of the same characters) reads the same
    assert _tl107("".join(list(KEPT))) == [6]
    assert _tl107("".join(list(CHANGED_WAYS[0]))) == []
    assert _tl107("".join(list(KEPT))) == [6]
