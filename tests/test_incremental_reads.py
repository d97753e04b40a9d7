"""Module rules whose per-chunk results are kept with each tree together with what they read of
the rest of the file (`rules/_trees.per_chunk_reading`): an edit elsewhere that changes what
they read makes them judge the unchanged chunk again, and an edit that does not leaves its
result as it was; either way they find what a whole-file analysis finds."""
from __future__ import annotations

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.incremental import IncrementalAnalysis
from tensorlint.rules import _trees
from tensorlint.rules import tl224_module_call_arity as tl224
from tensorlint.tolerant import analyze_around_errors

CONFIG = Config(select=("ALL",))
FILLER = "".join(f"setting_{i} = {i}\n" for i in range(20))

NET = ("import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
       "        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return self.fc(x)\n\n")
CALLER = "net = Net()\n\ndef step(x, mask):\n    return net(x, mask)\n"


def _key(result):
    return sorted((f.code, f.span.start.line, f.span.start.column, f.message) for f in result.findings)


def _codes(result):
    return [f.code for f in result.findings]


@pytest.mark.parametrize("edit, found", [
    # the forward of another chunk now takes the call's arguments, then again does not
    (lambda t: t.replace("def forward(self, x):", "def forward(self, x, mask):"), False),
    (lambda t: t, True),
    # the module name bound again to something else in a chunk of its own
    (lambda t: t + "net = nn.Identity()\n", False),
    (lambda t: t, True),
    # a function that rebinds the name through `global` (read from the whole text)
    (lambda t: t + "def reset():\n    global net\n    net = None\n", False),
    (lambda t: t, True),
    # lines added above move every chunk; the message's line moves with them
    (lambda t: "import os\n" + t, True),
])
def test_a_call_judged_again_when_what_it_reads_elsewhere_changes(edit, found):
    inc = IncrementalAnalysis()
    base = NET + FILLER + CALLER
    assert "TL224" in _codes(inc.analyze(base, "m.py", CONFIG))
    text = edit(base)
    got = inc.analyze(text, "m.py", CONFIG)
    assert _key(got) == _key(analyze(text, "m.py", CONFIG))
    assert ("TL224" in _codes(got)) is found


def test_an_edit_that_reads_nothing_new_judges_only_its_chunk(monkeypatch):
    inc = IncrementalAnalysis()
    base = NET + FILLER + CALLER
    inc.analyze(base, "m.py", CONFIG)
    judged = []
    real = tl224._misfits

    def counting(ctx, i, read):
        judged.append(ctx.chunks[i].text)
        return real(ctx, i, read)

    monkeypatch.setattr(tl224, "_misfits", counting)
    text = base.replace("setting_3 = 3\n", "setting_3 = 30\n")
    got = inc.analyze(text, "m.py", CONFIG)
    assert judged == ["setting_3 = 30\n"]
    assert _key(got) == _key(analyze(text, "m.py", CONFIG))
    assert "TL224" in _codes(got)


class _Chunk:
    def __init__(self, text):
        self.text, self.memo = text, {}


class _Ctx:
    def __init__(self, chunks, facts):
        self.chunks, self.facts = chunks, facts


def _fact(ctx, name):
    return ctx.facts[name]


def test_per_chunk_reading_serves_a_result_while_its_reads_give_the_same():
    chunks = [_Chunk("a"), _Chunk("b"), _Chunk("c")]
    computed = []

    def compute(ctx):
        def one(i, read):
            computed.append(i)
            text = ctx.chunks[i].text
            return (text, read(_fact, "shared") if text != "c" else None)
        return one

    ctx = _Ctx(chunks, {"shared": 1})
    assert _trees.per_chunk_reading(ctx, ("test reads",), compute(ctx)) == [("a", 1), ("b", 1), ("c", None)]
    assert computed == [0, 1, 2]
    computed.clear()
    again = _Ctx(list(chunks), {"shared": 1})  # a later run, nothing changed
    assert _trees.per_chunk_reading(again, ("test reads",), compute(again)) == [("a", 1), ("b", 1), ("c", None)]
    assert computed == []
    changed = _Ctx([chunks[0], _Chunk("d"), chunks[1], chunks[2]], {"shared": 2})  # a new chunk, the fact changed
    got = _trees.per_chunk_reading(changed, ("test reads",), compute(changed))
    assert got == [("a", 2), ("d", 2), ("b", 2), ("c", None)]
    assert computed == [0, 1, 2]  # chunk "c" read nothing of the rest: kept


def test_a_count_over_the_text_sees_the_statements_that_do_not_parse():
    """TL414 counts a layer output's mentions in the text: in a file with a syntax error (the
    statements that parse analyzed without the broken one), the broken statement's mention
    counts too, as in the file's whole text."""
    base = ("from tensorflow import keras\nfrom tensorflow.keras import layers\n\ninputs = keras.Input(shape=(8,))\n"
            "h = layers.Dense(16)(inputs)\nskipped = layers.Dense(4)(h)\nout = layers.Dense(1)(h)\n"
            "model = keras.Model(inputs, out)\n")
    assert "TL414" in _codes(analyze(base, "m.py", CONFIG))
    for broken, found in (("print(skipped +)\n", False), ("print(other +)\n", True)):
        text = base + broken
        errors = [f for f in analyze(text, "m.py", CONFIG).findings if f.code == "TL001"]
        assert ("TL414" in _codes(analyze_around_errors(text, "m.py", CONFIG, errors))) is found
