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
