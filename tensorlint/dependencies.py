"""Which chunks of a document an edit touches: the names each chunk binds and reads, and the
chunks that must run again with the ones whose text changed."""
from __future__ import annotations

import bisect

from .chunk_names import ChunkNames, chunk_names  # noqa: F401  (the public names)


# A document is a sequence of chunks. Re-analyzing it after an edit re-runs only the chunks whose
# results can have changed: those whose text changed, and those connected to them through
# module-level names. A name bound by imports only is immutable and connects nothing; a name
# bound by a `def`/`class` makes its readers depend on its definition (one way); any other name
# holds data that every chunk binding or reading it may change (a method call mutates a model),
# so they run again together, segment by segment: a plain assignment that does not read the
# name (`model = Net()`, or `with tf.Session() as sess:`) starts a new value that nothing
# before it can touch. The other chunks
# keep their findings and hover values (moved with their lines) and, at their place in the
# order, hand over the values they bound when they last ran.
#
# Finer, from what the last run left (`Held`): a chunk can change in place only a value that
# can be changed (a model, a list), and only the one its name holds where the chunk runs (in
# that segment); a name bound again to a tensor is plain data there. A chunk that reads plain
# data reaches no other chunk unless its code can rebind the name in place (`x.add_()`,
# `x[i] = v`: `scopes.changes_of`). And what a chunk reaches through a call is what the name
# called holds there: code made by chunks before it, not every definition in the file.


def dirty_chunks(names: list, changed: set, removed: set, mutable=None, assumed: set | None = None) -> set:
    """Indices of the chunks to run again (see the section comment).

    A definition reaches the module-level code that runs after it and before the name's next
    definition, and every function body if it is the last definition (function bodies run at
    the end). A data name connects the chunks between one chunk that rebinds it from scratch
    and the next (a segment): those that bind it, read it, or call a function that reads it
    (`train()` reading the global `model`); function bodies that read it depend on its last
    segment only (they run at the end, with the final values). `removed`: (name, lo, hi,
    bound) for the names that chunks no longer there bound (or only read, `bound` False):
    they stood where the chunks now at `lo` up to (not including) `hi` are.

    `mutable`: the data names that held an object code can change in place (a model, a list)
    in the last run (None: all), a set, or a `Held` (where they held one: by segment). A chunk that runs again cannot change what an earlier chunk
    handed over under any other name (a tensor, a number): only the users after it are
    reached, not the whole segment. Nor can calling such a name run code: the names of those
    that this relied on go into `assumed`, for the caller to check that the chunks that run
    again still bind them to such values."""
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
    plain = None
    if isinstance(mutable, Held):
        mutable.segments = segments
        plain = {n for n, k in kinds.items() if k == "data" and not mutable.anywhere(n)}
    elif mutable is not None:
        plain = {n for n, k in kinds.items() if k == "data" and n not in mutable}

    def holds_mutable(n: str, at: int) -> bool:
        if mutable is None:
            return True
        if isinstance(mutable, Held):
            return mutable.at(n, at)
        return n in mutable
    reach = _CalledReads(names, binders, inner_readers, segments, plain)
    dirty = set(changed)
    work = [(n, ("removed", lo, hi)) for n, lo, hi, bound in removed if bound]
    work += [(n, ("removed read", lo, hi)) for n, lo, hi, bound in removed if not bound]

    inside: list = []

    def changed_inside() -> frozenset:
        """The names some function body may rebind in place (it may run from any chunk)."""
        if not inside:
            inside.append(frozenset().union(*(cn.inner_changes for cn in names)))
        return inside[0]

    def runs(i: int) -> None:
        work.extend((m, i) for m in names[i].binds)
        work.extend((m, ("read", i)) for m in reach.of_chunk(i))

    repeats = getattr(mutable, "repeats", None)
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
            # (a name no chunk binds is a builtin or unbound: nothing a reader did to it was
            # handed over; had a chunk that went away bound it, that is its own "removed" entry)
            if kind in ("import", None):
                continue
            if kind == "def":
                # a caller went away: the definition may now run as code nobody calls, with
                # other findings; its own chunk runs again (its readers are unchanged)
                affected = set(binders.get(n, ()))
                for i in affected - dirty:
                    dirty.add(i)
                    runs(i)
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
            if role == "read" and n not in names[source[1]].top_changes and n not in changed_inside() \
                    and not holds_mutable(n, source[1]):
                # a reader cannot change what it reads, only rebind it in place (interp's `rebind`),
                # which it cannot do to a name its code never changes (`model(x)` reading `x`)
                continue
            if role == "bind" and repeats is not None and not holds_mutable(n, source) and repeats(n, source):
                # the chunk gave the name, in the last run, a value every run makes the same:
                # taken to do so again, nothing reached through the name changes (the caller
                # checks it against what the chunk bound, `Held.cut`)
                mutable.cut.add((n, source))
                continue
            if role == "removed":  # every segment between the chunks around the gap
                lo, hi = max(source[1] - 1, 0), min(source[2], len(names) - 1)
                segs = {segments.of(n, c) for c in range(lo, hi + 1)}
            else:
                segs = {segments.of(n, source if role == "bind" else source[1])}
            users = set(binders.get(n, ())) | top_readers.get(n, set()) | reach.callers(n)
            affected = {c for c in users if segments.of(n, c) in segs}
            if role != "removed" and not holds_mutable(n, source if role == "bind" else source[1]):
                at = source if role == "bind" else source[1]
                affected = {c for c in affected if c > at}
            if segments.last(n) in segs:  # the final value: what function bodies see
                affected |= inner_readers.get(n, set())
        for i in affected - dirty:
            dirty.add(i)
            runs(i)
    if assumed is not None:
        assumed |= reach.assumed
    return dirty


class Held:
    """Where, in the last run, data names held a value code can change in place: `entries`
    maps a name to the chunks (new indices) after which it held one; `final`: names whose
    value at the end of the run was one. A chunk that runs again gets such a value fresh
    from the chunk that makes it, if that one runs again too, or as the last run left it,
    changed in place by every chunk of the segment: only then must they all run again."""

    def __init__(self, entries: dict, final: set):
        self.entries = entries
        self.final = final
        for chunks in self.entries.values():
            chunks.sort()
        self.segments: _Segments | None = None
        # (name, chunk) -> whether the chunk, not changed, bound the name in the last run to a
        # value every run makes the same (None: none taken so); `cut`: where that was relied on
        self.repeats = None
        self.cut: set = set()

    def anywhere(self, n: str) -> bool:
        return n in self.final or bool(self.entries.get(n))

    def at(self, n: str, index: int) -> bool:
        """Whether `n` may hold such a value as chunk `index` runs: one of the chunks of its
        segment up to `index` left one."""
        chunks = self.entries.get(n)
        if not chunks:
            return False
        seg = self.segments.of(n, index) if self.segments is not None else -1
        lo = bisect.bisect_left(chunks, max(seg, 0))
        return lo < len(chunks) and chunks[lo] <= index


class _CalledReads:
    """Which module-level names the functions a chunk calls may read.

    `of(m)`: the names that calling what `m` holds may read: the globals read inside the
    bodies of the chunks that bind `m`, and, following the names those chunks use (a class
    whose methods call a helper, `loss_fn = my_loss`, `model = Net()`), theirs, to a fixed
    point. Only names some function body reads can be in it."""

    def __init__(self, names: list, binders: dict, inner_readers: dict, segments: _Segments | None = None,
                 plain: set | None = None):
        self.names = names
        self.plain = plain  # data names that held no code in the last run
        self.assumed: set = set()
        self.binders = binders
        self.segments = segments
        relevant = self.relevant = set(inner_readers)
        self.of_name: dict = {}
        follow: dict = {}
        if relevant:
            bound = binders.keys()
            for n, chunks in binders.items():
                own: set = set()
                nxt: set = set()
                for b in chunks:
                    cn = names[b]
                    own |= cn.inner_reads & relevant
                    nxt |= cn.reads
                self.of_name[n] = own
                follow[n] = nxt & bound
            _close(self.of_name, follow)
        self._callers: dict | None = None
        self._of_chunk: dict = {}

    def of_chunk(self, i: int) -> set:
        """The names chunk `i` reads when it runs, itself or through what it calls.

        Positions bound what a name can hold: the value a name has at chunk `t` is what the
        chunks binding it from its last fresh binding up to `t` (its segment) made of it. So
        the names `i` reads hold what their segments at `i` made; and what a chunk `b` among
        those read, at `b` or later by code it made (until `i` runs), held a value made in
        its segment at `b` or after, up to `i`. Not the whole file (`of_name`)."""
        got = self._of_chunk.get(i)
        if got is not None:
            return got
        top = self.names[i].top_reads
        out = set(top)
        if any(self.of_name.get(m) for m in top):
            lowest: dict = {}  # name -> the earliest time it has been followed from
            work = [(m, i) for m in top if self._follows(m)]
            while work:
                m, lo = work.pop()
                if lowest.get(m, i + 1) <= lo:
                    continue
                lowest[m] = lo
                chunks = self.binders.get(m, ())
                start = self.segments.of(m, lo) if self.segments is not None else -1
                for k in range(bisect.bisect_left(chunks, start), bisect.bisect_right(chunks, i)):
                    b = chunks[k]
                    cn = self.names[b]
                    out |= cn.inner_reads & self.relevant
                    work.extend((x, b) for x in cn.reads if lowest.get(x, i + 1) > b and self._follows(x))
        self._of_chunk[i] = out
        return out

    def _follows(self, m: str) -> bool:
        """Whether what `m` holds may run code that reads names: not when every value it held
        in the last run was plain data (a tensor, a number), an assumption the caller checks
        against what the chunks that run again bind (`assumed`)."""
        if not self.of_name.get(m):
            return False
        if self.plain is not None and m in self.plain:
            self.assumed.add(m)
            return False
        return True

    def callers(self, n: str) -> set:
        """Chunks that read `n` only through what they call."""
        if self._callers is None:
            self._callers = {}
            self._top_readers: dict = {}
            for i, cn in enumerate(self.names):
                for m in cn.top_reads:
                    if self.of_name.get(m):
                        self._top_readers.setdefault(m, []).append(i)
        got = self._callers.get(n)
        if got is None:  # the chunks that read, at module level, a name whose code may read `n`
            # (from the file's names alone), of which those whose code, as it stands there, may
            got = {i for m, chunks in self._top_readers.items() if n in self.of_name[m] for i in chunks}
            got = self._callers[n] = {i for i in got if n in self.of_chunk(i)}
        return got


def _close(own: dict, follow: dict) -> None:
    """`own[n]` joined with `own[x]` of every name `x` reachable from `n` through `follow`, in
    place: the strongly connected parts of the graph (Tarjan's walk, without recursion) in
    reverse topological order, each joined once with the parts it reaches, done before it."""
    index: dict = {}
    low: dict = {}
    stack: list = []
    on: set = set()
    for root in follow:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        work = [(root, iter(follow[root]))]
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(follow[w])))
                    break
                if w in on and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                if work and low[v] < low[work[-1][0]]:
                    low[work[-1][0]] = low[v]
                if low[v] == index[v]:
                    part = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        part.append(w)
                        if w == v:
                            break
                    total = set(own[v]) if len(part) > 1 else own[v]
                    for w in part:
                        total |= own[w]
                        for x in follow[w]:
                            total |= own[x]  # (a part reached: complete; one of this part: joined here)
                    for w in part:
                        own[w] = total


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
