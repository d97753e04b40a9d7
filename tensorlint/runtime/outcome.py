"""From the events the check process wrote to a report: what ran, what failed, and the verdict
(errors, problems, could-not-check, ok)."""
from __future__ import annotations

import signal

from .report import (
    EXTRAS, Report, call_diagnostics, error_place, first_line, is_root, made_up, shape_text, stub_error, summary,
)


def build(path: str, raw, kept_lines: list[int], timeout: float, python: str) -> Report:
    events = raw.events
    report = Report(path=path, status="ok", message="", python=python, duration=raw.duration,
                    kept_lines=kept_lines, hang_lines=raw.hang_lines, output=(raw.stdout or "")[-4000:],
                    isolation={k: v for k, v in getattr(raw, "isolation", {}).items()})
    done = False
    exit_event = None
    last_line = None
    for ev in events:
        kind = ev.get("event")
        if kind == "missing":
            name, package = EXTRAS.get(ev.get("framework"), (ev.get("framework"), ev.get("framework")))
            report.status = "missing-framework"
            report.message = (f"{name} is not installed for {ev.get('python')}: install it there with "
                              f"`{ev.get('python')} -m pip install {package}` (or point --python at an "
                              f"interpreter that has it)")
            return report
        if kind == "fatal":
            report.status, report.message = "failed", ev.get("message", "")
            return report
        if kind == "frameworks":
            report.versions = ev.get("versions", {})
        elif kind == "device":
            report.device = {k: v for k, v in ev.items() if k != "event"}
        elif kind == "setup_error":
            report.setup_errors.append(ev)
        elif kind == "call":
            report.calls.append({k: v for k, v in ev.items() if k != "event"})
        elif kind == "phase":
            last_line = ev.get("line")
        elif kind == "exit":
            exit_event = ev
            if ev.get("during") == "setup" and "required" in str(ev.get("why") or ""):
                report.required_args = list(ev.get("required") or [])
        elif kind == "synthetic":
            shapes = ", ".join(f"{k} {shape_text({'shape': v})}" for k, v in (ev.get("shapes") or {}).items())
            report.notes.append(f"line {ev.get('line')}: {ev.get('what')} gave synthetic data ({shapes}): "
                                "the check has no network and no data files")
        elif kind == "stub":
            report.stubs.append({"module": ev.get("module"), "line": ev.get("line")})
            report.notes.append(f"line {ev.get('line')}: `{ev.get('module')}` cannot be imported (not installed for the "
                                "check's interpreter, nor beside the program): a stub without values stood in for it; "
                                "the check goes on only while none of its values reaches a model, a loss or their inputs")
        elif kind == "batch_softmax":  # a softmax over the batch axis of a forward pass's output
            for c in report.calls:
                if c.get("id") == ev.get("call"):
                    c.setdefault("batch_softmax", []).append({k: v for k, v in ev.items() if k not in ("event", "call")})
        elif kind == "never_called":  # layers of a trained model that no call of the run built
            for c in report.calls:
                if c.get("id") == ev.get("call"):
                    c["never_called"] = ev.get("layers") or []
        elif kind == "stand_in":
            report.notes.append(f"line {ev.get('line')}: {ev.get('message')}")
        elif kind == "note":
            report.notes.append(ev.get("message", ""))
        elif kind == "data_gap":
            report.data_gaps.append(ev.get("message", ""))
        elif kind == "done":
            done = True
    if raw.cancelled:
        report.status = "failed"
        report.message = "cancelled: the run was stopped" + (f" while running line {last_line}" if last_line else "")
        return report
    if raw.timed_out:
        line = raw.hang_lines[0] if raw.hang_lines else last_line
        report.hang_lines = raw.hang_lines or ([line] if line else [])
        report.status = "timeout"
        report.message = f"stopped after {timeout:g} s" + (f" while running line {line}" if line else "") + \
            " (raise --timeout if the model is just slow)"
        return report
    if exit_event is not None and exit_event.get("during") != "setup":
        report.status = "exited"
        report.hang_lines = [exit_event.get("line")]
        report.message = f"the file calls sys.exit({exit_event.get('code')}) at line {exit_event.get('line')}; nothing after it ran"
        return report
    if not done and exit_event is None:
        rc = raw.returncode
        line = raw.hang_lines[0] if raw.hang_lines else last_line
        report.hang_lines = [line] if line else []
        if rc is not None and rc < 0:
            try:
                name = signal.Signals(-rc).name
            except ValueError:
                name = f"signal {-rc}"
            why = " (probably out of memory)" if name == "SIGKILL" else ""
            report.message = f"the check process was killed by {name}{why}" + (f" while running line {line}" if line else "")
        else:
            report.message = f"the check process exited with status {rc} before finishing" + (f" (last at line {line})" if line else "")
            tail = first_line("\n".join((raw.stderr or "").strip().splitlines()[-3:]))
            if tail:
                report.message += f": {tail}"
        report.status = "crashed"
        return report
    settle(report, exit_event)
    return report


def settle(report: Report, exit_event: dict | None = None) -> None:
    """The verdict of a run that finished: the program's errors first, then the problems found,
    then what the check could not get to; "ok" only when every call ran on the program's data."""
    made = {c.get("id") for c in report.calls if made_up(c)}
    for c in report.calls:  # a loss on the output of a made-up input: its values are the check's
        if c.get("forward") in made:
            c["on_made_up_input"] = True
    failed = [c for c in report.calls if c.get("status") == "error" and not c.get("synthesized_input")
              and not stub_error(c)]
    user_setup = [e for e in report.setup_errors if e.get("blame") == "user"]
    ran = [c for c in report.calls if c.get("status") == "ok"]
    gaps = could_not_check(report, exit_event)
    if failed or user_setup:
        report.status = "errors"
        if failed:
            c = failed[0]
            err = c.get("error") or {}
            report.message = (f"{len(failed) + len(user_setup)} error(s); first: {err.get('type')} at "
                              f"{error_place(err, c.get('line'))}: {summary(err)}")
        else:
            e = user_setup[0]
            report.message = (f"{len(user_setup)} error(s); first: {e['error'].get('type')} at line {e.get('line')}: "
                              f"{summary(e['error'])}")
        return
    problems = [d for c in report.calls for d in call_diagnostics(c) if d.kind in ("loss", "gradient", "layer")]
    if problems:
        report.status = "problems"
        report.message = f"{len(ran)} call(s) ran without error, but {len(problems)} problem(s): " + \
            "; ".join(f"line {d.line}: {d.message}" for d in problems[:3])
        return
    if gaps:
        report.status = "could-not-check"
        done = f"{len(ran)} call(s) ran without error; " if ran else ""
        report.message = f"{done}could not check: {gaps[0]}" + (f" (and {len(gaps) - 1} more)" if len(gaps) > 1 else "")
        return
    if not ran:
        report.status = "could-not-check"
        report.message = "could not check: no model was run: the file calls no model and none could be given an input"
        if report.stubs:
            report.message += " (stubs stood in for " + ", ".join(f"`{s.get('module')}`" for s in report.stubs[:3]) + \
                ", which it imports)"
        if report.calls:
            report.message = "could not check: no model was run: " + "; ".join(c.get("reason", "") for c in report.calls)
        return
    report.status = "ok"
    report.message = f"{len(ran)} call(s) ran without error"


def could_not_check(report: Report, exit_event: dict | None) -> list[str]:
    """Why parts of the program were not checked: its setup failed for want of something the
    check does not have, or a model ran only on an input the check made up."""
    gaps: list[str] = []
    uncalled: list[str] = []  # models nothing the run reached called (see below)

    def root_text(root: dict | None) -> str | None:
        if not root:
            return None
        why = f" ({root['why']})" if root.get("why") else ""
        return f"line {root.get('line')} `{root.get('what', '')}` failed: {root.get('error', '')}{why}"

    if exit_event is not None:
        why = exit_event.get("why")
        gaps.append(f"the program exits with sys.exit({exit_event.get('code')}) at line {exit_event.get('line')} "
                    "while it is set up" + (f": its argument parser says \"{why}\" (give the program's "
                                           "arguments with --args)" if why else ""))
    for c in report.calls:
        if stub_error(c):
            gaps.append(f"line {c.get('line')}: {summary(c.get('error') or {})}")
        elif c.get("status") == "skipped":
            text = root_text(c.get("root")) or root_text((c.get("input_error") or {}).get("root"))
            if text is None and "could not be built" in (c.get("reason") or ""):
                text = f"line {c.get('line')}: {c.get('reason')}"
            if text is None and not any(x.get("status") == "error" for x in report.calls):
                text = f"line {c.get('line')}: {c.get('reason')}"
            if text:
                gaps.append(text)
        elif c.get("probe") and c.get("synthesized_input"):
            # an uncalled function run to reach a line that raises whatever the values (probes.py):
            # what it did on the check's arguments says nothing of the program
            err = c.get("error") or {}
            did = f"it failed with {err.get('type')} at line {err.get('line')}: {summary(err)}" \
                if c.get("status") == "error" else "it ran without error"
            uncalled.append(f"the file calls no model: line {c.get('line')}: `{c.get('model')}` is called by no line of the "
                            f"file; called on arguments the check made up ({c['synthesized_input']}), {did}, which "
                            "depends on those arguments")
        elif made_up(c):
            err = c.get("input_error") or {}
            text = root_text(err.get("root")) or f"line {c.get('line')}: its input could not be built: {err.get('type')}: {summary(err)}"
            gaps.append(f"{text}; the model ran on a made-up input {c['synthesized_input']}")
        elif c.get("status") == "ok" and c.get("input_from"):
            made = c["input_from"]
            gaps.append(f"line {c.get('line')}: its input is computed from `{made.get('name')}`, which "
                        f"{made.get('reason')} (line {made.get('line')})")
        elif c.get("status") == "ok" and c.get("guessed_input"):
            # a model the program never calls, run on an input its first layer suggests: its
            # shapes are shown, but they say nothing of the program's own input; where the
            # program's own calls ran, they are what the verdict stands on
            if c.get("library"):
                uncalled.append(f"the file calls no model: line {c.get('line')}: `{c.get('model')}` is built by no line of "
                                f"the file; built {c.get('built_with') or 'with its defaults'}, it ran only on an input the check made up "
                                f"({c['synthesized_input']})")
            elif not any(not x.get("guessed_input") for x in report.calls):
                # after the failed lines that may be why nothing called it (a loop over a missing file)
                never = ("the file calls no model: " if not report.setup_errors else "") + \
                    f"line {c.get('line')}: `{c.get('model')}` is " + ("never called" if not report.setup_errors else
                                                                      "called by no line that ran") + \
                    f"; it ran only on an input the check made up ({c['synthesized_input']}): give its input with " \
                    f"--input {c.get('model')}=SHAPE"
                uncalled.append(never)
        elif c.get("status") == "error" and c.get("synthesized_input"):
            err = c.get("error") or {}
            gaps.append(f"line {c.get('line')}: the model fails on the input the check made up ({c['synthesized_input']}): "
                        f"{err.get('type')}: {summary(err)}")
    # a model run only on an input the check guessed (nothing it reached called it) does not stand
    # for the program's own calls, which the failed lines kept it from
    if not any(c.get("status") == "ok" and not c.get("synthesized_input") for c in report.calls):
        roots = [e for e in report.setup_errors if e.get("blame") != "user" and is_root(e)]
        # the failures most of the rest depends on first
        depends = {}
        for e in report.setup_errors:
            key = (e.get("root") or {}).get("line")
            depends[key] = depends.get(key, 0) + 1
        roots.sort(key=lambda e: -depends.get(e.get("line"), 0))
        gaps += [root_text(e.get("root")) or f"line {e.get('line')}: {summary(e.get('error') or {})}" for e in roots[:3]]
        if report.calls or roots:  # with nothing that failed and no call, a stub stopped nothing
            gaps += [f"line {s.get('line')}: `{s.get('module')}` cannot be imported: a stub without values stood in for it"
                     for s in report.stubs]
    gaps += report.data_gaps
    seen: list[str] = []
    for g in gaps + uncalled:
        if g not in seen:
            seen.append(g)
    return seen
