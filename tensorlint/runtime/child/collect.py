"""A buffer filled by a loop the replay runs once (a replay memory of transitions that an
environment loop stores one per pass), read later by a statement that draws more items from it
than one pass stored (`random.sample(self.buffer, batch_size)`): the loop is run on, pass after
pass, as the program itself would run it, until the statement can draw its items.

Nothing is made up: every item is one the program's own loop stored (its environment, its policy,
its transitions). What stays the check's is how many the buffer holds when the statement runs
(the program may wait for thousands), which is said in a note. The extra passes are quiet (their
events are dropped); a pass that fails, a pass budget and a time budget end the collection, and
the statement then fails as before; so does a loop whose one pass left a value unmade or made
one from made-up values (a stub's, a made-up input's), whose items would be made up too."""
from __future__ import annotations

import re
import time

# what drawing more items than a sequence holds raises (random, NumPy, torch)
TOO_FEW = re.compile(
    r"sample larger than population|larger sample than population|cannot choose from an empty sequence"
    r"|empty range (?:for|in) randrange|^high <= 0|^low >= high|cannot be empty unless no samples are taken"
    r"|must be greater than 0 unless no samples are taken|expects 'from' to be less than 'to'",
    re.IGNORECASE)
MOST_PASSES = 4096
MOST_SECONDS = 15.0


class Quiet:
    """An events file that keeps what the extra passes say, instead of writing it."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.lines.append(text)

    def flush(self) -> None:
        pass

    def failed(self) -> bool:
        return any('"setup_error"' in ln or '"status": "error"' in ln or '"exit"' in ln for ln in self.lines)


def too_few(exc: BaseException) -> bool:
    return isinstance(exc, (ValueError, IndexError, RuntimeError)) and bool(TOO_FEW.search(str(exc).strip()))


def collect_more(driver, exc: BaseException, line: int, tainted: dict, scope, retry) -> bool:
    """Run on the loop that left a name the failed statement reads partly made, and retry the
    statement after 1, 2, 4... more passes; True when it then ran (its failure is gone)."""
    if not too_few(exc):
        return False
    keys = {v["loop"] for v in tainted.values() if isinstance(v.get("loop"), int)}
    if len(keys) != 1:
        return False
    key = keys.pop()
    unit, inner, unreal = driver.loops_run[key]
    if unreal:  # its one pass left a value unmade, or made one from made-up values
        return False
    events, quiet = driver.events, Quiet()
    passes, next_try, started = 0, 1, time.monotonic()
    ran = False
    driver.events = quiet
    try:
        while passes < MOST_PASSES and time.monotonic() - started < MOST_SECONDS and not driver.stopped:
            driver.run_units(unit["body"], inner)
            passes += 1
            if quiet.failed():
                break
            if passes < next_try:
                continue
            next_try *= 2
            driver.events = events
            try:
                retry()
            except Exception as again:  # noqa: BLE001 - the program's own code
                if too_few(again):
                    driver.events = quiet
                    continue
                break
            ran = True
            break
    finally:
        driver.events = events
    if not ran:
        return False
    names = sorted(n for n, v in tainted.items() if v.get("loop") == key)
    for name in names:
        scope.synthetic.pop(name, None)
    driver.emit("note", message=(
        f"line {line} draws more items than one pass of the loop at line {unit['line']} stored, so that loop was run "
        f"on for {passes} more pass(es), as the program runs it, until this line could draw them: each item is one the "
        "program's own loop stored; how many the program would store first is not checked"))
    return True
