"""The runtime shape check: run each model of a file once, in a subprocess, and report.

    from tensorlint.runtime import Options, run_shapecheck
    report = run_shapecheck(path, text, Options(device="cpu"))
    report.status, report.to_markdown(), report.diagnostics()

The calling process never imports torch or tensorflow; the subprocess runs under
`Options.python` (default: this interpreter) with a time limit and a memory limit, in the
sandbox of `sandbox.py` (Linux namespaces where available), and nothing it starts outlives it.
"""
from __future__ import annotations

import os
import sys

from .arguments import with_required_arguments
from .data_runs import twice
from .outcome import build
from .report import Report, RuntimeDiagnostic, Verdict
from .verdicts import judge
from .runner import DEVICES, Options, execute
from .settings import project_settings
from .shapes import parse_shape

__all__ = ["DEVICES", "Options", "Report", "RuntimeDiagnostic", "Verdict", "parse_shape", "project_settings", "run_shapecheck"]


def run_shapecheck(path: str, text: str | None = None, options: Options | None = None) -> Report:
    """Check one file. `text` defaults to the file's contents (an editor passes its buffer).

    Never raises for problems of the user's code or environment: they are in the report.
    """
    options = options or Options()
    path = os.path.abspath(path)
    python = options.python or sys.executable
    if options.device not in DEVICES:
        return Report(path, "failed", f"unknown device {options.device!r}: choose one of {', '.join(DEVICES)}", python=python)
    if text is None:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as exc:
            return Report(path, "failed", f"cannot read {path}: {exc}", python=python)
    from .slicer import slice_source

    sliced = slice_source(text)
    if sliced.error:
        return Report(path, "syntax-error", f"the file does not parse: {sliced.error}", python=python)
    if not sliced.frameworks:
        return Report(path, "no-calls", "the file imports neither torch nor tensorflow/keras: nothing to run", python=python)
    configured = project_settings(path).get("inputs", {})
    merged = dict(configured)
    merged.update(options.inputs)
    if merged != options.inputs:
        from dataclasses import replace

        options = replace(options, inputs=merged)
    def run(opts: Options) -> Report:
        return build(path, twice(path, sliced, opts, execute), sliced.kept_lines, opts.timeout, python)

    static = None
    if sliced.library:
        # the file's classes its project builds elsewhere with values written out (project_calls.py)
        from .project_calls import project_constructors

        try:
            sliced.project_ctors = project_constructors(path, text)
        except Exception:  # noqa: BLE001 - the project's other modules must never stop the check of this one
            sliced.project_ctors = {}
    if options.static and sliced.library:
        # a library file's uncalled functions are run where a static finding says their line raises
        # whatever the values (probes.py): the findings are needed before the run
        from .probes import probes

        static = static_findings(text, path)
        sliced.probes = probes(text, static[0], set(sliced.project_ctors))
    report = with_required_arguments(path, text, options, run(options), run)
    if options.static and report.status not in ("missing-framework", "failed"):
        findings, failure = static or static_findings(text, path)
        report.findings = judge(findings, report)
        if failure:
            report.notes.append(f"the static analysis failed ({failure}): no static finding was judged by this run")
    return report


def static_findings(text: str, path: str) -> tuple[list, str | None]:
    """The engine's findings on the file, and why there are none when it failed (a broken
    installation: `tensorlint.rules` not importable), which the report says."""
    try:
        from ..engine import analyze

        return analyze(text, path).findings, None
    except Exception as exc:  # noqa: BLE001 - the engine failing must not hide the runtime result
        return [], f"{type(exc).__name__}: {exc}"
