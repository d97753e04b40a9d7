"""Incremental parsing: re-parse only the top-level statements whose text changed.

A document is split into chunks, each a run of whole top-level statements (a function, a
class, an `if`/`else` block with its continuations, a decorated definition with its
decorators). Each chunk is parsed by libcst on its own and the tree is cached by the chunk's
text, so an edit inside one function re-parses that function only. The engine accepts the
chunks in place of one parsed module: `analyze(text, path, config, chunks=...)`.

    parser = IncrementalParser()
    chunks = parser.parse(text)      # None when some chunk does not parse

Splitting is lexical and cheap: one regular-expression scan that skips strings (triple-quoted
ones included), comments, bracketed continuation lines and backslash continuations. A line that
starts at column 0 outside all of those starts a new top-level statement, except the clauses
that continue the previous one (`else`, `elif`, `except`, `finally`) and the definition a
decorator belongs to.
"""
from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from dataclasses import dataclass

import libcst as cst

from .cstwalk import children
from .engine import Chunk

# The lexical items that matter for finding statement boundaries. Strings come first so that
# a `#`, a bracket or a newline inside one is never taken for the real thing.
_SCAN = re.compile(
    r"""
      (?P<str>'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\"
             |'(?:\\.|[^\\'\r\n])*'|"(?:\\.|[^\\"\r\n])*")
    | \#[^\r\n]*
    | (?P<open>[(\[{])
    | (?P<close>[)\]}])
    | \\(?:\r\n|\r|\n)
    | (?P<nl>\r\n|\r|\n)
    """,
    re.VERBOSE | re.DOTALL,
)
_NEWLINE = re.compile(r"\r\n|\r|\n")
_CLAUSE = re.compile(r"(?:else|elif|except|finally)\b")
_STARTS_STATEMENT = re.compile(r"[^\s#]")


@dataclass(frozen=True)
class Piece:
    """The text of one chunk and the number of lines before it."""

    text: str
    line_offset: int


def split(text: str) -> list[Piece]:
    """Split `text` into runs of whole top-level statements; their texts add up to `text`."""
    starts = _statement_starts(text)
    if starts:
        starts[0] = 0  # comments and blank lines before the first statement go with it
    else:
        starts = [0]
    pieces = []
    line = 0
    for begin, end in zip(starts, [*starts[1:], len(text)]):
        piece = text[begin:end]
        pieces.append(Piece(piece, line))
        line += _count_newlines(piece)
    return pieces


def _count_newlines(text: str) -> int:
    if "\r" not in text:
        return text.count("\n")
    return len(_NEWLINE.findall(text))


def _statement_starts(text: str) -> list[int]:
    """Offsets of the lines that start a new top-level chunk."""
    starts: list[int] = []
    depth = 0
    after_decorator = False

    def consider(pos: int) -> None:
        nonlocal after_decorator
        if not _STARTS_STATEMENT.match(text, pos):
            return  # indented, blank or comment line: part of the current chunk
        if _CLAUSE.match(text, pos):
            return  # `else:` and friends continue the statement before them
        if after_decorator:
            after_decorator = text.startswith("@", pos)
            return  # the decorated definition belongs to its decorators
        after_decorator = text.startswith("@", pos)
        starts.append(pos)

    consider(0)
    for m in _SCAN.finditer(text):
        kind = m.lastgroup
        if kind == "nl":
            if depth == 0:
                consider(m.end())
        elif kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
    return starts


class IncrementalParser:
    """Parses documents chunk by chunk, keeping the trees of chunks it has seen."""

    def __init__(self, max_entries: int = 4096, history: int | None = None):
        # (chunk text, n) -> tree: a text that occurs more than once has a tree per occurrence.
        # The trees of the current document are always kept, however many chunks it has (an
        # edit must find all the others); beyond them, `history` others, or without a history
        # as many as fill `max_entries`.
        self._cache: OrderedDict[tuple, cst.Module] = OrderedDict()
        self._max = max_entries
        self._history = history
        self._memos: dict = {}  # id(module) -> (module, memo dict)
        self._last: list = []  # the keys of the last parse, in order
        self.parsed = 0  # chunks parsed (not found in the cache) so far: for measurements

    def parse(self, text: str) -> list[Chunk] | None:
        """The chunks of `text`, or None when the text does not parse. Each chunk has a tree of
        its own (nodes identify places, so a text that occurs twice gets two trees); a chunk
        that an edit did not touch keeps its tree from the last parse, where it was."""
        pieces = split(text)
        keys: list = [None] * len(pieces)
        # the edit is usually one region: chunks before and after it keep their keys
        last = self._last
        head = 0
        while head < min(len(last), len(pieces)) and last[head][0] == pieces[head].text:
            keys[head] = last[head]
            head += 1
        tail = 0
        while tail < min(len(last), len(pieces)) - head and last[-1 - tail][0] == pieces[-1 - tail].text:
            keys[len(pieces) - 1 - tail] = last[-1 - tail]
            tail += 1
        used = {k for k in keys if k is not None}
        for i in range(head, len(pieces) - tail):  # elsewhere: the first tree of that text not in use
            n = 0
            while (pieces[i].text, n) in used:
                n += 1
            keys[i] = (pieces[i].text, n)
            used.add(keys[i])
        chunks = []
        for piece, key in zip(pieces, keys):
            module = self._module(key)
            if module is None:
                self._trim(set(self._last) | used)
                return None
            chunks.append(Chunk(module, piece.line_offset, piece.text, self._memo(module)))
        for key in set(self._last) - used:  # chunks gone from the document keep their tree
            module = self._cache.get(key)  # (for undo) but not what analyses said about it
            if module is not None:
                self._memos.pop(id(module), None)
        self._last = keys
        self._trim(used)
        return chunks

    def _trim(self, used: set) -> None:
        """Forget the oldest trees beyond those in `used` and the allowed others."""
        others = self._history if self._history is not None else max(self._max - len(used), 0)
        excess = len(self._cache) - len(used) - others
        if excess <= 0:
            return
        for k in [k for k in self._cache if k not in used][:excess]:  # oldest first
            del self._cache[k]

    def _memo(self, module: cst.Module) -> dict:
        """What analyses computed about this tree (positions, parent links): kept with it."""
        entry = self._memos.get(id(module))
        if entry is None or entry[0] is not module:
            entry = self._memos[id(module)] = (module, {})
            if len(self._memos) > 2 * len(self._cache) + 64:
                alive = {id(m) for m in self._cache.values()}
                self._memos = {k: v for k, v in self._memos.items() if k in alive}
        return entry[1]

    def _module(self, key: tuple) -> cst.Module | None:
        module = self._cache.get(key)
        if module is not None:
            self._cache.move_to_end(key)
            return module
        try:
            module = cst.parse_module(key[0])
        except (cst.ParserSyntaxError, RecursionError, ValueError, SyntaxError):  # libcst's CSTValidationError is one
            return None
        self.parsed += 1
        self._cache[key] = module
        return module

    def clear(self) -> None:
        self._cache.clear()
        self._last = []


def logical_line_count(text: str) -> int:
    """How many physical lines the logical line at the start of `text` spans (brackets,
    strings and backslash continuations keep it going)."""
    depth = 0
    lines = 1
    for m in _SCAN.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "nl":
            if depth == 0:
                return lines
            lines += 1
        elif kind == "str" or m.group().startswith("\\"):
            lines += _count_newlines(m.group())
    return lines


# -- incremental analysis -------------------------------------------------------------------------
#
# A document is a sequence of chunks. Re-analyzing it after an edit re-runs only the chunks whose
# results can have changed: those whose text changed, and those connected to them through
# module-level names. A name bound by imports only is immutable and connects nothing; a name
# bound by a `def`/`class` makes its readers depend on its definition (one way); any other name
# holds data that every chunk binding or reading it may change (a method call mutates a model),
# so they run again together, segment by segment: a plain assignment that does not read the
# name (`model = Net()`) starts a new value that nothing before it can touch. The other chunks
# keep their findings and hover values (moved with their lines) and, at their place in the
# order, hand over the values they bound when they last ran.

from .findings import Analysis, Finding, Related, Span  # noqa: E402


@dataclass(frozen=True)
class ChunkNames:
    binds: dict  # name -> "import" | "def" | "data"
    reads: frozenset  # module-level names the chunk's code (functions included) may read
    top_reads: frozenset = frozenset()  # those read by module-level statements (when the chunk runs)
    inner_reads: frozenset = frozenset()  # those read inside function and lambda bodies
    # names the chunk binds whatever ran before it: a plain top-level assignment (or def, class,
    # import) of a name the chunk does not read; what earlier chunks did to the name is gone
    kills: frozenset = frozenset()


def chunk_names(module: cst.Module, cache: dict | None = None) -> ChunkNames:
    """The names a chunk binds and reads; `cache` maps id(module) -> (module, names)."""
    if cache is not None:
        entry = cache.get(id(module))
        if entry is not None and entry[0] is module:
            return entry[1]
    found = _names_of(module)
    if cache is not None:
        cache[id(module)] = (module, found)
    return found


def _names_of(module: cst.Module) -> ChunkNames:
    from .interp import _dotted  # the interpreter loads with the first analysis, not at startup

    binds: dict = {}
    reads: set = set()
    top_reads: set = set()
    inner_reads: set = set()
    depth = [0]  # > 0 inside a function or lambda body

    def bind(name, kind):
        old = binds.get(name)
        binds[name] = kind if old in (None, kind) else "data"

    def bind_target(t):
        if isinstance(t, cst.Name):
            bind(t.value, "data")
        elif isinstance(t, (cst.Tuple, cst.List)):
            for el in t.elements:
                bind_target(el.value)
        elif isinstance(t, cst.StarredElement):
            bind_target(t.value)
        else:
            use(t, frozenset())

    def top(stmts):
        for s in stmts:
            if isinstance(s, cst.SimpleStatementLine):
                for small in s.body:
                    if isinstance(small, cst.Import):
                        for a in small.names:
                            bind(a.asname.name.value if a.asname else _dotted(a.name).split(".")[0], "import")
                    elif isinstance(small, cst.ImportFrom):
                        if not isinstance(small.names, cst.ImportStar):
                            for a in small.names:
                                bind(a.asname.name.value if a.asname else _dotted(a.name), "import")
                    elif isinstance(small, cst.Assign):
                        use(small.value, frozenset())
                        for t in small.targets:
                            bind_target(t.target)
                    elif isinstance(small, (cst.AugAssign, cst.AnnAssign)):
                        if small.value is not None:
                            use(small.value, frozenset())
                        use(small.target, frozenset())
                        bind_target(small.target)
                    else:
                        use(small, frozenset())
            elif isinstance(s, (cst.FunctionDef, cst.ClassDef)):
                bind(s.name.value, "def")
                use(s, frozenset())
            else:
                if isinstance(s, cst.For):
                    bind_target(s.target)
                if isinstance(s, cst.With):
                    for item in s.items:
                        if item.asname is not None:
                            bind_target(item.asname.name)
                # headers (tests, iterables, context managers) are reads
                for attr in ("test", "iter"):
                    part = getattr(s, attr, None)
                    if part is not None:
                        use(part, frozenset())
                for item in getattr(s, "items", ()):
                    use(item.item, frozenset())
                for attr in ("body", "orelse", "finalbody"):
                    part = getattr(s, attr, None)
                    if part is None:
                        continue
                    if isinstance(part, cst.If):
                        top([part])
                    else:
                        inner = getattr(part, "body", None)
                        if isinstance(inner, (list, tuple)):
                            top(inner)
                        elif inner is not None:
                            top(getattr(inner, "body", ()) or [inner])
                for h in getattr(s, "handlers", ()):
                    if h.name is not None:
                        bind_target(h.name.name)
                    if h.type is not None:
                        use(h.type, frozenset())
                    top(h.body.body)

    def use(node, local):
        if isinstance(node, cst.Name):
            if node.value not in local:
                reads.add(node.value)
                if depth[0]:
                    inner_reads.add(node.value)
                else:
                    top_reads.add(node.value)
            return
        if isinstance(node, cst.Attribute):
            use(node.value, local)
            return
        if isinstance(node, (cst.FunctionDef, cst.Lambda)):
            for d in getattr(node, "decorators", ()):
                use(d, local)
            params = node.params
            inner = set(local)
            for p in (*params.posonly_params, *params.params, *params.kwonly_params):
                inner.add(p.name.value)
                if p.default is not None:
                    use(p.default, local)
            for star in (params.star_arg, params.star_kwarg):
                if isinstance(star, cst.Param):
                    inner.add(star.name.value)
            depth[0] += 1
            try:
                if isinstance(node, cst.FunctionDef):
                    inner |= _locals_of(node.body)
                use(node.body, frozenset(inner))
            finally:
                depth[0] -= 1
            return
        if isinstance(node, cst.ClassDef):
            for b in (*node.bases, *node.keywords):
                use(b.value, local)
            use(node.body, local | _locals_of(node.body))
            return
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            inner = set(local)
            f = node.for_in
            while f is not None:
                inner |= _target_names(f.target)
                f = f.inner_for_in
            local = frozenset(inner)
        if isinstance(node, cst.Arg):
            use(node.value, local)
            return
        for child in children(node):
            use(child, local)

    top(module.body)
    kills = set()
    for s in module.body:  # only statements that always run: not under if/for/while/try/with
        if isinstance(s, cst.SimpleStatementLine):
            for small in s.body:
                if isinstance(small, cst.Assign):
                    for t in small.targets:
                        kills |= _target_names(t.target)
                elif isinstance(small, cst.AnnAssign) and small.value is not None:
                    kills |= _target_names(small.target)
                elif isinstance(small, cst.Import):
                    kills |= {a.asname.name.value if a.asname else _dotted(a.name).split(".")[0] for a in small.names}
        elif isinstance(s, (cst.FunctionDef, cst.ClassDef)):
            kills.add(s.name.value)
    return ChunkNames(binds, frozenset(reads), frozenset(top_reads), frozenset(inner_reads),
                      frozenset(kills - reads))


def _target_names(t) -> set:
    out = set()
    if isinstance(t, cst.Name):
        out.add(t.value)
    elif isinstance(t, (cst.Tuple, cst.List)):
        for el in t.elements:
            out |= _target_names(el.value)
    elif isinstance(t, cst.StarredElement):
        out |= _target_names(t.value)
    return out


def _locals_of(body) -> frozenset:
    """Names a function (or class) body binds: Python makes them local to it (unless it
    declares them `global` or `nonlocal`)."""
    from .interp import _assigned_in

    stmts = body.body if isinstance(body, cst.IndentedBlock) else [body]
    # `x.attr = v` / `x[i] = v` / `x.append(v)` mark x as assigned in _assigned_in; they do not make it local
    return (frozenset(_assigned_in(stmts)) & _bound_names(stmts)) - _declared_global(stmts)


def _declared_global(stmts) -> frozenset:
    """Names a `global` or `nonlocal` statement of this body (not of nested functions) names."""
    from .dataflow import descendants

    own = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
    found = set()
    for stmt in stmts:
        if isinstance(stmt, own):
            continue
        for n in (stmt, *descendants(stmt, prune=own)):
            if isinstance(n, (cst.Global, cst.Nonlocal)):
                found.update(item.name.value for item in n.names)
    return frozenset(found)


def _bound_names(stmts) -> frozenset:
    """Names that statements bind (assignment targets, loop variables, `as` names, nested
    def and class names), in one walk; nested function and class bodies are their own."""
    found: set = set()

    class V(cst.CSTVisitor):
        def visit_AssignTarget(self, n):
            found.update(_target_names(n.target))

        def visit_AugAssign(self, n):
            if isinstance(n.target, cst.Name):
                found.add(n.target.value)

        def visit_AnnAssign(self, n):
            if isinstance(n.target, cst.Name):
                found.add(n.target.value)

        def visit_For(self, n):
            found.update(_target_names(n.target))

        def visit_AsName(self, n):
            found.update(_target_names(n.name))

        def visit_FunctionDef(self, n):
            found.add(n.name.value)
            return False

        def visit_ClassDef(self, n):
            found.add(n.name.value)
            return False

    visitor = V()
    for s in stmts:
        s.visit(visitor)
    return frozenset(found)


def dirty_chunks(names: list, changed: set, removed: set) -> set:
    """Indices of the chunks to run again (see the section comment).

    A definition reaches the module-level code that runs after it and before the name's next
    definition, and every function body if it is the last definition (function bodies run at
    the end). A data name connects the chunks between one chunk that rebinds it from scratch
    and the next (a segment): those that bind it, read it, or call a function that reads it
    (`train()` reading the global `model`); function bodies that read it depend on its last
    segment only (they run at the end, with the final values). `removed`: (name, lo, hi,
    bound) for the names that chunks no longer there bound (or only read, `bound` False):
    they stood where the chunks now at `lo` up to (not including) `hi` are."""
    kinds: dict = {}
    binders: dict = {}
    readers: dict = {}
    top_readers: dict = {}
    inner_readers: dict = {}
    for i, cn in enumerate(names):
        for n, k in cn.binds.items():
            kinds[n] = k if kinds.get(n) in (None, k) else "data"
            binders.setdefault(n, []).append(i)
        for n in cn.reads:
            readers.setdefault(n, set()).add(i)
        for n in cn.top_reads:
            top_readers.setdefault(n, set()).add(i)
        for n in cn.inner_reads:
            inner_readers.setdefault(n, set()).add(i)
    segments = _Segments(names)
    reach = _CalledReads(names, binders, inner_readers)
    dirty = set(changed)
    work = [(n, ("removed", lo, hi)) for n, lo, hi, bound in removed if bound]
    work += [(n, ("removed read", lo, hi)) for n, lo, hi, bound in removed if not bound]

    def runs(i: int) -> None:
        work.extend((m, i) for m in names[i].binds)
        work.extend((m, ("read", i)) for m in reach.of_chunk(i))

    for i in changed:
        runs(i)
    seen = set()
    while work:
        n, source = work.pop()
        if (n, source) in seen:
            continue
        seen.add((n, source))
        kind = kinds.get(n)
        role = source[0] if isinstance(source, tuple) else "bind"
        if role == "removed read":  # a reader went away: only data it may have changed matters
            if kind in ("import", "def"):
                continue
            role = "removed"
        if kind is None:  # bound by no chunk (a builtin, or a name whose binding went away)
            if role != "removed":
                continue
            affected = set(readers.get(n, ()))
        elif kind == "import":
            # imports bind modules, which nothing changes; but an import that appeared,
            # moved or went away changes what every use of the name sees
            if role == "read":
                continue
            affected = set(readers.get(n, ()))
        elif kind == "def" and role != "read":
            # a definition that changed at `source`, or went away from before `source[1]`,
            # reaches the readers up to the next definition (all function bodies if none)
            start = source + 1 if role == "bind" else source[1]
            later = [b for b in binders[n] if b >= start]
            end = later[0] if later else len(names)
            affected = {r for r in top_readers.get(n, ()) if start <= r < end}
            if not later:
                affected |= readers.get(n, set()) - top_readers.get(n, set())
                affected |= {r for r in readers.get(n, ()) if r >= start}
        elif kind == "def":
            continue  # reading a function changes nothing
        else:
            if role == "removed":  # every segment between the chunks around the gap
                lo, hi = max(source[1] - 1, 0), min(source[2], len(names) - 1)
                segs = {segments.of(n, c) for c in range(lo, hi + 1)}
            else:
                segs = {segments.of(n, source if role == "bind" else source[1])}
            users = set(binders.get(n, ())) | top_readers.get(n, set()) | reach.callers(n)
            affected = {c for c in users if segments.of(n, c) in segs}
            if segments.last(n) in segs:  # the final value: what function bodies see
                affected |= inner_readers.get(n, set())
        for i in affected - dirty:
            dirty.add(i)
            runs(i)
    return dirty


class _CalledReads:
    """Which module-level names the functions a chunk calls may read.

    `of(m)`: the names that calling what `m` holds may read: the globals read inside the
    bodies of the chunks that bind `m`, and, following the names those chunks use (a class
    whose methods call a helper, `loss_fn = my_loss`, `model = Net()`), theirs, to a fixed
    point. Only names some function body reads can be in it."""

    def __init__(self, names: list, binders: dict, inner_readers: dict):
        self.names = names
        relevant = set(inner_readers)
        self.of_name: dict = {}
        follow: dict = {}
        if relevant:
            for n, chunks in binders.items():
                own: set = set()
                nxt: set = set()
                for b in chunks:
                    cn = names[b]
                    own |= cn.inner_reads & relevant
                    nxt |= cn.reads
                self.of_name[n] = own
                follow[n] = nxt & set(binders)
            changed = True
            while changed:
                changed = False
                for n, nxt in follow.items():
                    mine = self.of_name[n]
                    before = len(mine)
                    for x in nxt:
                        if x != n:
                            mine |= self.of_name[x]
                    changed = changed or len(mine) != before
        self._callers: dict | None = None

    def of_chunk(self, i: int) -> set:
        """The names chunk `i` reads when it runs, itself or through what it calls."""
        top = self.names[i].top_reads
        out = set(top)
        for m in top:
            out |= self.of_name.get(m, set())
        return out

    def callers(self, n: str) -> set:
        """Chunks that read `n` only through what they call."""
        if self._callers is None:
            self._callers = {}
            for i, cn in enumerate(self.names):
                for m in cn.top_reads:
                    for x in self.of_name.get(m, set()):
                        self._callers.setdefault(x, set()).add(i)
        return self._callers.get(n, set())


class _Segments:
    """For each data name, where the chunks that rebind it from scratch are."""

    def __init__(self, names: list):
        self.kills: dict = {}
        for i, cn in enumerate(names):
            for n in cn.kills:
                self.kills.setdefault(n, []).append(i)

    def of(self, name: str, index: int) -> int:
        """The segment of chunk `index` for `name`: the last chunk at or before it that rebinds
        the name from scratch (-1: none)."""
        import bisect

        kills = self.kills.get(name)
        if not kills:
            return -1
        j = bisect.bisect_right(kills, index) - 1
        return kills[j] if j >= 0 else -1

    def same(self, name: str, index: int, chunks: set) -> set:
        seg = self.of(name, index)
        return {c for c in chunks if self.of(name, c) == seg}

    def last(self, name: str) -> int:
        kills = self.kills.get(name)
        return kills[-1] if kills else -1


def _late_binders(names: list, dirty: set) -> set:
    first_binder: dict = {}
    for i, cn in enumerate(names):
        for n in cn.binds:
            first_binder.setdefault(n, i)
    late = set()
    for i in dirty:
        for n in names[i].top_reads:
            b = first_binder.get(n)
            if b is not None and b > i:
                late |= {j for j, cn in enumerate(names) if n in cn.binds}
    return late


@dataclass
class _Unit:
    findings: list  # Finding, positions as in the run that made them
    values: list  # ValueInfo


@dataclass
class _Previous:
    key: tuple  # (path, config) the results were computed for
    modules: list  # chunk modules in order
    offsets: list
    units: dict  # chunk index -> _Unit
    env: dict  # final module env
    bound: dict  # chunk index -> {name: value} the chunk's bindings when it last ran
    functions: list  # Func objects of that run
    loss_marks: list  # (func node, kind, unit)


class IncrementalAnalysis:
    """Analysis of one document across edits (the language server keeps one per document).
    Its results equal `tensorlint.engine.analyze` on the same text."""

    def __init__(self):
        self.parser = IncrementalParser(history=64)  # this document's chunks, and a little history for undo
        self.prev: _Previous | None = None
        self.last_run: dict = {}  # for measurements: how many chunks ran again
        self._names: dict = {}  # id(module) -> (module, ChunkNames) for this document's chunks

    def analyze(self, text: str, path: str, config, *, collect_values: bool = True,
                syntax_errors: bool = True) -> Analysis:
        """`syntax_errors=False`: for a text that does not parse, answer `syntax_error=True`
        without the full parse that finding the error's position takes."""
        from .engine import analyze as full_analyze, encodable, too_deep

        text = encodable(text)
        if too_deep(text):
            self.prev = None
            return full_analyze(text, path, config, collect_values=collect_values)
        try:
            return self._analyze(text, path, config, collect_values, syntax_errors)
        except RecursionError:
            self.prev = None
            return Analysis()

    def _analyze(self, text, path, config, collect_values, syntax_errors) -> Analysis:
        from .engine import FRAMEWORK_MARKERS, analyze as full_analyze, enabled_rules, suppress
        from .interp import Interpreter, collected_values

        if not FRAMEWORK_MARKERS.search(text):
            self.prev = None
            return Analysis(skipped=True)
        chunks = self.parser.parse(text)
        if chunks is None:
            if not syntax_errors:
                return Analysis(syntax_error=True)
            return full_analyze(text, path, config, collect_values=collect_values)
        key = (path, config, collect_values)
        prev = self.prev if self.prev is not None and self.prev.key == key else None
        names = [chunk_names(c.module, self._names) for c in chunks]
        skip: set = set()
        env = None
        replay: dict = {}  # chunks that do not run: what they bound when they last ran
        kept: dict = {}
        if prev is not None:
            old_index = {id(m): j for j, m in enumerate(prev.modules)}
            kept = {}
            last = -1
            for i, c in enumerate(chunks):  # a chunk that moved past others counts as changed
                j = old_index.get(id(c.module))
                if j is not None and j > last:
                    kept[i] = last = j
            changed = set(range(len(chunks))) - set(kept)
            removed: set = set()
            new_of_kept = sorted((j, i) for i, j in kept.items())
            for j in set(range(len(prev.modules))) - set(kept.values()):
                cn = chunk_names(prev.modules[j], self._names)
                # where it stood: before the first chunk kept from after it
                k = bisect.bisect_left(new_of_kept, (j, -1))
                hi = new_of_kept[k][1] if k < len(new_of_kept) else len(chunks)
                lo = new_of_kept[k - 1][1] + 1 if k > 0 else 0
                # a name that a new chunk in the same place binds afresh is that chunk's news
                fresh = {m for i in range(lo, hi) if i not in kept for m in names[i].kills}
                removed |= {(n, lo, hi, True) for n in set(cn.binds) - fresh}
                removed |= {(n, lo, hi, False) for n in cn.reads - set(cn.binds) - fresh}
            dirty = dirty_chunks(names, changed, removed)
            # names that chunks running again read before any definition of them: their later
            # definitions must run in order too, or the early reads would see them bound
            # (chunks that do not run hand over what they bound, in order: see `replay`)
            for _ in range(8):
                extra = _late_binders(names, dirty) - dirty
                if not extra:
                    break
                changed = changed | extra
                dirty = dirty_chunks(names, changed, removed)
            skip = set(range(len(chunks))) - dirty
            new_of_old = {j: i for i, j in kept.items()}
            for f in prev.functions:  # reused function objects now live in renumbered chunks
                f.chunk = new_of_old.get(f.chunk, -1)
            clean_binds = {n for i in skip for n in names[i].binds}
            dirty_binds = {n for i in dirty for n in names[i].binds}
            env = {n: prev.env[n] for n in clean_binds - dirty_binds if n in prev.env}
            replay = {i: prev.bound[kept[i]] for i in skip if kept[i] in prev.bound}
        interp = Interpreter(chunks, text, path, config, enabled_rules(config, path), collect_values)
        if prev is not None:  # what chunks that do not run again said about losses still holds
            new_of_old = {j: i for i, j in kept.items()}
            for node, kind, unit in prev.loss_marks:
                if isinstance(unit, int) and new_of_old.get(unit) in skip:
                    interp.loss_uses[id(node)] = kind
                    interp.loss_marks.append((node, kind, new_of_old[unit]))
        reused_functions = [f for f in prev.functions if f.chunk in skip] if prev is not None else []
        bound: dict = dict(replay)
        interp.run(skip=skip, env=env, extra_functions=reused_functions, replay=replay,
                   record=(bound, [tuple(cn.binds) for cn in names]))
        units: dict = {}
        for k, f in interp.findings.items():
            units.setdefault(interp.units.get(k, 0), _Unit([], [])).findings.append(f)
        if collect_values:
            for info, unit in collected_values(interp, with_units=True):
                units.setdefault(unit, _Unit([], [])).values.append(info)
        if prev is not None and skip:
            mover = _Mover(prev.offsets, {j: chunks[i].line_offset - prev.offsets[j] for i, j in kept.items()})
            for i in skip:
                old = prev.units.get(kept[i])
                if old is not None:
                    mine = units.setdefault(i, _Unit([], []))
                    mine.findings.extend(mover.finding(f) for f in old.findings)
                    mine.values.extend(mover.value(v) for v in old.values)
        self.prev = _Previous(
            key, [c.module for c in chunks], [c.line_offset for c in chunks],
            {u: v for u, v in units.items() if isinstance(u, int)},
            dict(interp.module_env), bound, list(interp.functions) + reused_functions, interp.loss_marks,
        )
        self.last_run = {"chunks": len(chunks), "ran": len(chunks) - len(skip)}
        current = {id(c.module) for c in chunks}  # forget the trees of chunks that are gone
        self._names = {k: v for k, v in self._names.items() if k in current}
        seen = set()
        findings = []
        for u in units.values():
            for f in u.findings:
                k = (f.code, f.span.start.line, f.span.start.column)
                if k not in seen:
                    seen.add(k)
                    findings.append(f)
        findings.sort(key=Finding.sort_key)
        values = []
        seen_values = set()
        for u in units.values():
            for v in u.values:
                if (v.span, v.text) not in seen_values:
                    seen_values.add((v.span, v.text))
                    values.append(v)
        return Analysis(findings=suppress(findings, text), values=values)


_LINE_REF = re.compile(r"\bline (\d+)")


class _Mover:
    """Moves positions of a kept chunk's results to where the chunk is now."""

    def __init__(self, old_offsets, delta_by_old):
        self.old_offsets = old_offsets
        self.delta_by_old = delta_by_old

    def _delta(self, line: int) -> int:
        # the old chunk holding this line: the last whose offset is below it
        import bisect

        j = bisect.bisect_left(self.old_offsets, line) - 1
        return self.delta_by_old.get(max(j, 0), 0)

    def span(self, s: Span | None) -> Span | None:
        if s is None:
            return None
        d = self._delta(s.start.line)
        if not d:
            return s
        return Span.of(s.start.line + d, s.start.column, s.end.line + d, s.end.column)

    def message(self, text: str) -> str:
        """Messages name places ("Conv2d at line 7"): move those lines too."""
        return _LINE_REF.sub(lambda m: f"line {m.group(1) and int(m.group(1)) + self._delta(int(m.group(1)))}", text)

    def finding(self, f: Finding) -> Finding:
        from dataclasses import replace as dc_replace

        fix = f.fix
        if fix is not None:
            fix = dc_replace(fix, edits=tuple(dc_replace(e, span=self.span(e.span)) for e in fix.edits))
        return dc_replace(f, span=self.span(f.span), fix=fix, message=self.message(f.message),
                          related=tuple(Related(self.span(r.span), r.message) for r in f.related))

    def value(self, v):
        from dataclasses import replace as dc_replace

        return dc_replace(v, span=self.span(v.span), origin=self.span(v.origin))
