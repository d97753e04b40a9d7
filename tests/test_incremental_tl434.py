"""TL434 across edits: the module's top level is one scope whichever chunks its statements
fall in, and what TL434 reads of a chunk (its bindings, backward() calls, places) is kept with
the chunk's tree. An edit elsewhere reads the edited chunk alone and finds what a whole-file
analysis finds: the freed graph reported where it was, or nothing for the look-alikes."""
from __future__ import annotations

import importlib

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.incremental import IncrementalAnalysis

CONFIG = Config(select=("ALL",))
HEAD = "import torch\nimport torch.nn as nn\n\nG, D = nn.Linear(4, 8), nn.Linear(8, 1)\nbce = nn.BCEWithLogitsLoss()\n"
FILLER = "".join(f"setting_{i} = {i}\n" for i in range(20))

PROGRAMS = {
    # each statement a chunk of its own: the graph of `fake` made in one, freed in another
    "top level": (HEAD + "z = torch.randn(16, 4)\nfake = G(z)\nd_loss = bce(D(fake), torch.zeros(16, 1))\n"
                  "d_loss.backward()\ng_loss = bce(D(fake), torch.ones(16, 1))\ng_loss.backward()\n", True),
    # through a name bound to a reshaped output, and the loss kept in a list
    "reshaped": (HEAD + "fake = G(torch.randn(16, 4))\nflat = fake.view(16, -1)\nlosses = [D(flat).mean()]\n"
                 "losses[0].backward()\nagain = D(flat).mean()\nagain.backward()\n", True),
    "in a function": (HEAD + "def step(z):\n    fake = G(z)\n    D(fake).mean().backward()\n"
                      "    (-D(fake).mean()).backward()\n\nstep(torch.randn(16, 4))\n", True),
    # look-alikes: detached in the first loss, kept by retain_graph, recomputed before the second
    "detached": (HEAD + "fake = G(torch.randn(16, 4))\nD(fake.detach()).mean().backward()\n"
                 "D(fake).mean().backward()\n", False),
    "retained": (HEAD + "fake = G(torch.randn(16, 4))\nD(fake).mean().backward(retain_graph=True)\n"
                 "D(fake).mean().backward()\n", False),
    "recomputed": (HEAD + "z = torch.randn(16, 4)\nfake = G(z)\nD(fake).mean().backward()\nfake = G(z)\n"
                   "D(fake).mean().backward()\n", False),
}


def _key(result):
    return sorted((f.code, f.span.start.line, f.span.start.column, f.message) for f in result.findings)


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_an_edit_elsewhere_reads_only_the_edited_chunk(monkeypatch, name, where):
    program, flagged = PROGRAMS[name]
    before = FILLER + program if where == "before" else program + FILLER
    after = before.replace("setting_7 = 7\n", "setting_7 = 700\nsetting_extra = 1\n")
    inc = IncrementalAnalysis()
    first = inc.analyze(before, "m.py", CONFIG)
    assert _key(first) == _key(analyze(before, "m.py", CONFIG))
    assert ("TL434" in [f.code for f in first.findings]) == flagged
    old = {id(m) for m in inc.prev.modules}

    scopes = importlib.import_module("tensorlint.rules._freed_graph_scope")  # (TL434's scopes read their bindings there)
    read = []
    real = scopes.bindings

    def counting(ctx, scope):
        read.append(scope)
        return real(ctx, scope)

    monkeypatch.setattr(scopes, "bindings", counting)
    got = inc.analyze(after, "m.py", CONFIG)
    monkeypatch.undo()
    assert _key(got) == _key(analyze(after, "m.py", CONFIG))
    assert ("TL434" in [f.code for f in got.findings]) == flagged
    if flagged:  # the finding moved with its line
        line = next(f.span.start.line for f in first.findings if f.code == "TL434")
        moved = line + (1 if where == "before" else 0)
        assert [f.span.start.line for f in got.findings if f.code == "TL434"] == [moved]
    new = {id(m) for m in inc.prev.modules if id(m) not in old}
    assert all(id(s) in new for s in read), "TL434 read the bindings of chunks the edit did not change"
