"""The result of a runtime shape check, its verdicts on static findings, and its renderings."""
from __future__ import annotations

import json
import signal
from dataclasses import asdict, dataclass, field

from ..findings import Finding

EXTRAS = {"torch": ("PyTorch", "torch"), "tensorflow": ("TensorFlow", "tensorflow")}
# static codes a framework error at the same line confirms
ERROR_CODES = frozenset({"TL101", "TL102", "TL103", "TL104", "TL201", "TL202", "TL203", "TL204", "TL206", "TL207", "TL208",
                         "TL209", "TL210", "TL211", "TL212", "TL302", "TL303", "TL306", "TL410"})
# static codes a gradient or loss fact found at run time at the same line confirms
GRADIENT_CODES = frozenset({"TL304", "TL305", "TL402", "TL405", "TL411", "TL412", "TL413", "TL414"})
CONFIRMED, REFUTED, NOT_EXERCISED = "confirmed", "refuted", "not exercised"


@dataclass
class Verdict:
    code: str
    line: int
    message: str
    verdict: str  # confirmed | refuted | not exercised
    evidence: str = ""


@dataclass
class RuntimeDiagnostic:
    """One problem found at run time, at a line of the user's file (1-based)."""

    line: int
    severity: str  # error | warning | info
    message: str
    kind: str  # error | timeout | crash | setup | gradient | loss | layer


@dataclass
class Report:
    path: str
    # ok | problems | errors | could-not-check | timeout | crashed | exited | missing-framework | syntax-error
    # | no-calls (the file uses no framework) | failed
    status: str
    message: str
    device: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    python: str = ""
    duration: float = 0.0
    calls: list[dict] = field(default_factory=list)
    setup_errors: list[dict] = field(default_factory=list)
    findings: list[Verdict] = field(default_factory=list)
    kept_lines: list[int] = field(default_factory=list)
    hang_lines: list[int] = field(default_factory=list)
    output: str = ""  # what the user's code printed (tail)
    isolation: dict = field(default_factory=dict)  # how the code was isolated (runtime/sandbox.py)
    notes: list[str] = field(default_factory=list)  # what the check put in place of what it lacks

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "no-calls")

    def call(self, line: int, kind: str | None = None) -> dict | None:
        for c in self.calls:
            if c.get("line") == line and (kind is None or c.get("kind") == kind):
                return c
        return None

    def to_json(self) -> dict:
        data = asdict(self)
        data["diagnostics"] = [asdict(d) for d in self.diagnostics()]
        return data

    # -- diagnostics for editors -----------------------------------------------------------------

    def diagnostics(self) -> list[RuntimeDiagnostic]:
        out: list[RuntimeDiagnostic] = []
        if self.status == "timeout":
            line = self.hang_lines[0] if self.hang_lines else 1
            out.append(RuntimeDiagnostic(line, "error", self.message, "timeout"))
        elif self.status in ("crashed", "exited"):
            out.append(RuntimeDiagnostic(self.hang_lines[0] if self.hang_lines else 1, "error", self.message, "crash"))
        for err in self.setup_errors:
            e = err.get("error") or {}
            if err.get("blame") == "user":
                out.append(RuntimeDiagnostic(err.get("line") or 1, "error", f"{e.get('type')}: {summary(e)}", "user-setup"))
            elif is_root(err):
                why = f" ({err['why']})" if err.get("why") else ""
                out.append(RuntimeDiagnostic(err.get("line") or 1, "warning",
                                             f"could not run this line: {e.get('type')}: {summary(e)}{why}", "setup"))
        for c in self.calls:
            out.extend(_call_diagnostics(c))
        return out

    # -- renderings ------------------------------------------------------------------------------

    def to_text(self) -> str:
        return "\n".join(self._render(markdown=False)) + "\n"

    def to_markdown(self) -> str:
        return "\n".join(self._render(markdown=True)) + "\n"

    def _render(self, markdown: bool) -> list[str]:
        lines: list[str] = []
        where = ", ".join(f"{k} {v}" for k, v in self.device.items() if k in ("torch", "tensorflow", "gpu"))
        versions = ", ".join(f"{k} {v}" for k, v in self.versions.items() if v)
        head = f"Shape check of {self.path}"
        if markdown:
            lines += [f"# {head}", "", f"**{self.status}**: {self.message}", ""]
        else:
            lines += [head, f"{self.status}: {self.message}"]
        facts = "; ".join(x for x in (where and f"device: {where}", versions, f"{self.duration:.1f} s") if x)
        lines += [facts]
        if self.isolation:
            lines.append(isolation_text(self.isolation))
        lines.append("")
        if self.device.get("note"):
            lines += [f"Note: {self.device['note']}", ""]
        for note in self.notes:
            lines.append(f"{'- ' if markdown else ''}Note: {note}")
        if self.notes:
            lines.append("")
        for err in self.setup_errors:
            e = err.get("error") or {}
            if err.get("blame") == "user":
                lines.append(f"{'- ' if markdown else ''}line {err.get('line')}: ERROR in `{err.get('what', '')}`: "
                             f"{e.get('type')}: {summary(e)}")
            elif is_root(err):
                why = f" — {err['why']}" if err.get("why") else ""
                lines.append(f"{'- ' if markdown else ''}line {err.get('line')}: could not run `{err.get('what', '')}`: "
                             f"{e.get('type')}: {summary(e)}{why}")
            else:
                root = err.get("root") or {}
                lines.append(f"{'- ' if markdown else ''}line {err.get('line')}: not run, it depends on line {root.get('line')}")
        if self.setup_errors:
            lines.append("")
        for c in self.calls:
            lines += _render_call(c, markdown)
        if self.findings:
            lines.append("## Static findings" if markdown else "Static findings:")
            if markdown:
                lines += ["", "| code | line | verdict | evidence |", "|---|---|---|---|"]
                lines += [f"| {v.code} | {v.line} | {v.verdict} | {_md(v.evidence)} |" for v in self.findings]
            else:
                lines += [f"  {v.code} line {v.line}: {v.verdict}" + (f" — {v.evidence}" if v.evidence else "") for v in self.findings]
            lines.append("")
        if self.output.strip():
            tail = self.output.strip().splitlines()[-10:]
            lines += (["## Output of the file", "", "```"] + tail + ["```"]) if markdown else (["Output:"] + ["  " + t for t in tail])
        return lines


def isolation_text(iso: dict) -> str:
    """One line that says how the checked code was isolated, and what it was not kept from."""
    mode = iso.get("mode")
    problems = "; ".join(iso.get("problems") or [])
    if mode == "namespaces":
        text = "Sandbox: Linux namespaces (user, PID, network, mount)"
        kept = ["no network", "its own processes only"]
        if iso.get("readonly"):
            kept.insert(0, "file system read-only except a private temporary folder")
        else:
            kept.insert(0, "file system NOT read-only")
        text += ": " + ", ".join(kept)
    elif mode == "process-tree":
        text = (f"Sandbox: none ({iso.get('why') or 'not available'}): the code could read and write your files and "
                "use the network; its processes were killed when the check ended")
    else:
        text = f"Sandbox: {iso.get('why') or mode}"
    if problems:
        text += f" (problems: {problems})"
    if iso.get("left_behind") or iso.get("swept"):
        text += f"; {iso.get('left_behind') or iso.get('swept')} process(es) the code started were still running and were killed"
    return text


def is_root(err: dict) -> bool:
    """A setup failure of its own, not one that follows from an earlier line's."""
    root = err.get("root") or {}
    return root.get("line") in (None, err.get("line"))


def made_up(c: dict) -> bool:
    """The call ran on an input the check made up because the program's own could not be built."""
    return bool(c.get("synthesized_input")) and bool(c.get("input_error"))


def summary(err: dict) -> str:
    return err.get("summary") or first_line(err.get("message", ""))


def first_line(text: str) -> str:
    for ln in (text or "").splitlines():
        if ln.strip():
            return ln.strip()
    return ""


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def shape_text(desc) -> str:
    if desc is None:
        return ""
    if isinstance(desc, list):
        return "(" + ", ".join(shape_text(d) for d in desc) + ")"
    if isinstance(desc, dict) and "shape" in desc:
        shape = desc["shape"]
        return "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]" if shape is not None else "?"
    if isinstance(desc, dict) and "type" in desc:
        return desc["type"]
    if isinstance(desc, dict):
        return "{" + ", ".join(f"{k}: {shape_text(v)}" for k, v in desc.items()) + "}"
    return str(desc)


def dtype_text(desc) -> str:
    if isinstance(desc, dict):
        return desc.get("dtype", "")
    if isinstance(desc, list) and desc:
        return dtype_text(desc[0])
    return ""


def error_place(err: dict, call_line: int | None) -> str:
    inner = err.get("line")
    frames = err.get("frames") or []
    func = frames[-1]["function"] if frames else None
    if inner and call_line and inner != call_line:
        return f"line {inner}" + (f" (in {func})" if func and func != "<module>" else "") + f", called from line {call_line}"
    return f"line {inner or call_line}"


def _call_diagnostics(c: dict) -> list[RuntimeDiagnostic]:
    out = []
    line = c.get("line") or 1
    if c.get("status") == "error" and c.get("synthesized_input"):
        err = c.get("error") or {}
        out.append(RuntimeDiagnostic(line, "warning", f"could not check this call: it fails on the input the check made up "
                                     f"({c['synthesized_input']}): {err.get('type')}: {summary(err)}", "setup"))
    elif c.get("status") == "error":
        err = c.get("error") or {}
        msg = f"{err.get('type')}: {summary(err)}"
        if err.get("layer"):
            msg += f" (in layer {err['layer']}: {err.get('layer_type')})"
        inner = err.get("line")
        if c.get("loss_line") and c["loss_line"] != line:
            out.append(RuntimeDiagnostic(c["loss_line"], "error", f"the loss compiled here fails when line {line} trains: {msg}", "error"))
        if inner and inner != line:
            out.append(RuntimeDiagnostic(inner, "error", f"{msg} — when called from line {line}", "error"))
            out.append(RuntimeDiagnostic(line, "error", f"this call fails at line {inner}: {msg}", "error"))
        else:
            out.append(RuntimeDiagnostic(line, "error", msg, "error"))
    check = c.get("target_check") or {}
    if check.get("done") and check.get("unchanged"):
        out.append(RuntimeDiagnostic(line, "warning", "the loss does not change when the targets change "
                                     f"(both {check.get('before')}): it ignores the labels", "loss"))
    if c.get("minimized") and (c.get("loss") or {}).get("shape"):
        out.append(RuntimeDiagnostic(c.get("loss_line") or line, "warning", f"the loss minimized at line {line} has shape "
                                     f"{shape_text(c['loss'])}, not a scalar: the optimizer minimizes the sum of its "
                                     "elements", "loss"))
    made: dict[int, list[str]] = {}
    for name, where in (c.get("created_at") or {}).items():
        if where:
            made.setdefault(where, []).append(name)
    for where, names in made.items():
        out.append(RuntimeDiagnostic(where, "warning", f"{', '.join(names)}, made here, get no gradient from the loss "
                                     f"minimized at line {line}: this layer does not reach the loss", "gradient"))
    outside = c.get("target_range")
    if outside:
        out.append(RuntimeDiagnostic(c.get("loss_line") or line, "warning", f"the targets of {outside['loss']} must lie in [0, 1], "
                                     f"but they range from {outside['low']:g} to {outside['high']:g}", "loss"))
    if c.get("nonfinite_loss"):
        out.append(RuntimeDiagnostic(line, "warning", f"the loss is {c.get('value')}", "loss"))
    grads = c.get("gradients") or {}
    if grads.get("no_grad"):
        out.append(RuntimeDiagnostic(line, "warning", f"{len(grads['no_grad'])} of {grads.get('parameters')} parameters "
                                     f"received no gradient: {', '.join(grads['no_grad'][:5])}", "gradient"))
    if grads.get("no_grad") and grads.get("note"):
        out[-1].message += f" ({grads['note']})"
    if grads.get("nonfinite"):
        out.append(RuntimeDiagnostic(line, "warning", f"NaN/Inf gradients in {', '.join(grads['nonfinite'][:5])}", "gradient"))
    if grads.get("zero"):
        out.append(RuntimeDiagnostic(line, "warning", f"{len(grads['zero'])} of {grads.get('parameters')} parameters have "
                                     f"an all-zero gradient (they will not learn): {', '.join(grads['zero'][:5])}", "gradient"))
    for p in c.get("probes") or []:
        if p.get("unchanged"):
            lines = p.get("lines") or [line]
            out.append(RuntimeDiagnostic(lines[0], "warning", f"the output of {p['layer']} ({p['type']}) does not change "
                                         "when its input changes", "layer"))
    return out


def _render_call(c: dict, markdown: bool) -> list[str]:
    kind = c.get("kind")
    label = c.get("method") and f"{c['method']}" or kind
    status = c.get("status")
    lines = []
    title = f"line {c.get('line')}: `{c.get('text')}` — {label}: {status}"
    lines.append(("## " if markdown else "") + title)
    if markdown:
        lines.append("")
    if c.get("synthesized_input"):
        lines.append(f"input synthesized: {c['synthesized_input']}")
    if c.get("input_error"):
        e = c["input_error"]
        lines.append(f"the input could not be built: {e.get('type')}: {summary(e)}")
    if status == "skipped":
        lines.append(f"not run: {c.get('reason')}")
    if status == "error":
        err = c.get("error") or {}
        lines.append(f"error at {error_place(err, c.get('line'))}: {err.get('type')}: {summary(err)}")
        if err.get("layer"):
            lines.append(f"failing layer: {err['layer']} ({err.get('layer_type')})")
    if kind == "forward" and status in ("ok", "error"):
        ins = ", ".join(shape_text(i) for i in c.get("inputs") or [])
        if status == "ok" and c.get("model_type") == "Session":
            lines.append(f"session step: fed {ins or 'nothing'} → fetched {shape_text(c.get('output'))}")
        elif status == "ok":
            lines.append(f"{c.get('model_type')} on {c.get('device')}: input {ins} → output {shape_text(c.get('output'))} {dtype_text(c.get('output'))}")
        lines += _layer_table(c.get("layers") or [], markdown)
    if kind == "loss" and status == "ok":
        value = c.get("value")
        lines.append(f"loss {shape_text(c.get('loss'))} {dtype_text(c.get('loss'))}" + (f" = {value:.6g}" if isinstance(value, float) else ""))
        check = c.get("target_check") or {}
        if check.get("done"):
            lines.append("targets changed → loss " + ("UNCHANGED: the loss ignores the targets" if check["unchanged"] else f"changed ({check['before']:.6g} → {check['after']:.6g})"))
        grads = c.get("gradients") or {}
        if grads:
            parts = [f"{grads.get('parameters', 0)} parameter tensors"]
            if grads.get("backward"):
                parts.append(grads["backward"])
            if grads.get("backward_error"):
                parts.append("backward failed: " + first_line(grads["backward_error"].get("message", "")))
            if "no_grad" in grads:
                parts.append(f"without gradient: {', '.join(grads['no_grad']) or 'none'}")
            if grads.get("nonfinite"):
                parts.append(f"NaN/Inf gradient: {', '.join(grads['nonfinite'])}")
            if grads.get("zero"):
                parts.append(f"all-zero gradient: {', '.join(grads['zero'])}")
            if grads.get("note"):
                parts.append(grads["note"])
            lines.append("backward: " + "; ".join(parts))
    for p in c.get("probes") or []:
        if "unchanged" in p:
            verdict = "does NOT change when its input changes" if p["unchanged"] else "changes with its input"
            lines.append(f"layer {p['layer']} ({p['type']}, lines {p['lines'][0]}-{p['lines'][1]}): output {verdict}")
    lines.append("")
    if markdown:  # one fact per line: a list, or Markdown would run the lines into one paragraph
        lines = lines[:2] + [x if not x or x.startswith("|") else "- " + x for x in lines[2:]]
    return lines


def _layer_table(rows: list[dict], markdown: bool) -> list[str]:
    if not rows:
        return []
    header = ["layer", "type", "input", "output", "dtype", "params"]
    body = []
    for r in rows:
        name = ("  " * r.get("depth", 0) if not markdown else "&nbsp;" * 2 * r.get("depth", 0)) + str(r.get("path"))
        out = shape_text(r.get("output")) if "output" in r else "✗ failed"
        body.append([name, r.get("type", ""), shape_text(r.get("input")), out, dtype_text(r.get("output")), f"{r.get('params', 0):,}"])
    if markdown:
        return ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(_md(x) for x in row) + " |" for row in body] + [""]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body)]
    fmt = "  ".join("{:<%d}" % w for w in widths)
    return ["  " + fmt.format(*header)] + ["  " + fmt.format(*row) for row in body]


# -- from events to a report ----------------------------------------------------------------------


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
        elif kind == "synthetic":
            shapes = ", ".join(f"{k} {shape_text({'shape': v})}" for k, v in (ev.get("shapes") or {}).items())
            report.notes.append(f"line {ev.get('line')}: {ev.get('what')} gave synthetic data ({shapes}): "
                                "the check has no network and no data files")
        elif kind == "stand_in":
            report.notes.append(f"line {ev.get('line')}: {ev.get('message')}")
        elif kind == "note":
            report.notes.append(ev.get("message", ""))
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
    failed = [c for c in report.calls if c.get("status") == "error" and not c.get("synthesized_input")]
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
    problems = [d for c in report.calls for d in _call_diagnostics(c) if d.kind in ("loss", "gradient", "layer")]
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
        if report.calls:
            report.message = "could not check: no model was run: " + "; ".join(c.get("reason", "") for c in report.calls)
        return
    report.status = "ok"
    report.message = f"{len(ran)} call(s) ran without error"


def could_not_check(report: Report, exit_event: dict | None) -> list[str]:
    """Why parts of the program were not checked: its setup failed for want of something the
    check does not have, or a model ran only on an input the check made up."""
    gaps: list[str] = []

    def root_text(root: dict | None) -> str | None:
        if not root:
            return None
        why = f" ({root['why']})" if root.get("why") else ""
        return f"line {root.get('line')} `{root.get('what', '')}` failed: {root.get('error', '')}{why}"

    if exit_event is not None:
        gaps.append(f"the program exits with sys.exit({exit_event.get('code')}) at line {exit_event.get('line')} "
                    "while it is set up")
    for c in report.calls:
        if c.get("status") == "skipped":
            text = root_text(c.get("root")) or root_text((c.get("input_error") or {}).get("root"))
            if text is None and "could not be built" in (c.get("reason") or ""):
                text = f"line {c.get('line')}: {c.get('reason')}"
            if text is None and not any(x.get("status") == "error" for x in report.calls):
                text = f"line {c.get('line')}: {c.get('reason')}"
            if text:
                gaps.append(text)
        elif made_up(c):
            err = c.get("input_error") or {}
            text = root_text(err.get("root")) or f"line {c.get('line')}: its input could not be built: {err.get('type')}: {summary(err)}"
            gaps.append(f"{text}; the model ran on a made-up input {c['synthesized_input']}")
        elif c.get("status") == "error" and c.get("synthesized_input"):
            err = c.get("error") or {}
            gaps.append(f"line {c.get('line')}: the model fails on the input the check made up ({c['synthesized_input']}): "
                        f"{err.get('type')}: {summary(err)}")
    if not any(c.get("status") == "ok" for c in report.calls):
        roots = [e for e in report.setup_errors if e.get("blame") != "user" and is_root(e)]
        # the failures most of the rest depends on first
        depends = {}
        for e in report.setup_errors:
            key = (e.get("root") or {}).get("line")
            depends[key] = depends.get(key, 0) + 1
        roots.sort(key=lambda e: -depends.get(e.get("line"), 0))
        gaps += [root_text(e.get("root")) or f"line {e.get('line')}: {summary(e.get('error') or {})}" for e in roots[:3]]
    seen: list[str] = []
    for g in gaps:
        if g not in seen:
            seen.append(g)
    return seen


# -- static findings ------------------------------------------------------------------------------


def judge(findings: list[Finding], report: Report) -> list[Verdict]:
    return [judge_one(f, report) for f in findings]


def _finding_lines(f: Finding) -> set[int]:
    lines = {f.span.start.line, f.span.end.line}
    lines.update(r.span.start.line for r in f.related)
    return lines


def judge_one(f: Finding, report: Report) -> Verdict:
    v = Verdict(code=f.code, line=f.line, message=f.message, verdict=NOT_EXERCISED)
    lines = _finding_lines(f)
    if f.code in ERROR_CODES:
        for c in report.calls:
            err = c.get("error") or {}
            err_lines = {c.get("line"), err.get("line")} | {fr["line"] for fr in err.get("frames") or []}
            if c.get("status") == "error" and lines & err_lines:
                v.verdict = CONFIRMED
                v.evidence = f"{err.get('type')} at {error_place(err, c.get('line'))}: {summary(err)}"
                return v
        for e in report.setup_errors:
            err = e.get("error") or {}
            if e.get("blame") == "user" and lines & ({e.get("line")} | {fr["line"] for fr in err.get("frames") or []}):
                v.verdict = CONFIRMED
                v.evidence = f"{err.get('type')} at line {e.get('line')}: {summary(err)}"
                return v
        for c in report.calls:
            if c.get("status") == "ok" and c.get("line") in lines and not c.get("synthesized_input"):
                v.verdict = REFUTED
                v.evidence = f"line {c['line']} ran without error" + (
                    f": output {shape_text(c.get('output'))} {dtype_text(c.get('output'))}" if c.get("kind") == "forward" else "")
                return v
        return v
    if f.code in GRADIENT_CODES:
        for c in report.calls:
            for d in _call_diagnostics(c):
                if d.kind in ("gradient", "loss") and d.line in lines:
                    v.verdict = CONFIRMED
                    v.evidence = f"line {d.line}: {d.message}"
                    return v
        for c in report.calls:
            grads = c.get("gradients") or {}
            if c.get("kind") == "loss" and c.get("status") == "ok" and c.get("line") in lines and "zero" in grads \
                    and not grads.get("no_grad") and not grads.get("zero") and f.code in ("TL305", "TL402", "TL413"):
                v.verdict = REFUTED
                v.evidence = f"line {c['line']}: all {grads.get('parameters')} parameters get a non-zero gradient"
                return v
        return v
    if f.code == "TL301":
        for c in report.calls:
            check = c.get("target_check") or {}
            span = c.get("lines") or []
            near = c.get("line") in lines or (span and any(span[0] <= ln <= span[1] for ln in lines))
            if c.get("kind") == "loss" and check.get("done") and near:
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


def to_json_text(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2, default=str)
