"""What rules gather from every chunk (`rules/_trees.per_chunk`) is kept by the document from
edit to edit: an edit computes the chunks it changed or inserted, copies the rest of the last
run's list, and the list is the one a gather of every chunk makes; the findings are a whole-file
analysis's."""
from __future__ import annotations

import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.incremental import IncrementalAnalysis, IncrementalParser
from tensorlint.rules import _trees

CONFIG = Config(select=("ALL",))
FILLER = "".join(f"setting_{i} = {i}\n" for i in range(30))
BASE = ("import argparse\nimport torch\nparser = argparse.ArgumentParser()\nparser.add_argument('--seed', type=int)\n"
        "args = parser.parse_args()\n" + FILLER + "torch.manual_seed(args.seed)\nnp_seed = seed\n" + FILLER)
EDITS = [
    lambda t: "import os\n" + t,  # a statement before all others: every chunk moves
    lambda t: t.replace("setting_3 = 3\n", ""),  # a statement taken away
    lambda t: t.replace("setting_7 = 7\n", "setting_7 = 8\n"),  # one changed in place
    lambda t: t + "seed_2 = 2\n",  # one added at the end
    lambda t: t.replace("setting_2 = 2\nsetting_3 = 3\n", "setting_2 = 3\nsetting_3 = 4\nsetting_x = 5\n", 1),
    lambda t: t.replace(FILLER, "", 1),  # many taken away
]


def _key(result):
    return sorted((f.code, f.span.start.line, f.span.start.column, f.message) for f in result.findings)


class _Run:
    """What a rule sees of one run: its chunks, and the document's kept lists."""

    def __init__(self, chunks, kept):
        self.chunks, self.kept_lists = chunks, kept


def _names(module):
    return [type(s).__name__ + str(len(s.body) if hasattr(s, "body") else "") for s in module.body] + [id(module)]


def test_the_kept_list_is_the_gather_of_every_chunk_after_each_edit():
    parser, kept = IncrementalParser(), {}
    text = BASE
    computed = []

    def compute(module):
        computed.append(module)
        return _names(module)

    first = _trees.per_chunk(_Run(parser.parse(text), kept), ("test names",), compute)
    assert len(computed) == len(first)
    for edit in EDITS:
        text = edit(text)
        chunks = parser.parse(text)
        computed.clear()
        got = _trees.per_chunk(_Run(chunks, kept), ("test names",), compute)
        assert got == [_names(c.module) for c in chunks]
        assert len(computed) <= 3  # the chunks the edit brought


@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_finds_what_a_whole_file_analysis_finds(edit):
    inc = IncrementalAnalysis()
    assert "TL003" in [f.code for f in inc.analyze(BASE, "t.py", CONFIG).findings]
    text = edit(BASE)
    assert _key(inc.analyze(text, "t.py", CONFIG)) == _key(analyze(text, "t.py", CONFIG))
    again = text.replace("setting_20 = 20\n", "setting_20 = 21\n", 1)
    assert _key(inc.analyze(again, "t.py", CONFIG)) == _key(analyze(again, "t.py", CONFIG))


def _bound_names(module):
    """name -> the top-level statements binding it (a dict per chunk, as `gathered` reads)."""
    out: dict = {}
    for stmt in module.body:
        for small in getattr(stmt, "body", ()):
            for target in getattr(small, "targets", ()):
                name = getattr(target.target, "value", None)
                if isinstance(name, str):
                    out.setdefault(name, []).append(stmt)
    return out


def test_a_gathered_name_is_the_gather_of_every_chunk_after_each_edit():
    text = BASE.replace("setting_5 = 5\n", "seed = 1\n", 1) + "seed = 2\n"
    parser, kept = IncrementalParser(), {}
    _trees.gathered(_Run(parser.parse(text), kept), ("test bound",), _bound_names, "seed")
    for edit in [*EDITS, lambda t: t.replace("setting_9 = 9\n", "seed = 9\n"), lambda t: t.replace("seed = 2\n", "")]:
        text = edit(text)
        chunks = parser.parse(text)
        got = _trees.gathered(_Run(chunks, kept), ("test bound",), _bound_names, "seed")
        whole = [s for c in chunks for s in _bound_names(c.module).get("seed", ())]
        assert [id(s) for s in got] == [id(s) for s in whole]
        assert len(got) == text.count("\nseed = ")


CALLS = ("import torch\nimport torch as T\nfrom torch import sum as add\nimport numpy as np\n" + FILLER
         + "a = T.sum(x)\nb = add(x)\nc = x.sum()\nd = sum(xs)\ne = np.mean(x)\n" + FILLER + "f = torch.sum(y, 1)\n")


def _named(text, parser, kept):
    """The calls `calls_named` gives for `sum` after an analysis of `text` (the names it reads
    are the module's), as their source."""
    import libcst as cst

    from tensorlint.engine import enabled_rules
    from tensorlint.interp import Interpreter

    chunks = parser.parse(text)
    interp = Interpreter(chunks, text, "t.py", CONFIG, enabled_rules(Config(select=("TL001",)), "t.py"), False)
    interp.kept_lists = kept
    interp.run()
    return [cst.Module([]).code_for_node(c) for c in _trees.calls_named(interp, ("sum",))]


@pytest.mark.parametrize("edit", [
    lambda t: t.replace("setting_4 = 4\n", "g = T.sum(z)\n"),  # a call added among the others
    lambda t: t.replace("import torch as T\n", "import numpy as T\n"),  # the alias now names another module
    lambda t: t.replace("from torch import sum as add\n", "from torch import mean as add\n"),  # another function
    lambda t: t.replace("import torch as T\n", ""),  # the alias gone: `T.sum` is the last name written
    lambda t: t.replace("b = add(x)\n", "add = print\nb = add(x)\n"),  # the alias bound to something else
])
def test_calls_named_after_an_edit_are_a_whole_file_runs(edit):
    parser, kept = IncrementalParser(), {}
    assert _named(CALLS, parser, kept) == ["T.sum(x)", "add(x)", "x.sum()", "sum(xs)", "torch.sum(y, 1)"]
    text = edit(CALLS)
    assert _named(text, parser, kept) == _named(text, IncrementalParser(), {})
    again = text.replace("setting_20 = 20\n", "setting_20 = 21\n", 1)
    assert _named(again, parser, kept) == _named(again, IncrementalParser(), {})
