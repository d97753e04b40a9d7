"""Incremental parsing: chunk boundaries, the parse cache, and equivalence with a whole parse."""
from __future__ import annotations

from pathlib import Path

import libcst
import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.incremental import IncrementalParser, logical_line_count, split

TRICKY = '''\
"""Module docstring.
def not_a_function():
"""
import torch  # comment with a quote ' and a bracket (
# a comment at column 0 before a decorator

@decorator(
    arg=1,
)
@other
def f(x):
    s = """
class NotAClass:
    pass
"""
# a comment at column 0 inside the body
    return x
x = [
1, 2,
]
y = 1 + \\
2
if x:
    pass
elif y:
    pass
else:
    pass
try:
    pass
except ValueError:
    pass
finally:
    pass
class C:
    z = ("a"
"b")
t = 'it\\'s'; u = 2
'''



def starts(text: str) -> list[int]:
    return [p.line_offset for p in split(text)]


def test_split_at_top_level_statements_only():
    assert starts(TRICKY) == [0, 3, 6, 17, 20, 22, 28, 34, 37]
    # the docstring with `def` inside; the import; the decorators with their function; `x = [...]`;
    # `y = 1 + \\`; if/elif/else; try/except/finally; the class; the last line


def test_chunks_join_back_and_parse_like_the_whole():
    parser = IncrementalParser()
    chunks = parser.parse(TRICKY)
    assert "".join(c.text for c in chunks) == TRICKY
    assert [c.line_offset for c in chunks] == starts(TRICKY)
    assert "".join(c.module.code for c in chunks) == libcst.parse_module(TRICKY).code


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "x = 1", "x = 1\r\ny = 2\r\n"])
def test_degenerate_documents(text):
    chunks = IncrementalParser().parse(text)
    assert chunks is not None
    assert "".join(c.text for c in chunks) == text


def test_crlf_line_offsets():
    assert starts("x = 1\r\ndef f():\r\n    pass\r\ny = 2\r\n") == [0, 1, 3]


@pytest.mark.parametrize(
    "broken",
    [
        "x = (\n",  # unclosed bracket
        'x = """never closed\ndef f():\n    pass\n',
        "def f():\n    return 1\nelse:\n    pass\n",  # a clause without its statement
        "def f(:\n    pass\nx = 1\n",
    ],
)
def test_any_bad_chunk_makes_the_document_unparsable(broken):
    assert IncrementalParser().parse(broken) is None


def test_an_edit_inside_one_function_reparses_only_that_function():
    functions = "".join(f"def f{i}(x):\n    y = x + {i}\n    return y\n\n\n" for i in range(50))
    parser = IncrementalParser()
    first = parser.parse("import torch\n\n" + functions)
    assert parser.parsed == len(first) == 51
    edited = functions.replace("y = x + 7\n", "y = x * 7\n    y = y - 1\n")
    second = parser.parse("import torch\n\n" + edited)
    assert parser.parsed == 52  # one more parse: f7
    assert sum(a.module is not b.module for a, b in zip(first, second)) == 1
    assert second[9].line_offset == first[9].line_offset + 1  # later chunks moved down one line


@pytest.mark.parametrize("history", [None, 4])
def test_a_document_with_more_chunks_than_the_cache_holds_still_reparses_one(history):
    """The trees of the current document are all kept, however many there are: with a cache
    of 16, a 300-statement document re-parses only the edited statement."""
    statements = "".join(f"v{i} = {i}\n" for i in range(300))
    parser = IncrementalParser(max_entries=16, history=history)
    assert len(parser.parse("import torch\n" + statements)) == 301
    for n in range(3):
        before = parser.parsed
        parser.parse("import torch\n" + statements.replace("v150 = 150\n", f"v150 = {n}\n"))
        assert parser.parsed == before + 1
    # the older versions of the edited statement beyond the history are forgotten
    assert len(parser._cache) <= 301 + (history if history is not None else 16)


def test_logical_line_count():
    assert logical_line_count("x = f(\n  1,\n)\ny = 2\n") == 3
    assert logical_line_count("x = 1 + \\\n 2\n") == 2
    assert logical_line_count('x = """a\nb"""\n') == 2
    assert logical_line_count("x = 1  # (\n") == 1


LIBRARY = sorted(Path(libcst.__file__).parent.glob("_*.py"))


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.name)
def test_real_modules_split_into_parsable_chunks(path):
    text = path.read_text(encoding="utf-8")
    chunks = IncrementalParser().parse(text)
    assert chunks is not None
    assert "".join(c.text for c in chunks) == text


EXAMPLES = sorted((Path(__file__).parent / "fixtures").glob("*.py")) + sorted(
    (Path(__file__).parents[1] / "corpus").glob("*.py")
)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_engine_gives_the_same_answer_from_chunks(path):
    text = path.read_text(encoding="utf-8")
    chunks = IncrementalParser().parse(text)
    whole = analyze(text, str(path), Config(), collect_values=True)
    if chunks is None:
        assert whole.syntax_error
        return
    parts = analyze(text, str(path), Config(), chunks=chunks, collect_values=True)
    assert [(f.code, f.span, f.message) for f in parts.findings] == [(f.code, f.span, f.message) for f in whole.findings]
    assert sorted((v.span, v.text) for v in parts.values) == sorted((v.span, v.text) for v in whole.values)
