"""The parse that skips libcst's parser-guaranteed node checks gives the same trees and refuses
the same texts as libcst's own parse."""
import libcst as cst
import pytest

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.cstparse import parse_module

PROGRAMS = [
    "import torch\nx = torch.randn(2, 3)  # a comment\n",
    "import torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
    "        self.fc = nn.Linear(4, 2)\n\n    def forward(self, x):\n        return (self.fc(x) \\\n"
    "                + 1)\n",
    "import tensorflow as tf\nf = lambda a, *b, c=1, **d: [a async for a in b] if c else {**d}\n",
    "x = f'{a!r:>{w}}' 'b', rb'\\x00'[0] if (y := 3) else ...\n",
    # every kind of statement and most expressions: each node type the parse builds is compared
    "import torch, os.path as osp\nfrom . import a as b\nfrom x import (y,\n    z)\n\n\n@dec(1)\n@other\n"
    "async def f(a, /, b: int = 2, *args, c, d=3, **kw) -> None:\n    global g\n    async with m() as (p, q), n:\n"
    "        async for i in r:\n            await s\n    def h():\n        nonlocal a\n        yield from t\n"
    "    try:\n        del a[1:2:3], b.c\n    except (E, F) as e:\n        raise G from e\n    else:\n        pass\n"
    "    finally:\n        return\n\n\nclass K(B, metaclass=M):\n    x: int = 1; y += 2; z @= w\n"
    "    while not (a is not b) and c in d or e not in f:\n        break\n    else:\n        continue\n"
    "match v:\n    case [1, *rest] | {'k': _, **kw} if rest:\n        pass\n    case Point(x=0, y=-1.5j) as p:\n"
    "        assert p, 'msg'\n    case None | True | 'a' 'b':\n        pass\nw = {**a, 'b': [*c, (d, e)], f: {g for g in h if g}}\n"
    "u = (lambda: -x ** ~y // 2 % 3 << 4 >> 5 & 6 | 7 ^ 8)() @ z[..., None, ::2]\n"
    "v = [i for i in range(10) if i % 2 for j in k]; t = (x for x in y); q = {k: v for k, v in d.items()}\n"
    "try:\n    pass\nexcept* ValueError:\n    pass\n",
]


@pytest.fixture(autouse=True, params=["own inits", "fast inits"])
def node_inits(request, monkeypatch):
    """Every test twice: with the node types' own `__init__`s (a process that has parsed little)
    and with the fast ones (built before the first parse here)."""
    import tensorlint.cstparse as cstparse

    fast = request.param == "fast inits"
    monkeypatch.setattr(cstparse, "FAST_INITS_AFTER", 0 if fast else 10 ** 12)
    monkeypatch.setitem(cstparse._state, "inits", None)
    return request.param


def test_the_fast_inits_are_built_once_the_process_has_parsed_enough_text(monkeypatch, node_inits):
    import tensorlint.cstparse as cstparse

    if node_inits == "fast inits":
        pytest.skip("the threshold itself is what this test sets")
    monkeypatch.setattr(cstparse, "FAST_INITS_AFTER", 2 * len(PROGRAMS[-1]))
    monkeypatch.setitem(cstparse._state, "parsed", 0)
    mine = cst.Name.__init__
    parse_module(PROGRAMS[-1])
    assert cstparse._state["inits"] is None  # half the threshold: libcst's own __init__s built it
    parse_module(PROGRAMS[-1])
    inits = cstparse._state["inits"]
    assert inits and cst.Name in [cls for cls, _, _ in inits]
    assert cst.Name.__init__ is mine  # each parse gives the types their own back
    assert parse_module(PROGRAMS[-1]).deep_equals(cst.parse_module(PROGRAMS[-1]))
    assert cstparse._state["inits"] is inits  # built once


def test_a_process_that_will_parse_much_builds_the_fast_inits_before_its_first_parse(monkeypatch):
    import tensorlint.cstparse as cstparse

    monkeypatch.setitem(cstparse._state, "parsed", 0)
    cstparse.prepare_for_many()
    inits = cstparse._state["inits"]
    assert inits and cst.Name in [cls for cls, _, _ in inits]
    assert parse_module(PROGRAMS[-1]).deep_equals(cst.parse_module(PROGRAMS[-1]))
    assert cstparse._state["inits"] is inits


@pytest.mark.parametrize("text", PROGRAMS)
def test_same_tree_and_same_text_as_libcst(text):
    ours, theirs = parse_module(text), cst.parse_module(text)
    assert ours.deep_equals(theirs)
    assert ours.code == text


@pytest.mark.parametrize("text", ["import torch\nx = u'a' b'b'\n", "import torch\nf(a=1, b)\n",
                                  "import torch\ndef f(a=1, b): pass\n"])
def test_texts_libcst_refuses_stay_refused(text):
    with pytest.raises(Exception):
        parse_module(text)
    assert [f.code for f in analyze(text, "t.py", Config()).findings] == ["TL001"]


def test_nodes_built_outside_the_parse_still_check_themselves():
    parse_module("import torch\nx = 1\n")
    with pytest.raises(cst.CSTValidationError):
        cst.SimpleWhitespace("not whitespace")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")


def test_a_name_built_outside_the_parse_still_checks_its_brackets():
    parse_module("import torch\nx = (y)\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("x", lpar=[cst.LeftParen()])


def test_parenthesized_names_and_numbers_parse_as_libcst_parses_them():
    text = "import torch\nx = ((y)) + (z) - (1) * (2.5) / (3j) + 0x_1f + 1_0.0e-3\nf((a), b=(c))\n"
    assert parse_module(text).deep_equals(cst.parse_module(text))


def test_the_node_types_build_as_their_own_init_builds_them_again_after_a_parse():
    parse_module(PROGRAMS[-1])
    name = cst.Name("x")
    assert (name.value, name.lpar, name.rpar) == ("x", (), ())
    module = cst.Module(body=[])
    assert module.header == () and module.footer == () and module.encoding == "utf-8"
    with pytest.raises(cst.CSTValidationError):
        cst.Integer("1x")
    with pytest.raises(Exception):
        name.value = "y"  # nodes stay frozen


def _unchecked(cls, **fields):
    """A node of `cls` with `fields` and the rest at their defaults, built without its checks
    (to hand both checks the same node, valid or not)."""
    import dataclasses

    node = object.__new__(cls)
    for f in dataclasses.fields(cls):
        if f.name in fields:
            value = fields[f.name]
        elif f.default is not dataclasses.MISSING:
            value = f.default
        else:
            value = f.default_factory()
        object.__setattr__(node, f.name, value)
    return node


def _outcome(check, node):
    try:
        check(node)
    except cst.CSTValidationError as err:
        return str(err)
    return None


def _argument_nodes():
    import itertools

    kinds = {"pos": dict(value=cst.Name("a")), "kw": dict(value=cst.Name("a"), keyword=cst.Name("k"), equal=cst.AssignEqual()),
             "*": dict(value=cst.Name("a"), star="*"), "**": dict(value=cst.Name("a"), star="**")}
    for n in range(4):
        for seq in itertools.product(kinds, repeat=n):
            yield cst.Call, _unchecked(cst.Call, func=cst.Name("f"), args=[_unchecked(cst.Arg, **kinds[k]) for k in seq])
    for keyword, equal, star in itertools.product((None, cst.Name("k")), (cst.AssignEqual(), cst.MaybeSentinel.DEFAULT),
                                                  ("", "*", "**", "***")):
        yield cst.Arg, _unchecked(cst.Arg, value=cst.Name("a"), keyword=keyword, equal=equal, star=star)
    for default, equal, star in itertools.product((None, cst.Integer("1")), (cst.AssignEqual(), cst.MaybeSentinel.DEFAULT),
                                                  ("", "*", "**", "x", cst.MaybeSentinel.DEFAULT)):
        yield cst.Param, _unchecked(cst.Param, name=cst.Name("p"), default=default, equal=equal, star=star)
    plain, given = _unchecked(cst.Param, name=cst.Name("p")), _unchecked(cst.Param, name=cst.Name("q"), default=cst.Integer("1"))
    starred = _unchecked(cst.Param, name=cst.Name("s"), star="*")
    for fields in (dict(params=[plain, given]), dict(params=[given, plain]), dict(posonly_params=[given], params=[plain]),
                   dict(posonly_ind=cst.ParamSlash()), dict(posonly_params=[plain], posonly_ind=cst.ParamSlash()),
                   dict(star_arg=cst.ParamStar()), dict(star_arg=cst.ParamStar(), kwonly_params=[plain]),
                   dict(star_arg=given), dict(star_kwarg=given), dict(params=[starred]), dict(posonly_params=[starred]),
                   dict(kwonly_params=[starred]), dict(star_arg=plain), dict(star_kwarg=starred),
                   dict(star_arg=_unchecked(cst.Param, name=cst.Name("a"), star="*"),
                        star_kwarg=_unchecked(cst.Param, name=cst.Name("k"), star="**"))):
        yield cst.Parameters, _unchecked(cst.Parameters, **fields)
    for value in ('"a"', "'a'", 'b"x"', 'R"x"', 'Rb"x"', 'ur"x"', 'f"x"', '"""a"""', "'''a''", '"""a""\'', '""',
                  '"', "x", "", "\"a'", 'rb""""""', "u''"):
        yield cst.SimpleString, _unchecked(cst.SimpleString, value=value)


def test_the_lighter_checks_raise_where_libcsts_raise_with_its_message():
    from tensorlint.cstparse import _lighter_checks

    checks = _lighter_checks()
    seen = set()
    for cls, node in _argument_nodes():
        seen.add(cls.__name__)
        assert _outcome(checks[cls.__name__], node) == _outcome(cls._validate, node), (cls.__name__, node)
    assert seen == {"Call", "Arg", "Param", "Parameters", "SimpleString"}


def test_spaces_and_line_ends_are_one_node_per_value_and_every_other_node_keeps_its_place():
    from tensorlint.cstparse import SHARED_PUNCTUATION
    from tensorlint.cstwalk import children, positions

    text = (PROGRAMS[1] + PROGRAMS[4] + "x = [1, 2,  3]  # spaced\ny = x[0] +  x[1]\n\n\n"
            "z = f(a, b ,c)  # spaced\nd = {1: 2, 3 :4}\nw = g(k=1, j = 2, m=(3))\n# alone\n    \n"
            "v = h(\n    a,\n    b,  # kept\n)\nu = t.a . b[1:2]\nfrom m import (a,\n    b)\nfrom n import (c)\n")
    ours, theirs = parse_module(text), cst.parse_module(text)
    assert ours.code == text and ours.deep_equals(theirs)
    spaces: dict = {}
    punctuation: dict = {}
    kinds = {getattr(cst, name) for name in SHARED_PUNCTUATION}
    ours_at, theirs_at = positions(ours), positions(theirs)
    placed = 0
    left, right = [ours], [theirs]
    while left:
        a, b = left.pop(), right.pop()
        assert type(a) is type(b)
        if type(a) in (cst.SimpleWhitespace, cst.Newline):
            assert spaces.setdefault((type(a), a.value), a) is a  # the same node for the same text
        elif type(a) in kinds:
            # the same node for the same fields: the same spaces and line end (one node per
            # value), the same comment node (one per place: a comment is never shared)
            fields = tuple((f, getattr(a, f)) for f in SHARED_PUNCTUATION[type(a).__name__])
            assert punctuation.setdefault((type(a), tuple((f, id(v)) for f, v in fields)), a) is a
            assert a.deep_equals(b)
        else:
            assert ours_at[a] == theirs_at[b]
            placed += 1
        left.extend(children(a))
        right.extend(children(b))
    assert placed > 200 and len(spaces) < 12
    shared = {kind.__name__ for kind, _ in punctuation}
    assert {"Comma", "Dot", "Colon", "AssignEqual", "LeftSquareBracket",
            "RightSquareBracket", "LeftCurlyBrace", "RightCurlyBrace", "TrailingWhitespace", "EmptyLine",
            "ParenthesizedWhitespace"} <= shared
    # fewer nodes than places: `, ` is one node however many times the text writes it
    commas = [n for n in _all_nodes(ours) if type(n) is cst.Comma]
    assert len({id(n) for n in commas}) < len(commas)


def test_line_breaks_inside_brackets_are_one_node_per_layout_and_keep_their_comments():
    text = ("import torch\nx = f(\n    a,\n    b,\n)\ny = g(\n    a,  # one\n\n    # two\n    b,\n        c)\n"
            "z = [\n    1,\n    2,\n]\n")
    ours, theirs = parse_module(text), cst.parse_module(text)
    assert ours.code == text and ours.deep_equals(theirs)
    breaks = [n for n in _all_nodes(ours) if type(n) is cst.ParenthesizedWhitespace]
    plain = [n for n in breaks if n.last_line.value == "    " and not n.empty_lines and n.first_line.comment is None]
    assert len(plain) >= 4 and len({id(n) for n in plain}) == 1  # `\n    ` written again and again: one node
    # a break holding a comment (at its line's end or on a line of its own) is the only one of its kind
    commented = [n for n in breaks if n.first_line.comment is not None or n.empty_lines]
    assert [n.first_line.comment.value for n in commented if n.first_line.comment] == ["# one"]
    assert [e.comment.value for n in commented for e in n.empty_lines if e.comment] == ["# two"]
    assert len({id(n) for n in breaks}) == len({(id(n.first_line), n.empty_lines, n.indent, id(n.last_line))
                                                for n in breaks})
    # the break before `c` is indented otherwise: a node of its own
    assert len({n.last_line.value for n in breaks}) >= 2


def _all_nodes(root):
    from tensorlint.cstwalk import children

    out, todo = [], [root]
    while todo:
        n = todo.pop()
        out.append(n)
        todo.extend(children(n))
    return out


def test_the_layout_nodes_hash_as_libcst_hashes_them_after_a_parse():
    parse_module("import torch\nx = f(a, b)  # c\n\ny = (1, 2)\n")
    for name in ("SimpleWhitespace", "ParenthesizedWhitespace", "Newline", "Comment", "TrailingWhitespace",
                 "EmptyLine"):
        cls = getattr(cst, name)
        assert cls.__hash__ is cst.CSTNode.__hash__, name
    node = cst.Comment("# c")
    assert hash(node) == id(node)


def test_the_layout_types_are_the_classes_again_after_a_parse_and_each_parse_has_its_own_nodes():
    first, second = parse_module("import torch\nx = 1\n"), parse_module("import torch\nx = 1\n")
    assert isinstance(cst.SimpleWhitespace, type) and isinstance(cst.Newline, type)
    assert isinstance(cst.SimpleWhitespace(" "), cst.BaseParenthesizableWhitespace)
    a = first.body[1].body[0].targets[0].whitespace_before_equal
    b = second.body[1].body[0].targets[0].whitespace_before_equal
    assert a.value == b.value == " " and a is not b
    with pytest.raises(cst.CSTValidationError):
        cst.SimpleWhitespace("x")


def test_the_parse_asks_the_import_system_for_libcst_once_per_parse_not_once_per_node(monkeypatch):
    import builtins

    asked = []
    real = builtins.__import__

    def counting(name, *args, **kwargs):
        asked.append(name)
        return real(name, *args, **kwargs)

    text = "import torch\n" + "x = torch.zeros(2, 3) + y[0] * f(a, b=c)\n" * 50
    monkeypatch.setattr(builtins, "__import__", counting)
    ours = parse_module(text)
    ours_asked, asked[:] = len(asked), []
    theirs = cst.parse_module(text)
    assert ours.deep_equals(theirs) and ours.code == text and ours.encoding == theirs.encoding
    assert len(asked) > 1000  # libcst's own parse: once per node it builds
    assert ours_asked < 10


@pytest.mark.parametrize("text", ["import torch\nx = (\n", "import torch\n\tif x:\n  y\n", "import torch\nprint 'x'\n",
                                  "import torch\nx = 'abc\n", "import torch\nx = u'a' b'b'\n"])
def test_a_text_libcst_refuses_raises_the_same_error_with_the_same_message(text):
    def outcome(parse):
        try:
            parse(text)
        except Exception as err:
            return type(err), str(err)
        return None

    assert outcome(parse_module) == outcome(cst.parse_module) is not None


def test_bytes_and_odd_characters_parse_as_libcst_parses_them():
    for text in (b"# -*- coding: latin-1 -*-\nx = '\xe9'\n", "x = '\u00e9\u4e2d'  # \U0001f600\n", "\ufeffx = 1\r\ny = 2\r\n"):
        ours, theirs = parse_module(text), cst.parse_module(text)
        assert ours.deep_equals(theirs) and ours.encoding == theirs.encoding and ours.bytes == theirs.bytes
    with pytest.raises(UnicodeEncodeError):
        parse_module("x = '\udcff'\n")


def test_where_the_native_parser_gives_another_tree_than_libcsts_parse_libcsts_parse_is_kept():
    import types

    from tensorlint.cstparse import _direct_parse

    assert _direct_parse(cst) is not None  # this libcst: the native parser called directly
    other = types.SimpleNamespace(Module=cst.Module, parse_module=lambda text: cst.parse_module(text + "pass\n"))
    assert _direct_parse(other) is None
