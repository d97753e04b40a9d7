"""Where a node is in its file, computed for the top-level statement that holds it only.

libcst computes positions by generating the code of the whole tree: for a finding in one
function of a 4,000-line file, all 4,000 lines. Here positions are generated for the top-level
statement holding the node, and moved to where that statement starts in the file, which
CPython's own parser says (`ast`, in C: a fraction of the cost). The ranges are libcst's
(`PositionProvider`): a statement's code is the same text wherever it stands, and a top-level
statement starts at column 0, so only its line offset differs.

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
from libcst.metadata import CodePosition, CodeRange

from .cstwalk import positions, walk_code

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
        self._first_lines: list[int] | None = None  # per statement: the line CPython says it starts on
        self._usable = True
        self._local: dict[int, tuple[dict, int]] = {}  # index -> (its positions, line offset)

    def range(self, node: cst.CSTNode):
        if not self._usable:
            return UNKNOWN
        index = self._statement_of(node)
        if index is None:
            return UNKNOWN  # not a node of code (a comma, a bracket) or not in this tree
        local = self._local.get(index)
        if local is None:
            local = self._local[index] = self._generate(index)
            if local is None:
                self._usable = False
                return UNKNOWN
        ranges, offset = local
        rng = ranges.get(node)
        if rng is None:
            return UNKNOWN
        start, end = rng.start, rng.end
        return CodeRange(CodePosition(start.line + offset, start.column), CodePosition(end.line + offset, end.column))

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
        if self._first_lines is None:
            self._first_lines = self._statement_lines() or []
        if index >= len(self._first_lines):
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
        offset = self._first_lines[index] - where.start.line
        if not self._starts_there(where.start.line + offset, where.start.column):
            return None
        return ranges, offset

    def _statement_lines(self) -> list[int] | None:
        """The line each top-level statement starts on, read from CPython's syntax tree: a
        line of `a; b` holds several of CPython's statements, each compound statement one.
        None when CPython reads the text otherwise than libcst (or not at all)."""
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
                lines.append(group[0].lineno)
                j += len(group)
            else:
                kinds = _COMPOUND.get(type(stmt))
                if kinds is None or j >= len(theirs) or not isinstance(theirs[j], kinds):
                    return None
                lines.append(theirs[j].lineno)
                j += 1
        return lines if j == len(theirs) else None

    def _starts_there(self, line: int, column: int) -> bool:
        """Whether the text has code at (line, column) after the line's indentation: a cheap
        check that the statement was placed on a line of its own code."""
        if column != 0 or line < 1:
            return False
        starts = self._line_starts()
        if line > len(starts):
            return False
        at = starts[line - 1]
        return at < len(self.text) and not self.text[at].isspace() and self.text[at] != "#"

    def _line_starts(self) -> list[int]:
        starts = getattr(self, "_starts", None)
        if starts is None:
            starts = self._starts = [0] + [m.end() for m in _NEWLINE.finditer(self.text)]
        return starts
