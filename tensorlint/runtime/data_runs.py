"""A program that read a table the check made up (child/data_files.py) is run twice, with other
rows and values the second time: an error of the first run stands as the program's only when the
second run raises it too, at the same line, with a message that differs by the chosen rows alone.
Otherwise it depends on what the check chose, and is said so instead."""
from __future__ import annotations

import re
from dataclasses import replace

from .child.library import same_error


def substituted(raw) -> list[dict]:
    return [e for e in raw.events if e.get("event") == "substituted"]


def errors(raw) -> list[dict]:
    """The events that make errors of the program's: failed calls and setup errors blamed on it."""
    return [e for e in raw.events if (e.get("event") == "call" and e.get("status") == "error")
            or (e.get("event") == "setup_error" and e.get("blame") == "user")]


def twice(path: str, sliced, options, execute):
    """The first run's events, with each error the second run does not repeat put on the check."""
    first = execute(path, sliced, options)
    made = substituted(first)
    if not made or first.timed_out or first.cancelled:
        return first
    second = execute(path, sliced, replace(options, data_choice=1))
    rows = {(a.get("rows"), b.get("rows")) for a, b in zip(made, substituted(second))}
    others = errors(second) if not (second.timed_out or second.cancelled) else []
    files = ", ".join(sorted({f"`{e.get('file')}`" for e in made}))
    ours = errors(first)
    if second.timed_out or second.cancelled or not any(e.get("event") == "done" for e in second.events):
        first.events.append({"event": "data_gap", "message": (
            f"the run with other made-up rows and values for {files} (not here) did not finish, so nothing that ran "
            "on that table is known to be the program's")})
    for other in others:  # what the other rows and values make fail: the program is not known to run
        if not any(alike(event, other, rows) for event in ours):
            err = other.get("error") or {}
            first.events.append({"event": "data_gap", "message": (
                f"line {other.get('line')}: with other made-up rows and values for {files} (not here), it fails: "
                f"{err.get('type')}: {(err.get('message') or '').splitlines()[0][:200] if err.get('message') else ''}")})
    # its shapes are the program's, its values are not: what they decide stays unchecked, so a run
    # that finds nothing is not "ok"
    if all(e.get("kind") == "images" for e in made):
        what = (f"the images read from {files} (not here) were made up of the size the program fixes; "
                "their count, classes and values are the check's")
    else:
        what = f"the table read from {files} (not here) was made up of the columns the program reads; its values are the check's"
    first.events.append({"event": "data_gap", "message": (
        f"{what}, so what depends on them (gradients, label ranges, the loss's response to its targets) was not checked")})
    calls = [e for e in second.events if e.get("event") == "call"]
    for event in first.events:
        if event.get("event") != "call":
            continue
        # what the values decide (a loss deaf to its targets, an all-zero gradient) says nothing of the
        # program's data here, nor do targets outside [0, 1] unless the other values leave them there too
        event["on_made_up_input"] = True
        if event.get("target_range") and not any(c.get("line") == event.get("line") and c.get("target_range")
                                                 for c in calls):
            event.pop("target_range")
    for event in ours:
        if any(alike(event, o, rows) for o in others) and not row_bound(path, sliced, options, execute, event, rows):
            event["data_checked"] = True
            continue
        why = (f"it depends on the {'images' if all(e.get('kind') == 'images' for e in made) else 'table'} the check "
               f"made up for {files} (not here): run again with other rows and values, it does not raise the same error there")
        if event["event"] == "call":
            event["synthesized_input"] = why
        else:
            event["blame"] = "check"
            event["why"] = why
            event["root"] = dict(event.get("root") or {}, why=why)
    return first


def alike(event: dict, other: dict, rows: set) -> bool:
    return other.get("event") == event.get("event") and other.get("line") == event.get("line") \
        and same_error(event.get("error") or {}, other.get("error") or {}, rows)


NUMBER = re.compile(r"(?<![\w.])\d+(?![\w.])")
MOST_ROWS = 3


def row_bound(path: str, sliced, options, execute, event: dict, rows: set) -> bool:
    """Whether the error goes away when the table has as many rows as a size its message names (`y`
    of 16 samples against the table's rows: any other count fails alike, so two runs agree): the
    file's real row count is unknown, so such an error is not the program's."""
    chosen = {n for pair in rows for n in pair}
    message = (event.get("error") or {}).get("message") or ""
    sizes = []
    for text in NUMBER.findall(message):
        n = int(text)
        if 2 <= n <= 100000 and n not in chosen and n not in sizes:
            sizes.append(n)
    for n in sizes[:MOST_ROWS]:
        run = execute(path, sliced, replace(options, data_rows=n))
        if run.timed_out or run.cancelled or not any(alike(event, o, {(next(iter(chosen)), n)}) or
                                                     (o.get("event") == event.get("event") and o.get("line") == event.get("line"))
                                                     for o in errors(run)):
            return True
    return False
