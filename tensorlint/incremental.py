"""Incremental analysis: after an edit, run again only the chunks whose results can change.

The parsing half (chunks, `IncrementalParser`) is `tensorlint.chunks`; which chunks an edit
touches is `tensorlint.dependencies`. This module sits above the interpreter: it runs one.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .chunks import IncrementalParser, Piece, logical_line_count, split  # noqa: F401  (the public names)
from .cstwalk import KeptParentLinks
from .dependencies import ChunkNames, chunk_names, dirty_chunks  # noqa: F401
from .feed_records import Carried, Redeclared, replaced_chunks, same_feeds, seed_placeholders
from .findings import Analysis
from .held_values import held, immutable
from .moved_results import Mover
from .incremental_state import Previous
from .textfacts import read as read_text_facts


@dataclass
class _Unit:
    findings: list  # Finding, positions as in the run that made them
    values: list  # ValueInfo
    phases: list = field(default_factory=list)  # the run's phase that made each finding (interp.ranking.finding_rank)


@dataclass
class _Plan:
    skip: set  # chunks that do not run again
    kept: dict  # new chunk index -> old index, for chunks whose tree is the same
    new_of_old: dict
    env: dict  # the names the skipped chunks bound, as the last run ended
    replay: dict  # skipped chunk -> what it bound when it last ran
    recount: dict = field(default_factory=dict)  # skipped chunk -> what it counted when it last ran
    assumed: set = field(default_factory=set)  # names the plan took to hold plain data (dependencies.dirty_chunks)
    extra: frozenset = frozenset()  # chunks run again though their text did not change (_callers_moved)
    replaced: dict = field(default_factory=dict)  # changed chunk -> the old chunk it alone replaced (`replaced_chunks`)
    repeated: set = field(default_factory=set)  # (name, chunk, value): what the plan took chunks that run to bind again
    cut: bool = True  # whether it took any (`_plan`)


class IncrementalAnalysis:
    """Analysis of one document across edits (the language server keeps one per document).
    Its results equal `tensorlint.engine.analyze` on the same text."""

    def __init__(self):
        self.parser = IncrementalParser(history=64)  # this document's chunks, and a little history for undo
        self.prev: Previous | None = None
        self.last_run: dict = {}  # for measurements: how many chunks ran again
        self._names: dict = {}  # id(module) -> (module, ChunkNames) for this document's chunks
        self._holders = None  # which of this document's trees holds each node (interp.reporting.NodeHolders)
        self._kept_lists: dict = {}  # what rules gathered from every chunk in the last run (rules._trees)
        self._parent_links = None  # the parent links of this document's trees (cstwalk.KeptParentLinks)
        self._changeable: dict = {}  # id(a chunk's bindings) -> (them, the names bound to values code can change)
        self._flagged = False  # the last text had tied flags (walked whole)

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
        from .engine import analyze as full_analyze, deep_learning_code, suppress
        from .frameworks.keras.graph import refine_placeholders
        from .interp import collected_values
        from .interp.ranking import PHASE_CHUNKS, PHASE_EVENTS, finding_rank, one_per_place

        if not deep_learning_code(text, path, config):
            self.prev = None
            return Analysis(skipped=True)
        chunks = self.parser.parse(text)
        if chunks is None:
            if not syntax_errors:
                return Analysis(syntax_error=True)
            return full_analyze(text, path, config, collect_values=collect_values)
        key = (path, config, collect_values)
        prev = self.prev if self.prev is not None and self.prev.key == key else None
        if prev is not None and not _unchanged(prev.dependencies):
            prev = None  # an imported project module changed: what it defines may differ everywhere
        # the whole text's facts the last run's rules read: when one changed, findings kept from any
        # section may rest on it (read once here, kept for the next edit below)
        facts = read_text_facts(text, prev.text_facts) if prev is not None and prev.text_facts else {}
        if prev is not None and prev.text_facts and facts != prev.text_facts:
            prev = None
        # a file whose tied flags are walked again (interp.flag_paths) is walked whole: what those
        # walks found rests on tests anywhere in the file
        from .interp.flag_paths import tied_flags

        flagged = bool(tied_flags([c.module for c in chunks], text))
        if flagged or self._flagged:
            prev = None
        self._flagged = flagged
        names = [chunk_names(c.module, self._names) for c in chunks]
        numbered = [(f, f.chunk) for f in prev.functions] if prev is not None else []
        plan = self._plan(chunks, names, prev) if prev is not None else None
        for _ in range(3):
            if plan is None:
                break
            interp = self._walk(chunks, text, path, config, collect_values, names, prev, plan)
            if not same_feeds(plan, prev, interp):  # what is fed may refine placeholders otherwise: start over
                plan = None
            elif not _still_plain(plan, interp.bound):  # the plan's assumption failed: start over
                plan = None
            elif not _repeated(plan, interp.bound):  # a value taken to be made again was not
                for f, c in numbered:
                    f.chunk = c
                plan = self._plan(chunks, names, prev, plan.extra, cut=False)
            else:
                # a function run with unknown arguments reads the module's names as they were at
                # its last call, or, never called, as they are at the end: when the chunks calling
                # it are not those of the last run, its chunk runs again (and what depends on it)
                moved = _callers_moved(prev, plan, interp, names)
                if not moved:
                    break
                for f, c in numbered:  # (the plan renumbered them)
                    f.chunk = c
                plan = self._plan(chunks, names, prev, moved | plan.extra, plan.cut)
        else:
            plan = None
        if plan is None:
            prev = None
            interp = self._walk(chunks, text, path, config, collect_values, names, None, None)
            # a TF1 program that feeds placeholders: what is fed anywhere refines the graph
            # everywhere; walked again with what is fed, as `interp.core.run` does
            fed = refine_placeholders(interp.placeholders, interp.feeds)
            if fed:
                first = interp.feed_units
                interp = self._walk(chunks, text, path, config, collect_values, names, None, None, fed)
                interp.feed_units |= first
            feed_units = set(interp.feed_units)
            feed_records = dict(interp.feed_records)
            if flagged:
                from .engine import enabled_rules
                from .interp.core import flag_walks, release

                for other in flag_walks(interp, chunks, text, path, config, enabled_rules(config, path), fed):
                    release(other)
        else:
            fed = prev.fed
            feed_units = {plan.new_of_old[j] for j in prev.feed_units if plan.new_of_old.get(j) in plan.skip}
            feed_units |= set(interp.feed_units)
            feed_records = {plan.new_of_old[j]: r for j, r in prev.feed_records.items() if plan.new_of_old.get(j) in plan.skip}
            feed_records.update(interp.feed_records)
            if interp.refed is not None:
                fed = interp.refed.fed_after(feed_records)
        skip, kept, bound = (plan.skip, plan.kept, interp.bound) if plan is not None else (set(), {}, interp.bound)
        reused_functions = interp.reused_functions
        # chunks that did not run may still hold what an imported module defined
        dependencies = set(interp.dependencies) | {p for p, _ in (prev.dependencies if prev is not None else ())}
        units: dict = {}
        for k, f in interp.findings.items():
            unit = units.setdefault(interp.units.get(k, 0), _Unit([], []))
            unit.findings.append(f)
            unit.phases.append(interp.phases.get(k, PHASE_CHUNKS))
        if collect_values:
            for info, unit in collected_values(interp, with_units=True):
                units.setdefault(unit, _Unit([], [])).values.append(info)
        if prev is not None and skip:
            mover = Mover(prev.offsets, {j: chunks[i].line_offset - prev.offsets[j] for i, j in kept.items()})
            for i in skip:
                old = prev.units.get(kept[i])
                if old is not None:
                    mine = units.setdefault(i, _Unit([], []))
                    mine.findings.extend(mover.finding(f) for f in old.findings)
                    mine.phases.extend(old.phases)
                    mine.values.extend(m for m in map(mover.value, old.values) if m is not None)
            for func, (_, found) in interp.same_events:
                unit = units.setdefault(("events", func.chunk, id(func.node)), _Unit([], []))
                unit.findings.extend(mover.finding(f) for f in found)
                unit.phases.extend(PHASE_EVENTS for _ in found)
        events = {}
        for func in [*interp.functions, *reused_functions]:
            unit = units.get(("events", func.chunk, id(func.node)))
            events[id(func.node)] = (_signature(interp.function_event(func)), list(unit.findings) if unit else [])
        self.prev = Previous(
            key, [c.module for c in chunks], [c.line_offset for c in chunks],
            {u: v for u, v in units.items() if isinstance(u, int)},
            dict(interp.module_env), bound, list(interp.functions) + reused_functions, interp.loss_marks,
            fed, feed_units, events, _stamps(dependencies),
            {k: [(item, u) for item, u in v if isinstance(u, int) or len(u) == 3] for k, v in interp.marks.items()},
            _callers(prev, plan, interp),
            feed_records,
            dict(interp.counts),
            read_text_facts(text, known=facts),
        )
        self.last_run = {"chunks": len(chunks), "ran": len(chunks) - len(skip)}
        current = {id(c.module) for c in chunks}  # forget the trees of chunks that are gone
        self._names = {k: v for k, v in self._names.items() if k in current}
        findings = one_per_place((f, finding_rank(phase, u)) for u, unit in units.items()
                                 for f, phase in zip(unit.findings, unit.phases))
        values = []
        seen_values = set()
        for u in units.values():
            for v in u.values:
                # one per place and text; the span's numbers as the key (a Span hashes through
                # three dataclass __hash__ calls, and a large file holds thousands of values)
                s = v.span
                key = (s.start.line, s.start.column, s.end.line, s.end.column, v.text) if s is not None else (v.text,)
                if key not in seen_values:
                    seen_values.add(key)
                    values.append(v)
        return Analysis(findings=suppress(findings, text), values=values, dependencies=tuple(sorted(dependencies)))

    def _plan(self, chunks, names, prev: Previous, extra: frozenset = frozenset(), cut: bool = True) -> _Plan | None:
        """Which chunks run again after an edit, and what the others hand over; None when the
        edit removed a chunk that declared or fed TF1 placeholders and put no one chunk in its
        place (then all run again; the chunks that run again are checked after their run:
        `feed_records.same_feeds`).
        `extra`: chunks (new indices) that run again as if their text had changed. `cut`: a
        chunk that runs again only because others did, and bound a name to a value every run
        makes the same (`_Repeats`), is taken to bind it so again: what reads the name does
        not run for it (`_Plan.repeated`, checked after the run)."""
        old_index = {id(m): j for j, m in enumerate(prev.modules)}
        kept: dict = {}
        last = -1
        for i, c in enumerate(chunks):  # a chunk that moved past others counts as changed
            j = old_index.get(id(c.module))
            if j is not None and j > last:
                kept[i] = last = j
        new_of_old = {j: i for i, j in kept.items()}
        replaced = replaced_chunks(kept, len(chunks), len(prev.modules))
        if not set(prev.feed_units) <= set(new_of_old) | set(replaced.values()):
            return None
        changed = (set(range(len(chunks))) - set(kept)) | set(extra)
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
        mutable = held(prev, kept, self._changeable)
        if cut:
            mutable.repeats = _Repeats(prev, kept, changed)
        assumed: set = set()
        dirty = dirty_chunks(names, changed, removed, mutable, assumed)
        skip = set(range(len(chunks))) - dirty
        for f in prev.functions:  # reused function objects now live in renumbered chunks
            f.chunk = new_of_old.get(f.chunk, -1)
        # no names to start with: the chunks that do not run hand over, at their place, what they
        # bound (`replay`); a name seeded with its final value would be seen by code that runs
        # before its first binding (a function reading a name it assigns only later, which the
        # interpreter then takes from the module)
        env: dict = {}
        replay = {i: prev.bound[kept[i]] for i in skip if kept[i] in prev.bound}
        recount = {i: prev.counts[kept[i]] for i in skip if kept[i] in (prev.counts or ())}
        return _Plan(skip, kept, new_of_old, env, replay, recount, assumed, frozenset(extra), replaced,
                     {(n, i, prev.bound[kept[i]][n]) for n, i in mutable.cut}, cut)

    def _walk(self, chunks, text, path, config, collect_values, names, prev, plan, fed=None):
        """One run of the interpreter: of every chunk, or of those `plan` does not skip."""
        from .engine import enabled_rules
        from .interp import Interpreter
        from .interp.reporting import NodeHolders

        interp = Interpreter(chunks, text, path, config, enabled_rules(config, path), collect_values,
                             fed=prev.fed if prev is not None else fed)
        if self._holders is None:
            self._holders = NodeHolders()
        interp.node_holders = self._holders
        interp.kept_lists = self._kept_lists
        if self._parent_links is None:
            self._parent_links = KeptParentLinks()
        interp.parent_links = self._parent_links
        interp.reused_functions = []
        interp.bound = {}
        interp.same_events = []
        if plan is None:
            interp.run(record=(interp.bound, [tuple(cn.binds) for cn in names]))
            return interp
        for node, kind, unit in prev.loss_marks:  # what chunks that do not run said about losses still holds
            if isinstance(unit, int) and plan.new_of_old.get(unit) in plan.skip:
                interp.loss_uses[id(node)] = kind
                interp.loss_marks.append((node, kind, plan.new_of_old[unit]))
        event_marks: dict = {}  # unit of a function event -> {key: [items]} its rules noted in the last run
        for key, noted in (prev.marks or {}).items():  # and what rules noted while they ran
            for item, u in noted:
                if not isinstance(u, int):
                    event_marks.setdefault(u, {}).setdefault(key, []).append(item)
            kept = [(item, plan.new_of_old[u]) for item, u in noted
                    if isinstance(u, int) and plan.new_of_old.get(u) in plan.skip]
            if kept:
                interp.marks[key] = kept
        # the TF1 placeholders that chunks that do not run declared: what runs may feed them
        dict.update(interp.placeholders, seed_placeholders(plan, prev))
        if prev.feed_records:
            interp.redeclared = Redeclared(plan, prev)
        if plan.replaced and prev.feed_records:  # and those a changed chunk declares, refined as before
            interp.refed = Carried(plan, prev, chunks)
        interp.reused_functions = [f for f in prev.functions if f.chunk in plan.skip]
        interp.bound = dict(plan.replay)
        interp.counts = dict(plan.recount)
        reused = {id(f.node) for f in interp.reused_functions}
        interp.same_events = []

        def same_event(func, event) -> bool:
            # a function of a chunk that does not run, used as before: its rules read its code
            # (and its class's) alone, which did not change
            old = prev.events.get(id(func.node))
            if id(func.node) not in reused or old is None or old[0] != _signature(event):
                return False
            interp.same_events.append((func, old))
            # what its rules noted then holds too (under the unit of its chunk's new place)
            noted = event_marks.get(("events", plan.kept.get(func.chunk), id(func.node)), {})
            for key, items in noted.items():
                interp.marks.setdefault(key, []).extend((item, ("events", func.chunk, id(func.node))) for item in items)
            return True

        interp.run(skip=plan.skip, env=plan.env, extra_functions=interp.reused_functions, replay=plan.replay,
                   record=(interp.bound, [tuple(cn.binds) for cn in names]), same_event=same_event,
                   counted=plan.recount)
        return interp


def _callers(prev, plan, interp) -> dict:
    """Of every function of this run, the chunks whose code called it: those that ran now, and
    those that did not run and called it in the last run (their calls were not made again)."""
    found = {k: set(v) for k, v in interp.callers.items()}
    if plan is not None and prev is not None and prev.callers:
        live = {id(f.node) for f in [*interp.functions, *interp.reused_functions]}
        for node, units in prev.callers.items():
            kept = {plan.new_of_old[u] for u in units
                    if isinstance(u, int) and plan.new_of_old.get(u) in plan.skip}
            if kept and node in live:
                found.setdefault(node, set()).update(kept)
    return found


def _callers_moved(prev, plan, interp, names) -> set:
    """The chunks (new indices) to run again because the calls of a function they hold changed:
    a function of a chunk that did not run, called in one run and not in the other, or last
    called where the module's names it reads may differ (a chunk between the two places, or the
    calling chunk that ran again, binds one); a function of a chunk that ran, called in the last
    run by a chunk that did not run (that call was not made again, so the function would run
    without its call's names)."""
    old = prev.callers or {}
    now = _callers(prev, plan, interp)
    moved: set = set()
    ran = sorted(set(range(len(names))) - plan.skip)
    kills: dict = {}
    kinds: dict = {}
    for i, cn in enumerate(names):
        for n in cn.kills:
            kills.setdefault(n, []).append(i)
        for n, k in cn.binds.items():
            kinds[n] = k if kinds.get(n) in (None, k) else "data"
    data = frozenset(n for n, k in kinds.items() if k == "data")  # (modules and definitions: `dependencies`)
    for f in interp.reused_functions:
        if f.chunk < 0:
            continue
        key = id(f.node)
        before = {plan.new_of_old.get(u, -1) if isinstance(u, int) else u for u in old.get(key, ())}
        after = now.get(key, set())
        if before == after:
            # the same callers, but a chunk that ran again before the last of them may have
            # given a name the function reads another value there (`x = x.double()` inserted
            # above `net = Net()` whose `__init__` reads the global `x`)
            if after and all(isinstance(u, int) for u in after) and _binds_before(ran, max(after), names[f.chunk].reads & data, names, kills):
                moved.add(f.chunk)
            continue
        if not before or not after or not all(isinstance(u, int) for u in before | after):
            moved.add(f.chunk)
            continue
        a, b = sorted((max(before), max(after)))
        reads = names[f.chunk].reads
        if a < 0 or any(reads.intersection(names[i].binds) for i in range(a, b + 1)):
            moved.add(f.chunk)
    for f in interp.functions:
        for u in old.get(id(f.node), ()):
            i = plan.new_of_old.get(u) if isinstance(u, int) else None
            if i in plan.skip:
                moved.add(i)
    return moved


def _binds_before(ran: list, last: int, reads: frozenset, names, kills: dict) -> bool:
    """Whether a chunk of `ran` (sorted) before `last` binds or changes in place a name of
    `reads` that no chunk between them binds afresh (`kills`: name -> sorted chunk indices)."""
    for i in ran:
        if i > last:
            return False
        cn = names[i]
        for n in reads.intersection(cn.binds).union(reads.intersection(cn.top_changes)):
            at = kills.get(n, ())
            k = bisect.bisect_right(at, i)
            if k == len(at) or at[k] >= last:
                return True
    return False


def _stamps(paths) -> tuple:
    from .project import stamp_of

    return tuple((p, stamp_of(p)) for p in sorted(paths))


def _unchanged(stamps: tuple) -> bool:
    from .project import stamp_of

    return all(stamp_of(p) == s for p, s in stamps)


def _signature(event) -> tuple:
    return (event.owner_kind, event.used_as_loss, tuple(event.params))


class _Repeats:
    """`(name, chunk)`: whether a chunk (new index) whose text did not change bound the name,
    when it last ran, to one of the values every run makes the same object (an unknown value,
    an unknown integer): run again, it most likely binds the same one."""

    def __init__(self, prev: Previous, kept: dict, changed: set):
        from .values import SOME_INT, UNKNOWN

        self.bound = prev.bound
        self.kept = kept
        self.changed = changed
        self.shared = (UNKNOWN, SOME_INT)

    def __call__(self, name: str, chunk: int) -> bool:
        if chunk in self.changed:
            return False
        got = self.bound.get(self.kept.get(chunk))
        value = got.get(name) if got else None
        return value is not None and any(value is v for v in self.shared)


def _repeated(plan: _Plan, bound: dict) -> bool:
    """Whether the chunks that ran bound, where the plan took them to, the same values again."""
    return all(i in plan.skip or bound.get(i, {}).get(n) is v for n, i, v in plan.repeated)


def _still_plain(plan: _Plan, bound: dict) -> bool:
    """Whether the chunks that ran bound the names the plan took to hold plain data to such
    values still (a value that now holds code could reach names the plan did not follow)."""
    if not plan.assumed:
        return True
    return all(immutable(v) for i, got in bound.items() if i not in plan.skip
               for n, v in got.items() if n in plan.assumed)
