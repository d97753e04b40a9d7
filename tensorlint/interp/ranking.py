"""Which finding a run reports where several were made at one place: the phases of a run and
the rank of a finding by the phase and unit that made it."""
from __future__ import annotations

from ..findings import Finding

# the parts of a run, in order: the chunks (and the functions they call), every function once
# more with unknown arguments, the per-function events, the module event, project code
PHASE_CHUNKS, PHASE_UNCALLED, PHASE_EVENTS, PHASE_PROJECT = 0, 1, 2, 3


def finding_rank(phase: int, unit) -> tuple:
    """Which of two findings at one place a run reports: the one of the earlier phase, then of
    the earlier chunk (a call with the program's own arguments says more than the same function
    run with unknown ones). A rank rests on the phase and the unit alone, not on the order the
    findings were made in, so an incremental run that keeps some chunks' findings and makes the
    others' again reports the same ones."""
    if isinstance(unit, int):
        return (phase, unit)
    chunk = unit[1] if len(unit) > 2 and isinstance(unit[1], int) else 1 << 30
    return (phase, chunk)


def one_per_place(ranked) -> list:
    """The findings to report from (finding, rank) pairs: at each place, the one of lowest rank
    (the first made among equals), sorted."""
    best: dict = {}
    for f, rank in ranked:
        k = (f.code, f.span.start.line, f.span.start.column)
        got = best.get(k)
        if got is None or rank < got[1]:
            best[k] = (f, rank)
    return sorted((f for f, _ in best.values()), key=Finding.sort_key)
