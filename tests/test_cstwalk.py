"""The fast child lists, walks and positions agree with libcst's own, node for node, in order."""
from pathlib import Path

import libcst as cst

from libcst.metadata import MetadataWrapper, PositionProvider

from tensorlint.cstwalk import children, code_children, kinds_of, nodes_by_scope, positions, statements, walk_code

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "tests" / "corpus").rglob("*.py"))[:20] + [REPO / "tensorlint" / "engine.py", REPO / "tensorlint" / "cli.py"]
EVERY_SYNTAX = '''
import a.b as c, d
from ..e import (f as g, h,)
from . import *
@decorator(1)
async def fn(a, /, b: int = 2, *args, c, d=3, **kw) -> "T":
    global x; nonlocal y
    async with a as (b, c), d:
        async for i, *j in k if m else n:
            yield from (o for o in p if q)
    try:
        raise E from F
    except (G, H) as e:
        del e[1:2, ::3], e.f
    else:
        assert a, "b"
    finally:
        lambda x=1, *y, **z: x
    while not a < b <= c is not d in e:
        continue
    match point:
        case [1, *rest] | {"k": v, **kw} | Point(x=0) if v:
            return f"{a!r:>{width}}" 'd', b"c", 1j, 1.5, ...
    x: int = (yield)
    x += await y
    z = {**a, 'b': [c, *d]}, {e for e in f}, {g: h for g, h in i}, [j := 1]
    return ~a ** -b @ c // d >> e & f ^ g | h and i or not j
class K(L, metaclass=M):
    """doc"""  # comment

    # another
'''


def walk(module):
    stack = [module]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


def test_children_are_libcsts_children_in_the_same_order():
    modules = [cst.parse_module(EVERY_SYNTAX)]
    for path in SAMPLES:
        try:
            modules.append(cst.parse_module(path.read_text(encoding="utf-8")))
        except cst.ParserSyntaxError:
            continue  # some corpus programs are broken on purpose
    kinds = set()
    for module in modules:
        for node in walk(module):
            expected = node.children
            got = children(node)
            assert len(got) == len(expected) and all(a is b for a, b in zip(got, expected)), type(node).__name__
            kinds.add(type(node))
    assert len(kinds) > 120  # the sample covers most node kinds


def test_code_children_leave_out_layout_only():
    module = cst.parse_module(EVERY_SYNTAX)
    layout = (cst.BaseParenthesizableWhitespace, cst.Comma, cst.LeftParen, cst.RightParen, cst.EmptyLine,
              cst.Comment, cst.Newline, cst.TrailingWhitespace, cst.LeftSquareBracket, cst.RightSquareBracket,
              cst.LeftCurlyBrace, cst.RightCurlyBrace, cst.Semicolon, cst.AssignEqual, cst.Colon, cst.Dot,
              cst.ParenthesizedWhitespace, cst.SimpleWhitespace, cst.Asynchronous, cst.ParamSlash, cst.ImportStar, cst.BitOr)  # BitOr: the `|` between match patterns
    for node in walk(module):
        full, code = children(node), code_children(node)
        for c in full:
            if c not in code:
                assert isinstance(c, layout), (type(node).__name__, type(c).__name__)
        codes = [c for c in full if not isinstance(c, layout)]
        assert [c for c in code if not isinstance(c, layout)] == codes, type(node).__name__


def _modules():
    modules = [cst.parse_module(EVERY_SYNTAX)]
    for path in SAMPLES:
        try:
            modules.append(cst.parse_module(path.read_text(encoding="utf-8")))
        except cst.ParserSyntaxError:
            continue
    return modules


def test_positions_are_libcsts_positions():
    for module in _modules():
        expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        got = positions(module)
        assert len(got) == len(expected)
        assert all(got[node] == rng for node, rng in expected.items())


def test_walk_code_is_the_preorder_of_code_children_and_stops_at_pruned_types():
    def preorder(node, prune):
        for child in code_children(node):
            yield child
            if not isinstance(child, prune):
                yield from preorder(child, prune)

    module = cst.parse_module(EVERY_SYNTAX)
    for prune in ((), (cst.FunctionDef, cst.ClassDef, cst.Lambda), (cst.BaseExpression,)):
        walked = list(walk_code(module, prune))
        expected = list(preorder(module, prune))
        assert len(walked) == len(expected) and all(a is b for a, b in zip(walked, expected))
    inside_fn = list(walk_code(module, (cst.FunctionDef,)))
    assert not any(isinstance(n, cst.Await) for n in inside_fn)  # `await y` is inside `fn`
    assert any(isinstance(n, cst.Await) for n in walk_code(module))


def test_kinds_of_accepts_the_node_types_isinstance_accepts():
    every = set()
    todo = [cst.CSTNode]
    while todo:
        kind = todo.pop()
        if kind not in every:
            every.add(kind)
            todo.extend(kind.__subclasses__())
    for classes in ((cst.Name,), (cst.AssignTarget, cst.AnnAssign, cst.For), (cst.BaseCompoundStatement,),
                    (cst.SimpleStatementLine, cst.BaseCompoundStatement), (cst.BaseExpression, cst.Arg)):
        kinds = kinds_of(*classes)
        assert {k for k in every if issubclass(k, classes)} == kinds
    nodes = [cst.parse_module(EVERY_SYNTAX), *walk_code(cst.parse_module(EVERY_SYNTAX))]
    statements_kinds = kinds_of(cst.SimpleStatementLine, cst.BaseCompoundStatement)
    assert [type(n) in statements_kinds for n in nodes] == [
        isinstance(n, (cst.SimpleStatementLine, cst.BaseCompoundStatement)) for n in nodes]
    assert any(type(n) in statements_kinds for n in nodes) and not all(type(n) in statements_kinds for n in nodes)


def test_nodes_by_scope_is_a_walk_of_each_scope_in_one_pass():
    scopes = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
    for module in _modules():
        index = nodes_by_scope(module, scopes, (cst.Call, cst.Name))
        owners = [module] + [n for n in walk_code(module) if isinstance(n, scopes)]
        assert len(index) == len(owners)
        for scope in owners:
            expected = [n for n in walk_code(scope, scopes) if isinstance(n, (cst.Call, cst.Name))]
            got = index[id(scope)]
            assert len(got) == len(expected) and all(a is b for a, b in zip(got, expected))
    fn = next(n for n in walk_code(cst.parse_module(EVERY_SYNTAX)) if isinstance(n, cst.FunctionDef))
    calls = nodes_by_scope(fn, scopes, (cst.Call,))[id(fn)]
    assert [c.func.value for c in calls if isinstance(c.func, cst.Name)] == ["decorator"]  # `Point(x=0)` is a pattern


def test_nodes_by_scope_given_a_dict_fills_it_with_the_parent_links_in_the_same_walk():
    from tensorlint.cstwalk import parent_links

    scopes = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
    for module in [*_modules(), cst.parse_module(EVERY_SYNTAX)]:
        links: dict = {}
        index = nodes_by_scope(module, scopes, (cst.Call,), links)
        alone = nodes_by_scope(module, scopes, (cst.Call,))
        assert list(index) == list(alone)  # the same scopes, in the same order
        assert all([id(n) for n in index[k]] == [id(n) for n in alone[k]] for k in index)
        expected = parent_links(module)
        assert len(links) == len(expected) and all(expected[n] is up for n, up in links.items())


def test_statements_are_the_statements_of_a_walk_without_expressions():
    kinds = (cst.BaseSmallStatement, cst.BaseCompoundStatement, cst.ExceptHandler, cst.Else, cst.Finally, cst.MatchCase)
    for module in _modules():
        walked = list(statements(module))
        expected = [n for n in walk_code(module) if isinstance(n, kinds)
                    and not isinstance(n, (cst.IndentedBlock, cst.SimpleStatementSuite))]
        assert [type(n) for n in walked] == [type(n) for n in expected]
        assert all(a is b for a, b in zip(walked, expected))
        own = list(statements(module, nested=False))
        defs = [n for n in walked if isinstance(n, (cst.FunctionDef, cst.ClassDef))]
        assert all(any(n is d for n in own) for d in defs if not any(
            d is not o and any(d is x for x in statements(o)) for o in defs))


def test_statements_of_finds_the_statements_of_those_types_a_walk_finds():
    from tensorlint.cstwalk import statements_of

    nested = cst.parse_module("def f():\n    class A:\n        def g(self):\n            global x\n"
                              "            while x:\n                import a.b as c\n\n"
                              "h = lambda: [i for i in range(3) if i]\n")
    kinds = [(cst.ClassDef,), (cst.While,), (cst.Global, cst.Nonlocal), (cst.Import, cst.ImportFrom),
             (cst.If, cst.For, cst.Try, cst.With), (cst.FunctionDef, cst.Return, cst.Match)]
    for module in [nested, *_modules()]:
        for types in kinds:
            got = statements_of(module, types)
            expected = [n for n in walk_code(module) if type(n) in types]
            assert len(got) == len(expected) and all(a is b for a, b in zip(got, expected))
    assert [type(n) for n in statements_of(nested, (cst.ClassDef, cst.Global, cst.While, cst.Import))] == [
        cst.ClassDef, cst.Global, cst.While, cst.Import]


def test_parent_links_name_the_node_whose_code_children_hold_each_node():
    from tensorlint.cstwalk import parent_links

    module = cst.parse_module(EVERY_SYNTAX)
    links = parent_links(module)
    below = list(walk_code(module))
    assert len(links) == len(below) > 100
    for node in below:
        assert any(c is node for c in code_children(links[node]))


def test_field_order_is_read_from_each_node_class_source_as_inspect_reads_it():
    import inspect

    from tensorlint.cstwalk import _VISITED_FIELD, _field_order

    kinds = [k for k in vars(cst).values() if isinstance(k, type) and issubclass(k, cst.CSTNode)]
    assert len(kinds) > 100
    for kind in kinds:
        method = getattr(kind, "_visit_and_replace_children", None)
        try:
            names = tuple(dict.fromkeys(_VISITED_FIELD.findall(inspect.getsource(method))))
        except (OSError, TypeError):
            names = None
        if names is not None and not all(n in getattr(kind, "__dataclass_fields__", {}) for n in names):
            names = None
        assert _field_order(kind) == names, kind.__name__
