"""The parent links a document keeps across edits are those of its current trees: a rule that
asks for a node's parent after an edit gets what a fresh analysis of the text would give."""
from __future__ import annotations

from tensorlint.config import Config
from tensorlint.cstwalk import parent_links
from tensorlint.incremental import IncrementalAnalysis

PROGRAM = (
    "import torch\nimport torch.nn as nn\n\n"
    "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 2)\n\n"
    "    def forward(self, x):\n        return self.fc(x)\n\n"
    "net = Net()\nsetting = 1\n\ndef step(x):\n    return net(x)\n"
)


def _links_of(inc):
    kept = inc._parent_links
    assert kept is not None
    return kept.parent


def _fresh(inc):
    out = {}
    for m in inc.prev.modules:
        out.update(parent_links(m))
    return out


def test_links_follow_edits_that_add_change_and_remove_statements():
    inc = IncrementalAnalysis()
    config = Config(select=("ALL",))
    texts = [
        PROGRAM,
        PROGRAM.replace("setting = 1\n", "setting = 2\nextra = [1, 2]\n"),  # a statement changed, one added
        PROGRAM.replace("setting = 1\n", ""),  # both taken away
        PROGRAM.replace("        return self.fc(x)\n", "        y = self.fc(x)\n        return y\n"),  # a class edited
    ]
    for text in texts:
        inc.analyze(text, "m.py", config)
        links = _links_of(inc)
        fresh = _fresh(inc)
        assert links.keys() == fresh.keys()
        assert all(links[node] is up for node, up in fresh.items())
