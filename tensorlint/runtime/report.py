"""The result of a runtime shape check and its renderings (the verdict is computed in outcome.py,
static findings are judged in verdicts.py)."""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from .child.blame import DEVICE_LIMIT, KERAS3_REFUSES
from .fact_texts import target_range_text, trains_updated_elsewhere

EXTRAS = {"torch": ("PyTorch", "torch"), "tensorflow": ("TensorFlow", "tensorflow")}
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
    stubs: list[dict] = field(default_factory=list)  # modules it could not import, given stubs: {module, line}
    # the program's required arguments when its argument parser refused to run without them
    # (child/replay.py: {flag, dest, choices, typed}); arguments.py chooses values for them
    required_args: list[dict] = field(default_factory=list)
    # what fails only with the other rows and values of a made-up table (data_runs.py): not checked
    data_gaps: list[str] = field(default_factory=list)

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
                line, inner = err.get("line") or 1, e.get("line")
                if inner and inner != line:  # it failed inside a function of the file (or where it made the failing object)
                    out.append(RuntimeDiagnostic(inner, "error", f"{e.get('type')}: {summary(e)} — when line {line} ran", "user-setup"))
                    out.append(RuntimeDiagnostic(line, "error", f"this line fails at line {inner}: {e.get('type')}: {summary(e)}",
                                                 "user-setup"))
                else:
                    out.append(RuntimeDiagnostic(line, "error", f"{e.get('type')}: {summary(e)}", "user-setup"))
            elif is_root(err):
                why = f" ({err['why']})" if err.get("why") else ""
                out.append(RuntimeDiagnostic(err.get("line") or 1, "warning",
                                             f"could not run this line: {e.get('type')}: {summary(e)}{why}", "setup"))
        for c in self.calls:
            out.extend(call_diagnostics(c))
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
        own = " (what the code wrote in its own folder went to a copy, gone after the check)" * bool(iso.get("writable_folder"))
        kept = ["file system read-only except a private temporary folder" + own if iso.get("readonly") else
                "file system NOT read-only", "no network", "its own processes only"]
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


# a framework module without a name the program (or its project's module) calls: a function this
# version removed or never had (Keras 2's `keras.backend.clip` under Keras 3); whichever it is,
# the run cannot tell the program's bug from the version's
MISSING_IN_FRAMEWORK = re.compile(r"module '(?:keras|tensorflow|tf_keras|torch|numpy)[\w.]*' has no attribute")


def stub_error(c: dict) -> bool:
    """The call failed for want of what the check lacks: a value of a stub (a module the check could not
    import) reached it, it needs a module or a framework function this environment does not have, it
    needs what the check's device cannot do, or it is Keras 2 code that Keras 3 refuses (blame.py)."""
    if c.get("status") != "error":
        return False
    err = c.get("error") or {}
    return err.get("type") in ("StubValueError", "ModuleNotFoundError", "ImportError") or \
        (err.get("type") == "AttributeError" and bool(MISSING_IN_FRAMEWORK.search(err.get("message") or ""))) or \
        any(p.search(err.get("message") or "") for p in (DEVICE_LIMIT, KERAS3_REFUSES))


def call_diagnostics(c: dict) -> list[RuntimeDiagnostic]:
    out = []
    line = c.get("line") or 1
    if stub_error(c):  # nothing of the call can be judged
        return [RuntimeDiagnostic(line, "warning", f"could not check this call: {summary(c['error'])}", "setup")]
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
    # a value the program never differentiates (`acc = accuracy(out, y)`): its gradients, and whether
    # it moves when the targets change (accuracy on a few samples may not), are no finding
    metric = bool(c.get("metric"))
    if c.get("targets_from_output"):
        out.append(RuntimeDiagnostic(line, "warning", "the targets of this loss are computed from the output it is given "
                                     f"(the model's own predictions at line {c.get('forward_line')}), not from the labels",
                                     "loss"))
    check = c.get("target_check") or {}
    if check.get("done") and check.get("unchanged") and not metric and not c.get("on_made_up_input"):
        out.append(RuntimeDiagnostic(line, "warning", "the loss does not change when the targets change "
                                     f"(both {check.get('before')}): it ignores the labels", "loss"))
    if c.get("minimized") and (c.get("loss") or {}).get("shape"):
        out.append(RuntimeDiagnostic(c.get("loss_line") or line, "warning", f"the loss minimized at line {line} has shape "
                                     f"{shape_text(c['loss'])}, not a scalar: the optimizer minimizes the sum of its "
                                     "elements", "loss"))
    made: dict[int, list[str]] = {}
    for name, where in (c.get("created_at") or {}).items() if not metric else ():
        if where:
            made.setdefault(where, []).append(name)
    for where, names in made.items():
        out.append(RuntimeDiagnostic(where, "warning", f"{', '.join(names)}, made here, get no gradient from the loss "
                                     f"minimized at line {line}: this layer does not reach the loss", "gradient"))
    for end in (c.get("dead_ends") or []) if not metric else ():
        where = ", ".join(str(w) for w in end["made"])
        out.append(RuntimeDiagnostic(end["line"], "warning", f"the value made here ({end['output']}) is never read: nothing "
                                     f"in the graph uses it, so the layers that make it (line{'s' if len(end['made']) > 1 else ''}"
                                     f" {where}) get no gradient from the loss minimized at line {line}", "gradient"))
    for soft in c.get("batch_softmax") or []:
        out.append(RuntimeDiagnostic(soft["line"], "warning", f"{soft['function']} over dim 0, the batch axis of the output of "
                                     f"line {soft.get('forward_line')} ({shape_text({'shape': soft['shape']})}): each "
                                     "class's scores are normalized across the samples of the batch, not across the "
                                     "classes of a sample", "layer"))
    none = c.get("none_gradients")
    if none:
        xs = ", ".join(none["xs"]) + (", ..." if none["count"] > len(none["xs"]) else "")
        ys = ", ".join(none["ys"])
        if none["cuts"]:
            why = (f"{ys} is computed from {'it' if none['count'] == 1 else 'them'} only through an op without a gradient "
                   f"(tf.stop_gradient, line{'s' if len(none['cuts']) > 1 else ''} {', '.join(map(str, none['cuts']))})")
        elif none["reached"]:
            why = f"{ys} is computed from {'it' if none['count'] == 1 else 'them'} only through ops without a gradient"
        else:
            why = f"{ys} is not computed from {'it' if none['count'] == 1 else 'them'}"
        out.append(RuntimeDiagnostic(line, "warning", f"tf.gradients gives None for {'its tensor' if none['count'] == 1 else 'each of its ' + str(none['count']) + ' tensors'} "
                                     f"({xs}): {why}, so no gradient flows back; what is built on this result gets "
                                     "None (as grad_ys, a gradient of ones)", "gradient"))
    for drop in (c.get("discarded_dropouts") or []) if not metric else ():
        out.append(RuntimeDiagnostic(drop["line"], "warning", "the dropout made here is never read: nothing in the graph "
                                     f"uses its output, while its input ({drop['input']}) reaches the loss minimized at "
                                     f"line {line} without it, so the network trains without this dropout", "layer"))
    outside = c.get("target_range")
    if outside:
        out.append(RuntimeDiagnostic(outside.get("layer_line") or c.get("loss_line") or line, "warning",
                                     target_range_text(outside, line), "loss"))
    if c.get("nonfinite_loss") and not c.get("on_made_up_input"):
        out.append(RuntimeDiagnostic(line, "warning", f"the loss is {c.get('value')}", "loss"))
    grads = (c.get("gradients") or {}) if not metric else {}
    if c.get("on_made_up_input"):
        # all-zero or NaN gradients depend on the values, which here the check made up; a parameter
        # with no gradient at all does not
        grads = {k: v for k, v in grads.items() if k not in ("zero", "nonfinite")}
    out.extend(layer_gradients(grads, line))
    if grads.get("no_grad"):
        out.append(RuntimeDiagnostic(line, "warning", f"{len(grads['no_grad'])} of {grads.get('parameters')} parameters "
                                     f"received no gradient: {', '.join(grads['no_grad'][:5])}", "gradient"))
    if grads.get("no_grad") and grads.get("note"):
        out[-1].message += f" ({grads['note']})"
    for layer in c.get("never_called") or []:
        out.append(RuntimeDiagnostic(layer.get("line") or line, "warning", f"the {layer.get('type')} layer "
                                     f"{layer.get('name')}, made here, is never called by the model trained at line {line}, nor "
                                     "by any other call of the run: it has no weights and does not train", "layer"))
    for end in c.get("unread") or []:
        before = end.get("before") or []
        model = f" of the model made at line {end['model_line']}" if end.get("model_line") else ""
        feeding = f", nor do the layers that feed only it (line{'s' if len(before) > 1 else ''} " \
            f"{', '.join(map(str, before))})" if before else ""
        out.append(RuntimeDiagnostic(end.get("line") or line, "warning", f"the output of the {end.get('type')} layer "
                                     f"{end.get('name')}, made here, is never read: it is computed from the inputs{model} "
                                     "but reaches neither its outputs nor those of any other model of the run, so its "
                                     f"weights get no gradient{feeding}", "layer"))
    if grads.get("nonfinite"):
        out.append(RuntimeDiagnostic(line, "warning", f"NaN/Inf gradients in {', '.join(grads['nonfinite'][:5])}", "gradient"))
    if grads.get("zero"):
        out.append(RuntimeDiagnostic(line, "warning", f"{len(grads['zero'])} of {grads.get('parameters')} parameters have "
                                     f"an all-zero gradient (they will not learn): {', '.join(grads['zero'][:5])}", "gradient"))
    for row in c.get("layers") or []:
        ids = row.get("fractional_ids")
        if ids:
            out.append(RuntimeDiagnostic(ids.get("line") or line, "warning", f"the {row.get('type')} layer {row.get('path')} "
                                         f"is given {ids.get('dtype')} values that are not whole numbers when line {line} runs: "
                                         "it looks them up as token ids, truncated (features, not ids)", "layer"))
        mismatch = row.get("format_mismatch")
        if mismatch:
            made = f" (line {mismatch['by_line']})" if mismatch.get("by_line") else ""
            out.append(RuntimeDiagnostic(mismatch.get("line") or line, "warning", f"the {row.get('type')} layer {row.get('path')} "
                                         f"reads its input as {mismatch['format']}, but the {mismatch['by_type']} layer "
                                         f"{mismatch['by']}{made} made it {mismatch['other']}: it takes another axis for the "
                                         f"channels, so it works across channels ({shape_text(row.get('input'))} → "
                                         f"{shape_text(row.get('output'))} when line {line} runs)", "layer"))
        one = row.get("softmax_of_one")
        if one:
            out.append(RuntimeDiagnostic(one.get("line") or line, "warning", f"the {row.get('type')} layer {row.get('path')} "
                                         f"ends in a softmax over an axis of size 1 (output {shape_text(one)}): it returns 1.0 "
                                         f"for every sample when line {line} runs, whatever its input", "layer"))
        declared = row.get("declared_output")
        if declared:
            out.append(RuntimeDiagnostic(declared.get("line") or line, "warning", f"the {row.get('type')} layer {row.get('path')} "
                                         f"declares its output shape as {declared.get('declared')} but returns "
                                         f"{declared.get('actual')} when line {line} runs: Keras 2 gave the declared shape to "
                                         "the layers and the targets after it", "layer"))
    for p in c.get("probes") or []:
        if p.get("unchanged"):
            lines = p.get("lines") or [line]
            out.append(RuntimeDiagnostic(lines[0], "warning", f"the output of {p['layer']} ({p['type']}) does not change "
                                         "when its input changes", "layer"))
    return out


def layer_gradients(grads: dict, line: int) -> list[RuntimeDiagnostic]:
    """Parameters without a gradient, or with an all-zero one, at the line of the program that
    made them (their layer's construction), beside the loss line's count."""
    out = []
    for key, what in (("no_grad", "no gradient from the loss at line {}: this layer does not reach the loss"),
                      ("zero", "an all-zero gradient from the loss at line {}: this layer does not learn from it")):
        made: dict[int, list[str]] = {}
        for name in grads.get(key) or []:
            where = (grads.get("made_at") or {}).get(name)
            if where and where != line:
                made.setdefault(where, []).append(name)
        out += [RuntimeDiagnostic(where, "warning", f"{', '.join(names[:5])}, made here, get{'s' if len(names) == 1 else ''} "
                                  f"{what.format(line)}", "gradient")
                for where, names in made.items()]
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
        if c.get("metric"):
            lines.append(("computed with gradients off (no_grad, inference_mode)" if c.get("grad_off") else
                          "a metric: the program never differentiates its value") + ", so its gradients are not judged")
        elif check.get("done"):
            lines.append("targets changed → loss " + ("UNCHANGED: the loss ignores the targets" if check["unchanged"] else f"changed ({check['before']:.6g} → {check['after']:.6g})"))
        lines += ["one term of a sum the program differentiates: its gradients alone are not judged"] if c.get("term") else []
        grads = c.get("gradients") or {}
        if grads and not c.get("metric"):
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
        if c.get("trains_updated_elsewhere"):
            lines.append(trains_updated_elsewhere(c))
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


def to_json_text(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2, default=str)
