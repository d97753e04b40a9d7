"""Where a node is in its file, computed for the innermost statement that holds it only.

libcst computes positions by generating the code of the whole tree: for a finding in one
function of a 4,000-line file, all 4,000 lines. Here positions are generated for the innermost
statement of a block holding the node (the line in a method of a class, in the body of an `if
__name__ == "__main__":`), and moved to where that statement starts in the file, which
CPython's own parser says (`ast`, in C: a fraction of the cost). The ranges are libcst's
(`PositionProvider`): a statement's code is the same text wherever it stands once it is given
the indentation of the blocks around it, so only its line offset differs.

    where = StatementPositions(module, text)   # once per parsed tree
    where.range(node)    # CodeRange; None when no top-level statement holds `node`;
                         # UNKNOWN when it cannot be told this way (the caller asks libcst)

Raises RecursionError, as libcst does, for a statement nested too deeply to generate.
"""
from __future__ import annotations

import ast
import re
import warnings

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, PositionProvider

from .cstwalk import parent_links, positions, walk_code

UNKNOWN = object()

# each libcst compound statement and the CPython statements it may be
_COMPOUND = {
    cst.FunctionDef: (ast.FunctionDef, ast.AsyncFunctionDef),
    cst.ClassDef: (ast.ClassDef,),
    cst.If: (ast.If,),
    cst.For: (ast.For, ast.AsyncFor),
    cst.While: (ast.While,),
    cst.Try: (ast.Try,),
    cst.With: (ast.With, ast.AsyncWith),
}
if hasattr(cst, "TryStar") and hasattr(ast, "TryStar"):
    _COMPOUND[cst.TryStar] = (ast.TryStar,)
if hasattr(cst, "Match") and hasattr(ast, "Match"):
    _COMPOUND[cst.Match] = (ast.Match,)
_AST_COMPOUND = tuple(k for kinds in _COMPOUND.values() for k in kinds)
_NEWLINE = re.compile(r"\r\n|\r|\n")


class StatementPositions:
    """The positions of one parsed text, computed statement by statement on demand."""

    def __init__(self, module: cst.Module, text: str):
        self.module = module
        self.text = text
        self._owner: dict[int, int] = {}  # id(node) -> index of the top-level statement holding it
        self._walked = 0  # top-level statements whose nodes are in _owner
        self._tops: list | None = None  # per top-level statement: CPython's (first) statement for it
        self._usable = True
        self._local: dict[int, tuple[dict, int]] = {}  # index -> (its positions, line offset)
        self._inner: dict[int, tuple[dict, int] | None] = {}  # id(nested statement) -> the same, None: not told
        self._parents: dict[int, dict] = {}  # index -> node -> parent, in that top-level statement

    def range(self, node: cst.CSTNode):
        if not self._usable:
            return UNKNOWN
        index = self._statement_of(node)
        if index is None:
            return UNKNOWN  # not a node of code (a comma, a bracket) or not in this tree
        local = self._nested(index, node)
        if local is not None:
            rng = local[0].get(node)
            if rng is not None:
                return _moved(rng, local[1])
        local = self._local.get(index)
        if local is None:
            local = self._local[index] = self._generate(index)
            if local is None:
                self._usable = False
                return UNKNOWN
        rng = local[0].get(node)
        return UNKNOWN if rng is None else _moved(rng, local[1])

    def node_ids(self):
        """The ids of every node of code of the tree's top-level statements (walked on first need)."""
        self._statement_of(None)
        return self._owner.keys()

    def _statement_of(self, node) -> int | None:
        key = id(node)
        index = self._owner.get(key)
        body = self.module.body
        while index is None and self._walked < len(body):
            i = self._walked
            stmt = body[i]
            owner = self._owner
            owner[id(stmt)] = i
            for n in walk_code(stmt):
                owner[id(n)] = i
            self._walked += 1
            index = owner.get(key)
        return index

    def _generate(self, index: int) -> tuple[dict, int] | None:
        """The statement's positions as if it began the file, and the lines before it."""
        tops = self._top_statements()
        if index >= len(tops):
            return None
        module, stmt = self.module, self.module.body[index]
        alone = cst.Module(body=[stmt], header=(), footer=(), encoding=module.encoding,
                           default_indent=module.default_indent, default_newline=module.default_newline,
                           has_trailing_newline=module.has_trailing_newline)
        ranges = positions(alone)
        anchor = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) else stmt
        where = ranges.get(anchor)
        if where is None:
            return None
        offset = tops[index].lineno - where.start.line
        if where.start.column != 0 or not self._starts_there(where.start.line + offset, ""):
            return None
        return ranges, offset

    def _top_statements(self) -> list:
        if self._tops is None:
            self._tops = self._statement_lines() or []
        return self._tops

    def _nested(self, index: int, node) -> tuple[dict, int] | None:
        """The positions of the innermost statement of a block below top-level statement `index`
        that holds `node`, and its line offset; None when `node` is in no such statement or
        where that statement starts cannot be told from CPython's tree."""
        tops = self._top_statements()
        if index >= len(tops):
            return None
        top = self.module.body[index]
        if not isinstance(top, cst.BaseCompoundStatement):
            return None
        parent = self._parents.get(index)
        if parent is None:
            parent = self._parents[index] = parent_links(top)
        path, n = [], node
        while n is not top:
            up = parent.get(n)
            if up is None:
                return None
            if isinstance(n, cst.BaseStatement) and not (isinstance(n, cst.If) and isinstance(up, cst.If)):
                path.append(n)  # a statement of a block (an `elif` is part of its `if`)
            n = up
        if not path:
            return None
        indents = []
        cur, theirs = top, tops[index]
        for stmt in reversed(path):
            found = _child(cur, theirs, stmt, self.module.default_indent)
            if found is None:
                break
            theirs, indent = found
            cur = stmt
            indents.append(indent)
        if cur is top:
            return None
        got = self._inner.get(id(cur), False)
        if got is False:
            got = self._inner[id(cur)] = self._generate_nested(cur, theirs.lineno, indents)
        return got

    def _generate_nested(self, stmt, line: int, indents: list) -> tuple[dict, int] | None:
        """The positions of `stmt`, a statement of a block, generated with the indentation of
        the blocks around it, and its line offset; None when they do not start at `line`."""
        module, provider = self.module, PositionProvider()
        try:
            from libcst.metadata.position_provider import PositionProvidingCodegenState

            state = PositionProvidingCodegenState(default_indent=module.default_indent,
                                                  default_newline=module.default_newline,
                                                  provider=provider, indent_tokens=list(indents))
        except (ImportError, TypeError):  # another libcst
            return None
        stmt._codegen(state)
        ranges = provider._computed
        anchor = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) else stmt
        where = ranges.get(anchor)
        prefix = "".join(indents)
        if where is None or where.start.column != len(prefix):
            return None
        offset = line - where.start.line
        if not self._starts_there(line, prefix):
            return None
        return ranges, offset

    def _statement_lines(self) -> list | None:
        """CPython's statement for each top-level statement (the first where a line of `a; b`
        holds several of CPython's statements, each compound statement one), read from
        CPython's syntax tree. None when CPython reads the text otherwise than libcst (or not
        at all)."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = compile(self.text, "<file>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        theirs, j, lines = tree.body, 0, []
        for stmt in self.module.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                group = theirs[j:j + len(stmt.body)]
                if len(group) != len(stmt.body) or any(isinstance(s, _AST_COMPOUND) for s in group):
                    return None
                lines.append(group[0])
                j += len(group)
            else:
                kinds = _COMPOUND.get(type(stmt))
                if kinds is None or j >= len(theirs) or not isinstance(theirs[j], kinds):
                    return None
                lines.append(theirs[j])
                j += 1
        return lines if j == len(theirs) else None

    def _starts_there(self, line: int, prefix: str) -> bool:
        """Whether `line` of the text is `prefix` (the indentation of the blocks around a
        statement) followed by code: a cheap check that the statement was placed on a line
        of its own code."""
        if line < 1:
            return False
        starts = self._line_starts()
        if line > len(starts):
            return False
        at = starts[line - 1]
        end = at + len(prefix)
        text = self.text
        return (text.startswith(prefix, at) and end < len(text) and not text[end].isspace()
                and text[end] != "#")

    def _line_starts(self) -> list[int]:
        starts = getattr(self, "_starts", None)
        if starts is None:
            starts = self._starts = [0] + [m.end() for m in _NEWLINE.finditer(self.text)]
        return starts


def _moved(rng: CodeRange, offset: int) -> CodeRange:
    start, end = rng.start, rng.end
    return CodeRange(CodePosition(start.line + offset, start.column), CodePosition(end.line + offset, end.column))


def _blocks(stmt, theirs) -> list:
    """(indented block, CPython's statements of it) for each block of a compound statement
    (an `if`'s `elif`s and `else`, a `try`'s handlers): [] for a kind not followed here."""
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef, cst.With)):
        return [(stmt.body, theirs.body)]
    if isinstance(stmt, (cst.For, cst.While)):
        out = [(stmt.body, theirs.body)]
        if stmt.orelse is not None:
            out.append((stmt.orelse.body, theirs.orelse))
        return out
    if isinstance(stmt, cst.If):
        out = [(stmt.body, theirs.body)]
        branch = stmt.orelse
        while branch is not None:
            if isinstance(branch, cst.If):
                if len(theirs.orelse) != 1 or not isinstance(theirs.orelse[0], ast.If):
                    break
                theirs = theirs.orelse[0]
                out.append((branch.body, theirs.body))
                branch = branch.orelse
            else:
                out.append((branch.body, theirs.orelse))
                break
        return out
    if isinstance(stmt, cst.Try) or type(stmt).__name__ == "TryStar":
        if len(stmt.handlers) != len(getattr(theirs, "handlers", ())):
            return []
        out = [(stmt.body, theirs.body)]
        out.extend((h.body, t.body) for h, t in zip(stmt.handlers, theirs.handlers))
        if stmt.orelse is not None:
            out.append((stmt.orelse.body, theirs.orelse))
        if stmt.finalbody is not None:
            out.append((stmt.finalbody.body, theirs.finalbody))
        return out
    return []


def _child(stmt, theirs, inner, default_indent: str):
    """(CPython's statement for `inner`, a statement of one of `stmt`'s indented blocks, and
    that block's indentation); None when `inner` is not there or the two trees disagree."""
    for block, their_body in _blocks(stmt, theirs):
        if not isinstance(block, cst.IndentedBlock) or not any(s is inner for s in block.body):
            continue
        j = 0
        for s in block.body:
            if isinstance(s, cst.SimpleStatementLine):
                group = their_body[j:j + len(s.body)]
                if len(group) != len(s.body) or any(isinstance(g, _AST_COMPOUND) for g in group):
                    return None
                mine = group[0]
                j += len(group)
            else:
                kinds = _COMPOUND.get(type(s))
                if kinds is None or j >= len(their_body) or not isinstance(their_body[j], kinds):
                    return None
                mine = their_body[j]
                j += 1
            if s is inner:
                return mine, default_indent if block.indent is None else block.indent
        return None
    return None
