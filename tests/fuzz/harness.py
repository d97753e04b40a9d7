"""Run one input through the engine and the incremental analysis under a time limit.

`check(text, before=...)` returns a list of problems (empty when all is well): an exception
raised by `tensorlint.engine.analyze` or by `IncrementalAnalysis.analyze`, or a run longer
than the limit. `before` is an earlier text the incremental analysis sees first, as the
language server does when a document is edited; the edit then goes through the reuse path.
The limit is a SIGALRM timer, so it works on the main thread of a POSIX process only.
"""
from __future__ import annotations

import signal
import traceback
from contextlib import contextmanager

from tensorlint.config import Config
from tensorlint.engine import analyze
from tensorlint.incremental import IncrementalAnalysis

CONFIG = Config(select=("ALL",))
LIMIT_S = 10.0
PATH = "fuzz_input.py"


class Hang(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    def expire(signum, frame):
        raise Hang(f"still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _run(label: str, call, problems: list[str], limit: float) -> None:
    try:
        with time_limit(limit):
            call()
    except Hang as err:
        problems.append(f"{label}: hang: {err}")
    except BaseException as err:  # noqa: BLE001 - any escape is what the fuzzer looks for
        if isinstance(err, KeyboardInterrupt):
            raise
        problems.append(f"{label}: {type(err).__name__}: {err}\n{traceback.format_exc()}")


def check(text: str, before: str | None = None, limit: float = LIMIT_S, compare: bool = False) -> list[str]:
    """`compare`: also report when the incremental analysis finds other findings than the
    whole-file one (code, line, column), which the language server would then show."""
    problems: list[str] = []
    results = {}

    def whole():
        results["whole"] = analyze(text, PATH, CONFIG)

    def incremental():
        inc = IncrementalAnalysis()
        if before is not None:
            inc.analyze(before, PATH, CONFIG)
        results["incremental"] = inc.analyze(text, PATH, CONFIG)

    _run("engine.analyze", whole, problems, limit)
    _run("IncrementalAnalysis.analyze", incremental, problems, limit)
    if compare and len(results) == 2:
        a, b = (sorted((f.code, f.span.start.line, f.span.start.column) for f in r.findings)
                for r in (results["whole"], results["incremental"]))
        if a != b:
            problems.append(f"incremental differs: whole-file {a}, incremental {b}")
    return problems
