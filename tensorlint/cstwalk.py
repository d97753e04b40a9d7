"""The children of a libcst node, fast.

libcst's `node.children` runs a visitor that rebuilds the node (and validates it) just to
collect what it visits: walking a file's syntax tree that way costs about as much as parsing
it. Here the children are read straight from the node's fields, in the order libcst itself
visits them (which is the order they appear in the code), taken once per node class from that
class's own child-visiting method.
"""
from __future__ import annotations

import inspect
import linecache
import re
from collections import abc
from typing import Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

_VISITED_FIELD = re.compile(r"visit_\w+\(\s*self\s*,\s*[\"'](\w+)[\"']")
# fields that hold only layout: whitespace, comments, blank lines, brackets and separators
_LAYOUT = re.compile(r"whitespace.*|lpar|rpar|comma|semicolon|leading_lines|lines_after_decorators|header|footer"
                     r"|trailing_whitespace|newline|equal|colon|dot|first_line|empty_lines|indent|lbracket|rbracket"
                     r"|lbrace|rbrace|comment|first_colon|second_colon|last_line|leading_whitespace|trailing_comma"
                     r"|asynchronous|separator|posonly_ind|relative")


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """`node.children`, same nodes in the same order, without rebuilding `node`."""
    get = _CHILDREN.get(type(node)) or _getter(_CHILDREN, type(node), lambda names: names)
    return get(node)


def code_children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """`children(node)` without the layout (whitespace, comments, brackets, commas): what
    a walk looking for statements and expressions needs, at about half the nodes."""
    get = _CODE_CHILDREN.get(type(node)) or _getter(_CODE_CHILDREN, type(node), _code_fields)
    return get(node)


def walk_code(node: cst.CSTNode, prune=()):
    """Every node of code below `node` (as `code_children` finds them), in source order,
    without recursion; the children of nodes of the `prune` types are not entered."""
    get, leaves = _CODE_CHILDREN, _CODE_LEAVES
    stack = code_children(node)
    stack.reverse()
    # by node type, kept for each `prune` from walk to walk: libcst's node classes are ABCs,
    # slow to test with isinstance
    pruned = _PRUNED.get(prune)
    if pruned is None:
        pruned = {}
        if len(_PRUNED) < 256:
            _PRUNED[prune] = pruned
    while stack:
        n = stack.pop()
        yield n
        kind = type(n)
        skip = pruned.get(kind)
        if skip is None:
            skip = pruned[kind] = isinstance(n, prune)
        if not skip and kind not in leaves:
            below = get[kind](n) if kind in get else code_children(n)
            if below:
                below.reverse()
                stack.extend(below)


_PRUNED: dict = {}  # a `prune` of walk_code -> {node type: whether it is one of them}


def kinds_of(*classes: type) -> frozenset:
    """The node types whose instances `isinstance(node, classes)` accepts: the classes and every
    subclass libcst defines. `type(node) in kinds_of(...)` is the same test without the cost of
    an ABC's isinstance (libcst's node classes are ABCs)."""
    out, todo = set(), list(classes)
    while todo:
        kind = todo.pop()
        if kind not in out:
            out.add(kind)
            todo.extend(kind.__subclasses__())
    return frozenset(out)


def nodes_by_scope(root: cst.CSTNode, scopes: tuple[type, ...], kinds: tuple[type, ...],
                   parent: dict | None = None) -> dict[int, list]:
    """id(scope) -> the nodes of the `kinds` types in that scope's own code, in source order,
    for `root` and every node of the `scopes` types below it: what `walk_code(scope, scopes)`
    yields of those types, for all scopes in one walk of the tree. `scopes` and `kinds` are
    concrete node classes (tested by exact type). Given a dict `parent`, the same walk fills it
    with `parent_links(root)`: one walk where both are needed."""
    if parent is not None:
        return _nodes_by_scope_and_parents(root, scopes, kinds, parent)
    get, leaves = _CODE_CHILDREN, _CODE_LEAVES
    out: dict[int, list] = {}
    pending = [root]
    act: dict = {}  # node type -> 1 no code below, 2 a scope, else 0; + 4 when of the `kinds` sought
    while pending:
        scope = pending.pop()
        found = out[id(scope)] = []
        stack = code_children(scope)
        stack.reverse()
        pop, push, add = stack.pop, stack.extend, found.append
        while stack:
            n = pop()
            kind = type(n)
            a = act.get(kind)
            if a is None:
                a = act[kind] = (4 if kind in kinds else 0) + (2 if kind in scopes else 1 if kind in leaves else 0)
            if a >= 4:
                add(n)
                a -= 4
            if a:
                if a == 2:
                    pending.append(n)
                continue
            g = get.get(kind)
            below = g(n) if g is not None else code_children(n)
            if below:
                below.reverse()
                push(below)
    return out


def _nodes_by_scope_and_parents(root, scopes, kinds, parent: dict) -> dict[int, list]:
    """`nodes_by_scope`'s walk, the same scopes in the same order, linking each child to its node
    on the way."""
    get, leaves = _CODE_CHILDREN, _CODE_LEAVES
    out: dict[int, list] = {}
    pending = [root]
    act: dict = {}
    while pending:
        scope = pending.pop()
        found = out[id(scope)] = []
        stack = code_children(scope)
        for child in stack:
            parent[child] = scope
        stack.reverse()
        pop, push, add = stack.pop, stack.extend, found.append
        while stack:
            n = pop()
            kind = type(n)
            a = act.get(kind)
            if a is None:
                a = act[kind] = (4 if kind in kinds else 0) + (2 if kind in scopes else 1 if kind in leaves else 0)
            if a >= 4:
                add(n)
                a -= 4
            if a:
                if a == 2:
                    pending.append(n)
                continue
            g = get.get(kind)
            below = g(n) if g is not None else code_children(n)
            if below:
                for child in below:
                    parent[child] = n
                below.reverse()
                push(below)
    return out


def parent_links(root: cst.CSTNode) -> dict:
    """node -> its parent, for every node of code below `root` (as `code_children` finds
    them): one walk of the tree."""
    get, leaves = _CODE_CHILDREN, _CODE_LEAVES
    parent: dict = {}
    stack = [root]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind in leaves:
            continue
        below = get[kind](node) if kind in get else code_children(node)
        for child in below:
            parent[child] = node
        stack.extend(below)
    return parent


class KeptParentLinks:
    """The parent links of every tree of one document, kept across its analyses: an edit
    merges the links of the trees it brought and drops those of the trees it took away, so a
    rule asking for a parent after an edit of one statement pays for that statement, not for
    the file. Each tree's own links are kept in its chunk's memo (`"parents"`)."""

    def __init__(self):
        self.parent: dict = {}
        self._trees: dict = {}  # id(module) -> (module, its links)

    def update(self, chunks) -> dict:
        now = {id(c.module) for c in chunks}
        parent = self.parent
        for key in [key for key in self._trees if key not in now]:
            for node, up in self._trees.pop(key)[1].items():
                if parent.get(node) is up:
                    del parent[node]
        for c in chunks:
            key = id(c.module)
            if key not in self._trees:
                links = c.memo.get("parents")
                if links is None:
                    links = c.memo["parents"] = parent_links(c.module)
                self._trees[key] = (c.module, links)
                parent.update(links)
        return parent


# node class -> a function returning the node's (code) children, made for that class from the
# fields its `_visit_and_replace_children` visits (attribute reads, no loop over field names)
_CHILDREN: dict = {}
_CODE_CHILDREN: dict = {}
_CODE_LEAVES: set = set()  # node classes without code children (names, numbers, strings): walks skip them


def _code_fields(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(n for n in names if not _LAYOUT.fullmatch(n))


def _getter(table: dict, kind: type, select):
    names = _field_order(kind)
    if names is None:
        getter = _libcst_children
    else:
        lines = ["def get(n):", "    out = []"]
        if table is _CODE_CHILDREN and not select(names):
            _CODE_LEAVES.add(kind)
        holds = _field_kinds(kind)
        for name in select(names):  # a field holds a node, a sequence of nodes, None or a sentinel
            lines += _field_lines(name, holds.get(name))
        namespace = {"is_node": _is_node, "known": _IS_NODE.get}
        exec("\n".join(lines + ["    return out"]), namespace)  # noqa: S102 (names read from libcst's own classes)
        getter = namespace["get"]
    table[kind] = getter
    return getter


def _field_lines(name: str, holds: str | None) -> list[str]:
    """The getter's lines that add field `name`'s nodes to `out`: by what the field's declared
    type says it holds ("node", "node or None", "nodes"), without testing each value; any
    other field (a sentinel allowed, a type not read) tests what it finds."""
    if holds == "node":
        return [f"    out.append(n.{name})"]
    if holds == "node or None":
        return [f"    v = n.{name}", "    if v is not None:", "        out.append(v)"]
    if holds == "nodes":
        return [f"    out.extend(n.{name})"]
    return [f"    v = n.{name}",
            "    t = type(v)",
            "    if t is tuple or t is list:",
            "        for x in v:",
            "            k = known(type(x))",
            "            if k or (k is None and is_node(x)):",
            "                out.append(x)",
            "    else:",
            "        k = known(t)",
            "        if k or (k is None and is_node(v)):",
            "            out.append(v)"]


def _field_kinds(kind: type) -> dict[str, str]:
    """field name -> "node" (declared a node class), "node or None" (an optional one, or a union
    of node classes and None) or "nodes" (a sequence of nodes), for the fields of `kind` whose
    declared type says so; other fields are left out (a getter tests their values). Empty
    when the declarations cannot be read."""
    import typing

    try:
        hints = typing.get_type_hints(kind)
    except Exception:  # (a libcst whose annotations do not resolve: every value tested)
        return {}
    out: dict[str, str] = {}
    for name, hint in hints.items():
        if _node_class(hint):
            out[name] = "node"
            continue
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin is typing.Union and type(None) in args and all(_node_class(a) for a in args if a is not type(None)):
            out[name] = "node or None"
        elif origin in (Sequence, abc.Sequence) and len(args) == 1 and _only_nodes(args[0]):
            out[name] = "nodes"
    return out


def _node_class(hint) -> bool:
    return isinstance(hint, type) and issubclass(hint, cst.CSTNode)


def _only_nodes(hint) -> bool:
    """A node class, or a union of node classes only."""
    import typing

    if _node_class(hint):
        return True
    return typing.get_origin(hint) is typing.Union and all(_node_class(a) for a in typing.get_args(hint))


def _libcst_children(node: cst.CSTNode) -> list[cst.CSTNode]:
    return list(node.children)


_IS_NODE: dict[type, bool] = {}  # isinstance(x, cst.CSTNode) by type: CSTNode is an ABC, slow to test


def _is_node(value) -> bool:
    kind = type(value)
    known = _IS_NODE.get(kind)
    if known is None:
        known = _IS_NODE[kind] = isinstance(value, cst.CSTNode)
    return known


def _field_order(kind: type) -> tuple[str, ...] | None:
    """The field names `kind._visit_and_replace_children` visits, in its order; None when
    that cannot be read (libcst's own `children` is used then)."""
    method = getattr(kind, "_visit_and_replace_children", None)
    source = _source_lines(method)
    if source is None:
        try:
            source = inspect.getsource(method)
        except (OSError, TypeError):
            return None
    names = tuple(dict.fromkeys(_VISITED_FIELD.findall(source)))  # a field visited in two branches counts once
    fields = getattr(kind, "__dataclass_fields__", {})
    if not all(n in fields for n in names):
        return None
    return names


def _source_lines(function) -> str | None:
    """The lines of `function`'s source from its first line to the last its code runs: every
    call it makes is there, from the name called to its last argument. Read from the module's
    lines, which Python keeps once read (`inspect.getsource` tokenizes the source to find where
    the function ends: a tenth of a second per process over libcst's node classes). None when
    the lines cannot be had."""
    code = getattr(function, "__code__", None)
    if code is None:
        return None
    lines = linecache.getlines(code.co_filename)
    last = max((line for _, _, line in code.co_lines() if line is not None), default=None)
    if not lines or last is None or last > len(lines) or code.co_firstlineno < 1:
        return None
    return "".join(lines[code.co_firstlineno - 1:last])


def positions(module: cst.Module) -> dict[cst.CSTNode, CodeRange]:
    """Every node's range, as `MetadataWrapper(module).resolve(PositionProvider)` gives it.

    The wrapper's resolve also runs a visitor over the whole tree for the providers that are
    computed in one visit, even when none is asked for: about half of its time. Here the
    position provider alone runs (its code generation records the ranges). Raises
    RecursionError on a tree too deep to generate, as the wrapper does."""
    provider = PositionProvider()
    try:
        generate, computed = provider._gen_impl, provider._computed
    except AttributeError:  # another libcst: its own way
        return dict(MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider))
    generate(module)
    return computed


def statements(root, nested: bool = True):
    """Every statement below `root` (small statements of a line, and compound statements with
    their blocks; with `nested`, those of nested functions and classes too), in source order,
    without entering an expression: a walk of a small part of the tree."""
    lines, blocks, fields_of, expression = _LINES, _BLOCKS, _STATEMENT_FIELDS, _IS_EXPRESSION
    stack = [root]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind in lines:
            yield from node.body
            continue
        if node is not root:
            yield node
            if not nested and kind in _DEFINITIONS:
                continue
        fields = fields_of.get(kind)
        if fields is None:
            fields = fields_of[kind] = tuple(f for f in _BLOCK_FIELDS if hasattr(node, f))
        below = []
        for field in fields:
            part = getattr(node, field)
            t = type(part)
            if part is None:
                continue
            if t is list or t is tuple:
                below.extend(part)
            elif t in blocks and field == "body" and kind is not cst.IndentedBlock:
                below.extend(part.body if t is cst.IndentedBlock else [part])
            else:
                skip = expression.get(t)
                if skip is None:
                    skip = expression[t] = isinstance(part, cst.BaseExpression)
                if not skip:
                    below.append(part)
        stack.extend(reversed(below))


def statements_of(root, kinds: tuple[type, ...]) -> list:
    """The statements of the exact `kinds` types below `root` (nested functions and classes
    included), in source order: what `[n for n in walk_code(root) if type(n) in kinds]` gives
    for compound and small statement types (never inside an expression), from a walk that
    enters no expression (`statements`). Not for the line and block types that walk passes
    through (`SimpleStatementLine`, `IndentedBlock`)."""
    return [n for n in statements(root) if type(n) in kinds]

# exact node types (libcst's classes are ABCs: an isinstance test of them is slow)
_LINES = frozenset((cst.SimpleStatementLine, cst.SimpleStatementSuite))
_BLOCKS = frozenset((cst.IndentedBlock, cst.SimpleStatementSuite))
_DEFINITIONS = frozenset((cst.FunctionDef, cst.ClassDef))
_BLOCK_FIELDS = ("body", "handlers", "orelse", "finalbody", "cases")
_STATEMENT_FIELDS: dict = {}  # node type -> which of _BLOCK_FIELDS it has
_IS_EXPRESSION: dict = {}  # node type -> whether it is an expression (a lambda's body: not entered)
