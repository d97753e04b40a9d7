"""A program that read a table the check made up (child/data_files.py) is run twice, with other
rows and values the second time: an error of the first run stands as the program's only when the
second run raises it too, at the same line, with a message that differs by the chosen rows alone.
Otherwise it depends on what the check chose, and is said so instead."""
from __future__ import annotations

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
        first.events.append({"event": "other_data_fails", "message": (
            f"the run with other made-up rows and values for {files} (not here) did not finish, so nothing that ran "
            "on that table is known to be the program's")})
    for other in others:  # what the other rows and values make fail: the program is not known to run
        if not any(alike(event, other, rows) for event in ours):
            err = other.get("error") or {}
            first.events.append({"event": "other_data_fails", "message": (
                f"line {other.get('line')}: with other made-up rows and values for {files} (not here), it fails: "
                f"{err.get('type')}: {(err.get('message') or '').splitlines()[0][:200] if err.get('message') else ''}")})
    for event in ours:
        if any(alike(event, o, rows) for o in others):
            event["data_checked"] = True
            continue
        why = (f"it depends on the table the check made up for {files} (not here): run again with other rows and "
               "values, it does not raise the same error there")
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
