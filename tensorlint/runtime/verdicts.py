"""Static findings judged by what happened when the program ran: confirmed, refuted, or not
exercised (the run did not get to their line, or says nothing about their kind)."""
from __future__ import annotations

from ..findings import Finding
from .fact_texts import trains_updated_elsewhere
from .report import (
    CONFIRMED, NOT_EXERCISED, REFUTED, Report, Verdict, call_diagnostics, dtype_text, error_place, shape_text, stub_error,
    summary,
)

# static codes a framework error at the same line confirms (and the line's call running without
# error refutes: each is a dtype or a shape that raises on whatever values the run gives it)
ERROR_CODES = frozenset({"TL101", "TL102", "TL103", "TL104", "TL105", "TL106", "TL108", "TL114", "TL201", "TL202", "TL203", "TL204",
                         "TL206", "TL207", "TL208", "TL209", "TL210", "TL211", "TL212", "TL302", "TL303", "TL306", "TL410",
                         "TL441"})
# static codes a framework error at the same line confirms, but whose line running without error
# does not refute: the error needs values (an index past a table, a class id past the classes)
# or a second pass of a loop (a graph freed by the first backward) that one replayed step may not give
CONFIRM_ONLY_CODES = frozenset({"TL213", "TL214", "TL215", "TL222", "TL224", "TL225", "TL329", "TL420", "TL434", "TL443"})
# static codes a gradient or loss fact found at run time at the same line confirms
GRADIENT_CODES = frozenset({"TL304", "TL305", "TL402", "TL405", "TL411", "TL412", "TL413", "TL414"})

# static codes a layer fact found at run time at the same line confirms: code -> words of that fact
LAYER_CODES = {"TL218": "reads its input as channels", "TL219": "the batch axis of the output",
               "TL305": "softmax over an axis of size 1"}
# static codes a loss fact found at run time at the same line confirms: code -> words of that fact
LOSS_CODES = {"TL316": "computed from the output it is given", "TL328": "must lie in [0, 1]"}


def judge(findings: list[Finding], report: Report) -> list[Verdict]:
    return [judge_one(f, report) for f in findings]


def _finding_lines(f: Finding) -> set[int]:
    lines = {f.span.start.line, f.span.end.line}
    lines.update(r.span.start.line for r in f.related)
    return lines


def on_check_values(c: dict) -> bool:
    """The call ran on an input the check made up, on the output of one, or on data made up for
    files that are not here: how its loss answered other targets or which gradients were zero is
    the made-up values', never evidence of the program. (An error on made-up data is the program's
    only where two runs with other made-up values raised it alike, and then it has no
    `synthesized_input`: runtime/data_runs.py.)"""
    return bool(c.get("synthesized_input")) or bool(c.get("on_made_up_input"))


def judge_one(f: Finding, report: Report) -> Verdict:
    v = Verdict(code=f.code, line=f.line, message=f.message, verdict=NOT_EXERCISED)
    lines = _finding_lines(f)
    if f.code in ERROR_CODES or f.code in CONFIRM_ONLY_CODES:
        for c in report.calls:
            err = c.get("error") or {}
            err_lines = {c.get("line"), err.get("line")} | {fr["line"] for fr in err.get("frames") or []}
            if c.get("status") == "error" and not stub_error(c) and not c.get("synthesized_input") and lines & err_lines:
                v.verdict = CONFIRMED
                v.evidence = f"{err.get('type')} at {error_place(err, c.get('line'))}: {summary(err)}"
                return v
        for e in report.setup_errors:
            err = e.get("error") or {}
            if e.get("blame") == "user" and lines & ({e.get("line")} | {fr["line"] for fr in err.get("frames") or []}):
                v.verdict = CONFIRMED
                v.evidence = f"{err.get('type')} at line {e.get('line')}: {summary(err)}"
                return v
        for c in report.calls if f.code in ERROR_CODES else ():
            if c.get("status") == "ok" and c.get("line") in lines and not c.get("synthesized_input"):
                v.verdict = REFUTED
                v.evidence = f"line {c['line']} ran without error" + (
                    f": output {shape_text(c.get('output'))} {dtype_text(c.get('output'))}" if c.get("kind") == "forward" else "")
                return v
        return v
    if f.code in GRADIENT_CODES:
        for c in report.calls:
            # on the check's values, only what no value decides (a parameter without any gradient)
            for d in call_diagnostics(dict(c, on_made_up_input=True) if on_check_values(c) else c):
                if d.line in lines and (d.kind in ("gradient", "loss") or (d.kind == "layer" and LAYER_CODES.get(f.code, "\0") in d.message)):
                    v.verdict = CONFIRMED
                    v.evidence = f"line {d.line}: {d.message}"
                    return v
        for c in report.calls:
            grads = c.get("gradients") or {}
            if c.get("kind") == "loss" and c.get("status") == "ok" and c.get("line") in lines and "zero" in grads \
                    and not c.get("metric") and not on_check_values(c) \
                    and not grads.get("no_grad") and not grads.get("zero") and f.code in ("TL305", "TL402", "TL413"):
                v.verdict = REFUTED
                v.evidence = f"line {c['line']}: all {grads.get('parameters')} parameters get a non-zero gradient"
                return v
        return v
    if f.code in LAYER_CODES or f.code in LOSS_CODES:
        kind, words = ("layer", LAYER_CODES[f.code]) if f.code in LAYER_CODES else ("loss", LOSS_CODES[f.code])
        for c in report.calls:
            for d in call_diagnostics(c):
                if d.kind == kind and d.line in lines and words in d.message:
                    v.verdict = CONFIRMED
                    v.evidence = f"line {d.line}: {d.message}"
                    return v
        return v
    if f.code == "TL205":
        return judge_broadcast(v, lines, report)
    if f.code == "TL221":
        return judge_python_list(v, lines, report)
    if f.code == "TL506":
        confirm_by_call(v, lines, report, "fed_targets", lambda c: (
            f"line {c['line']}: {c.get('text')} was given rows of the array whose other rows are the targets of the "
            f"fit at line {c['fed_targets'].get('fit_line')}"))
        return v
    if f.code == "TL444":  # what the graph's gradients reach: no value of the run decides it
        confirm_by_call(v, lines, report, "trains_updated_elsewhere", trains_updated_elsewhere)
        return v
    if f.code == "TL301":
        for c in report.calls:
            check = c.get("target_check") or {}
            span = c.get("lines") or []
            near = c.get("line") in lines or (span and any(span[0] <= ln <= span[1] for ln in lines))
            if c.get("kind") == "loss" and check.get("done") and near and not c.get("metric") and not on_check_values(c):
                if check["unchanged"]:
                    v.verdict = CONFIRMED
                    v.evidence = f"line {c['line']}: the loss stays {check['before']:.6g} when the targets change"
                else:
                    v.verdict = REFUTED
                    v.evidence = f"line {c['line']}: the loss changes with the targets ({check['before']:.6g} → {check['after']:.6g})"
                return v
        return v
    if f.code == "TL401":
        for c in report.calls:
            for p in c.get("probes") or []:
                span = p.get("lines") or [0, -1]
                if "unchanged" in p and any(span[0] <= ln <= span[1] for ln in lines):
                    if p["unchanged"]:
                        v.verdict = CONFIRMED
                        v.evidence = f"{p['layer']} ({p['type']}) returns the same output for two different inputs"
                    else:
                        v.verdict = REFUTED
                        v.evidence = f"{p['layer']} ({p['type']}) output changes with its input"
                    return v
        return v
    return v


def judge_broadcast(v: Verdict, lines: set[int], report: Report) -> Verdict:
    """TL205 (a loss that broadcasts its input against its target): confirmed where PyTorch's
    elementwise loss broadcast them to more elements than either holds (child/broadcasts.py),
    refuted where such a torch loss ran at the line on the program's own input and target of one
    shape (one side alone broadcast against the other may be what the finding says). A
    Keras loss or a hand-written one (`((a - b) ** 2).mean()`) raises nothing either way."""
    for c in report.calls:
        err = c.get("error") or {}
        err_lines = {c.get("line"), err.get("line")} | {fr["line"] for fr in err.get("frames") or []}
        if c.get("status") == "error" and err.get("type") == "LossBroadcastError" and lines & err_lines \
                and not c.get("synthesized_input"):
            v.verdict = CONFIRMED
            v.evidence = f"line {err.get('line') or c.get('line')}: {summary(err)}"
            return v
    for e in report.setup_errors:
        err = e.get("error") or {}
        if e.get("blame") == "user" and err.get("type") == "LossBroadcastError" \
                and lines & ({e.get("line")} | {fr["line"] for fr in err.get("frames") or []}):
            v.verdict = CONFIRMED
            v.evidence = f"line {err.get('line') or e.get('line')}: {summary(err)}"
            return v
    for c in report.calls:
        operands = c.get("elementwise_operands")
        same = bool(operands) and len(operands) == 2 and isinstance(operands[0], dict) and isinstance(operands[1], dict) \
            and operands[0].get("shape") is not None and operands[0].get("shape") == operands[1].get("shape")
        if c.get("kind") == "loss" and c.get("status") == "ok" and c.get("line") in lines and same \
                and not c.get("synthesized_input") and not c.get("on_made_up_input"):
            v.verdict = REFUTED
            v.evidence = f"line {c['line']}: {c.get('text')} ran on an input and a target of one shape, {shape_text(operands[0])}"
            return v
    return v


def judge_python_list(v: Verdict, lines: set[int], report: Report) -> Verdict:
    """TL221 (a Python list of numbers given to a Keras model's fit, predict...): confirmed where
    the call at the line was given such a list under Keras 3, which refuses it (the run read it as
    one array, as Keras 2 did, to go on: child/keras2.py), refuted where the call ran there on the
    program's own inputs and targets and none of them was such a list."""
    keras = report.versions.get("keras") or "3"
    if confirm_by_call(v, lines, report, "python_lists", lambda c: (
            f"line {c['line']}: the {' and '.join(c['python_lists'])} of {c.get('text')} are a list of numbers, which "
            f"Keras {keras} refuses (ValueError: Unrecognized data type)")):
        return v
    for c in report.calls:
        if c.get("kind") == "forward" and c.get("method") and c.get("line") in lines and c.get("status") == "ok" \
                and not c.get("synthesized_input") and not c.get("input_error"):
            v.verdict = REFUTED
            v.evidence = f"line {c['line']}: {c.get('text')} ran on arrays, not on a list of numbers"
            return v
    return v


def confirm_by_call(v: Verdict, lines: set[int], report: Report, fact: str, evidence) -> bool:
    """Confirms `v` by the first call at one of `lines` whose record holds `fact` (a key the
    driver sets); `evidence(call)` says what it saw. Whether it did."""
    for c in report.calls:
        if c.get("line") in lines and c.get(fact):
            v.verdict = CONFIRMED
            v.evidence = evidence(c)
            return True
    return False
