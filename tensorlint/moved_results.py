"""Moving what a kept chunk found (findings, their fixes and related places, hover values) to
where the chunk stands after an edit above it (`tensorlint.incremental`)."""
from __future__ import annotations

import bisect
import re

from .findings import Finding, Related, Span, ValueInfo

_LINE_REF = re.compile(r"\bline (\d+)")


class Mover:
    """Moves positions of a kept chunk's results to where the chunk is now."""

    def __init__(self, old_offsets, delta_by_old):
        self.old_offsets = old_offsets
        self.delta_by_old = delta_by_old
        moved = [j for j, d in delta_by_old.items() if d]
        # lines up to this one are where they were (the usual case: all lines before the edit)
        self.still = old_offsets[min(moved)] if moved and min(moved) > 0 else (-1 if moved else 1 << 62)
        self.moved: dict = {}  # id(span) -> (span, where it is now): values share their origins
        # lines past this one all move alike (the usual case: every chunk after the edit moves by
        # the lines it added): their delta without a search for their chunk
        self.tail, self.tail_delta = 1 << 62, 0
        last = len(old_offsets) - 1
        if last >= 0 and last in delta_by_old:
            t, d = last, delta_by_old[last]
            while t > 0 and delta_by_old.get(t - 1) == d:
                t -= 1
            self.tail, self.tail_delta = old_offsets[t], d
        # the old chunks that were not kept (edited or gone): what a kept chunk's run left inside
        # them (a value of a function body it called) stands at a place that no longer holds it
        self.gone = {j for j in range(len(old_offsets)) if j not in delta_by_old}
        self.first_gone = old_offsets[min(self.gone)] if self.gone else 1 << 62

    def _delta(self, line: int) -> int:
        if line <= self.still:
            return 0
        if line > self.tail:
            return self.tail_delta
        # the old chunk holding this line: the last whose offset is below it
        j = bisect.bisect_left(self.old_offsets, line) - 1
        return self.delta_by_old.get(max(j, 0), 0)

    def span(self, s: Span | None) -> Span | None:
        if s is None:
            return None
        start = s.start
        if start.line <= self.still:
            return s
        got = self.moved.get(id(s))
        if got is not None and got[0] is s:
            return got[1]
        d = self._delta(start.line)
        new = Span.of(start.line + d, start.column, s.end.line + d, s.end.column) if d else s
        self.moved[id(s)] = (s, new)
        return new

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

    def in_gone_chunk(self, line: int) -> bool:
        return line > self.first_gone and max(bisect.bisect_left(self.old_offsets, line) - 1, 0) in self.gone

    def value(self, v):
        """`v` where it is now; None where it stood inside a chunk that was not kept (the chunk's
        own run says what is there now)."""
        still, span, origin = self.still, v.span, v.origin
        if span is not None and self.in_gone_chunk(span.start.line):
            return None
        if span is not None and span.start.line <= still and (origin is None or origin.start.line <= still):
            return v  # (the usual value before the edit, in one test)
        span, origin = self.span(span), self.span(origin)
        if span is v.span and origin is v.origin:
            return v  # (values are not changed in place: the same one serves)
        if type(v) is ValueInfo:
            return ValueInfo(span, v.text, origin)
        from dataclasses import replace as dc_replace

        return dc_replace(v, span=span, origin=origin)

