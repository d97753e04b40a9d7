"""Events to the rules, findings with their positions and fixes, and the values collected
for hovers."""
from __future__ import annotations

import libcst as cst

from .. import events as ev
from ..values import Value
from .frame import Frame
from .helpers import NOT_PASSED, argument_carrying
from ..cstwalk import positions
from ..positions import UNKNOWN, StatementPositions
from ..findings import Edit, Finding, Fix, Related, Span, ValueInfo


class ReportingMixin:
    # -- events and findings --------------------------------------------------------------

    def emit(self, name: str, event) -> None:
        if self.muted:
            return
        for handler in self.handlers.get(name, ()):
            handler(self, event)

    def wants(self, name: str) -> bool:
        return not self.muted and name in self.handlers

    def report(self, rule, node: cst.CSTNode, message: str, *, fix: Fix | None = None,
               related=(), unnecessary: bool = False) -> None:
        span = self.span(node)
        if self.probe is not None:
            self.probe.add((rule.code, id(node)))
            return
        if span is None:
            self._report_entry(rule, node, message, unnecessary)
            return
        # one finding per place and unit: the same place reached from two chunks is recorded for
        # both, so that either can be kept on its own by an incremental run
        key = (rule.code, span.start.line, span.start.column, self.unit)
        if key in self.findings:
            return
        rel = tuple(Related(s, m) for s, m in ((self.span(n), m) for n, m in related) if s is not None)
        self.units[key] = self.unit
        self.phases[key] = self.phase
        self.findings[key] = Finding(
            code=rule.code,
            name=rule.name,
            message=message,
            severity=self.config.severity_for(rule.code, rule.severity),
            span=span,
            fix=fix,
            related=rel,
            unnecessary=unnecessary,
            url=self.config.docs_base + rule.code,
        )

    def _report_entry(self, rule, node, message: str, unnecessary: bool) -> None:
        """A finding at a node of a project module: at the call of this file that entered it."""
        if not self.entries or self.probe_skip is not None and (rule.code, id(node)) in self.probe_skip:
            return
        where = self.foreign_where(node)
        span = self.span(self.entries[0][0])
        if where is None or span is None:
            return
        key = (rule.code, span.start.line, span.start.column, self.unit)
        if key in self.findings:
            return
        finding = Finding(code=rule.code, name=rule.name, message=f"{message} (in {where})",
                          severity=self.config.severity_for(rule.code, rule.severity), span=span,
                          url=self.config.docs_base + rule.code)
        self.pending.append((key, finding, rule.code, node, self.entries[0][1]))

    def _chunk_positions(self, chunk) -> dict:
        cached = chunk.memo.get("positions")
        if cached is None:
            try:
                cached = positions(chunk.module)
            except RecursionError:
                cached = {}  # too deep to walk: nothing in it can be pointed at
                self.positions_failed = True
            chunk.memo["positions"] = cached
        return cached

    def tree_fact(self, chunk: int, key, compute):
        """A fact that depends on the syntax tree of chunk `chunk` alone (what a function
        returns, what its result depends on), computed once per tree: the language server
        keeps a chunk's tree, and so its facts, across edits that do not touch it."""
        if not isinstance(chunk, int) or not 0 <= chunk < len(self.chunks):
            return compute()
        facts = self.chunks[chunk].memo.setdefault("facts", {})
        if key not in facts:
            facts[key] = compute()
        return facts[key]

    def span(self, node: cst.CSTNode | None, hint: int | None = None) -> Span | None:
        """The node's range in the file (positions are computed per top-level statement, on
        first need); `hint` is the index of the chunk that most likely holds it."""
        if node is None:
            return None
        if hint is None and isinstance(self.unit, int):
            hint = self.unit  # most nodes reported belong to the chunk running: search it first
        chunks = self.chunks
        if hint is not None and 0 <= hint < len(chunks):
            rng = self._statement_range(chunks[hint], node)
            if rng is not None and rng is not UNKNOWN:
                off = chunks[hint].line_offset
                return Span.of(rng.start.line + off, rng.start.column, rng.end.line + off, rng.end.column)
        if len(chunks) > 8:  # only the chunk holding the node can place it: look it up
            k = self._holders().get(id(node))
            rng = self._statement_range(chunks[k], node) if k is not None else None
            if rng is not None and rng is not UNKNOWN:
                off = chunks[k].line_offset
                return Span.of(rng.start.line + off, rng.start.column, rng.end.line + off, rng.end.column)
        # every chunk in turn, nearest the hint first (a value's origin is usually a little before
        # the code using it), then every position of every chunk
        order = _outward(chunks, hint) if hint is not None and 0 <= hint < len(chunks) else chunks
        unknown = False
        for chunk in order:
            rng = self._statement_range(chunk, node)
            if rng is UNKNOWN:
                unknown = True
            elif rng is not None:
                off = chunk.line_offset
                return Span.of(rng.start.line + off, rng.start.column, rng.end.line + off, rng.end.column)
        if not unknown:
            return None
        for chunk in chunks:  # a node no walk of code reaches (or a tree placed otherwise): every position
            rng = self._chunk_positions(chunk).get(node)
            if rng is not None:
                off = chunk.line_offset
                return Span.of(rng.start.line + off, rng.start.column, rng.end.line + off, rng.end.column)
        return None

    def _holders(self):
        """id(node) -> index of the chunk whose top-level statements hold it (`.get`), for every
        node of code of the chunks that can be placed statement by statement; from the index
        each chunk keeps with its tree. An incremental analysis hands over the one of its last
        run (`node_holders`): only the trees an edit brought or took away are indexed again."""
        index = self.__dict__.get("_node_chunks")
        if index is None:
            index = self.__dict__.get("node_holders")
            if index is None:
                index = NodeHolders()
            index.update(self.chunks, self._statement_positions)
            self._node_chunks = index
        return index

    def _statement_positions(self, chunk):
        if "positions" in chunk.memo or not chunk.text:
            return None
        where = chunk.memo.get("statement positions")
        if where is None:
            where = chunk.memo["statement positions"] = StatementPositions(chunk.module, chunk.text)
        return where

    def _statement_range(self, chunk, node):
        """The node's range in `chunk` from the positions of its top-level statement alone; None
        when the chunk does not hold it, UNKNOWN when that cannot be told this way."""
        if "positions" in chunk.memo:  # every node's, computed before
            return chunk.memo["positions"].get(node)
        if not chunk.text:
            return UNKNOWN
        where = self._statement_positions(chunk)
        try:
            return where.range(node)
        except RecursionError:
            chunk.memo["positions"] = {}  # too deep to walk: nothing in it can be pointed at
            self.positions_failed = True
            return None

    def line(self, node: cst.CSTNode | None) -> int | None:
        s = self.span(node)
        return s.start.line if s else None

    def source(self, node: cst.CSTNode) -> str:
        return self.chunks[0].module.code_for_node(node)

    def append_fix(self, node: cst.CSTNode, suffix: str, title: str, applicability="safe") -> Fix | None:
        """A fix that appends `suffix` (e.g. `.float()`) to the expression `node`."""
        from ..findings import Applicability

        span = self.span(node)
        if span is None:
            return None
        edits = []
        if not isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
            edits.append(Edit(Span(span.start, span.start), "("))
            suffix = ")" + suffix
        edits.append(Edit(Span(span.end, span.end), suffix))
        return Fix(title, tuple(edits), Applicability(applicability))

    def site_for(self, value: Value, node: cst.CSTNode, frame: Frame) -> ev.Site:
        """Where to report a problem with `value` found at `node` in `frame`: when the value was
        handed down unchanged as an argument of the calls that led here, the outermost such
        call, where the value is visible to the user; otherwise `node` itself."""
        site = ev.Site(node, None, None)
        f = frame
        while f.parent is not None and f.call_node is not None:
            arg_node = argument_carrying(f.call_args, value)
            if arg_node is NOT_PASSED:
                break
            site = ev.Site(f.call_node, arg_node, node)
            f = f.parent
        return site

    # -- statements -----------------------------------------------------------------------



class NodeHolders:
    """Which tree holds each node of code (by id), kept across the runs of one document: its
    trees are held here, so the ids of their nodes stay theirs."""

    def __init__(self):
        self.trees: dict = {}  # id(module) -> (module, the ids of its nodes)
        self.owner: dict = {}  # id(node) -> id(module)
        self.at: dict = {}  # id(module) -> index of its chunk in the run

    def update(self, chunks, positions_of) -> None:
        """Index the trees of `chunks` (`positions_of(chunk)`: its StatementPositions, None when
        it cannot be placed so), forgetting the trees no longer among them."""
        at = {id(c.module): k for k, c in enumerate(chunks)}
        for key in [key for key in self.trees if key not in at]:
            owner = self.owner
            for i in self.trees.pop(key)[1]:
                if owner.get(i) == key:
                    del owner[i]
        for c in chunks:
            key = id(c.module)
            if key not in self.trees:
                where = positions_of(c)
                ids = tuple(where.node_ids()) if where is not None else ()
                self.trees[key] = (c.module, ids)
                self.owner.update(dict.fromkeys(ids, key))
        self.at = at

    def get(self, node_id: int):
        key = self.owner.get(node_id)
        return None if key is None else self.at.get(key)


def collected_values(interp, with_units: bool = False) -> list:
    """One value per place (the same assignment runs from several callers and units)."""
    values = []
    seen = set()
    for node, value, chunk, unit in interp.values:
        span = interp.span(node, chunk)
        key = (span, value.describe(), unit if with_units else None)
        if span is not None and key not in seen:
            seen.add(key)
            info = ValueInfo(span, value.describe(), interp.span(value.origin, chunk))
            values.append((info, unit) if with_units else info)
    return values


def _outward(chunks: list, hint: int):
    """The chunks from `hint` outward: hint, hint - 1, hint + 1, hint - 2, ..."""
    yield chunks[hint]
    for d in range(1, len(chunks)):
        below, above = hint - d, hint + d
        if below < 0 and above >= len(chunks):
            return
        if below >= 0:
            yield chunks[below]
        if above < len(chunks):
            yield chunks[above]
