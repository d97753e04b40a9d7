"""A rule is left out of a file whose text lacks all its trigger words. The words that are calls
are looked up among the text's calls (tensorlint.triggers): the answer must be that of a search
of the whole text, for every rule's words and any text."""
from hypothesis import given, settings, strategies as st

from tensorlint import engine
from tensorlint.config import Config
from tensorlint.rule import all_rules
from tensorlint.rule_index import RULES
from tensorlint.triggers import Calls, needles

WORDS = [words for *_, words in RULES if words]

TEXTS = [
    "x = model.to(device)\n",
    "x = model.to (device)\n",           # a space: no `.to(`
    "x = model.total(device)\n",         # `.to` only begins the name
    "x = bitmap(y)\n",                   # `map(` inside a longer name
    "x = y.bitmap(z)\n",
    "x = map\n(y)\n",
    "x = a.b.c.backward()\n",
    "x = a..backward(1)\n",
    "x = f((a).to(b))\n",
    "x = é.to(1) + ñmap(2)\n",           # names of letters outside ASCII
    "x = to(1)\n",                       # a call of `to`, not a method
    "s = '.to(' + \"zip(\"\n",            # the words inside strings still count, as in the text
    "# model.to(device)\n",
    ".to(",
    "(",
    "",
    "for a, b in zip(x, y): pass\nparameters()\n",
]


def _naive(text):
    return [any(w in text for w in words) for words in WORDS]


def _fast(text):
    holds_any = Calls(text).holds_any
    return [holds_any(*needles(words)) for words in WORDS]


def test_calls_answer_as_a_search_of_the_text_does():
    examples = [t for rule in all_rules() for t in (*rule.failing, *rule.passing, *rule.lookalikes)]
    for text in TEXTS + examples:
        assert _fast(text) == _naive(text), text


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab.(_ \n)é1-", max_size=40))
def test_any_text_of_calls_names_and_dots(text):
    words = [("a(",), (".a(",), ("ab(",), (".ba(",), ("_(",), (".1(",), ("é(",), ("a()",), ("-1)",)]
    for w in words:
        assert Calls(text).holds_any(*needles(w)) == any(x in text for x in w), (text, w)


def test_only_the_rules_whose_words_a_file_holds_are_run():
    def codes(text):
        return {r.code for r in engine.enabled_rules(Config(select=("ALL",)), "t.py", text).rules}

    text = "import torch\nx = torch.zeros(3)\n"
    assert not {"TL009", "TL317"} & codes(text)  # no tensor conversion, no iterator made
    # `map(` inside a longer name counts, as it does in a search of the text
    assert {"TL009", "TL317"} <= codes(text + "y = x.bitmap(2).to(1)\n")


def test_rules_read_the_calls_the_rule_selection_gathered_or_gather_them():
    """A rule that looks for names called (TL222's API functions) reads the calls the rule
    selection gathered for the text; a rule set chosen without the text (as the language server
    chooses one) leaves the rule to gather them: the same findings either way."""
    from tensorlint.engine import parse_chunks
    from tensorlint.interp import run

    config = Config(select=("ALL",))
    texts = [
        "import torch\n\nx = torch.randn(3, 4)\nvalues, indices, extra = torch.max(x, dim=1)\n",
        "import numpy as np\nimport torch\n\nu, s = np.linalg.svd(np.eye(3))\n",
        "import torch\n\nx = torch.randn(3, 4)\nvalues, indices = torch.max(x, dim=1)\n",  # the right count
        "import torch\n\nx = torch.randn(3, 4)\nv, i, e = torch.max (x, dim=1)\n",  # a space before the bracket
    ]
    for text in texts:
        chosen = engine.enabled_rules(config, "t.py", text)
        assert chosen.text_calls is not None and chosen.text_calls.text is text
        with_selection = {(f.code, f.span.start.line) for f in engine.analyze(text, "t.py", config).findings}
        bare = engine.enabled_rules(config, "t.py")
        assert bare.text_calls is None
        findings, _, _ = run(parse_chunks(text), text, "t.py", config, bare)
        assert {(f.code, f.span.start.line) for f in findings} == with_selection, text
    flagged = {(f.code, f.span.start.line) for f in engine.analyze(texts[0], "t.py", config).findings}
    assert ("TL222", 4) in flagged
    assert ("TL222", 4) in {(f.code, f.span.start.line) for f in engine.analyze(texts[1], "t.py", config).findings}
