"""`tensorlint shapecheck FILE [--device auto|cuda|cpu|meta] [--input NAME=SHAPE ...] [--args "ARGS"] [--timeout S] [--format text|json]`

Exit status: 0 every call ran on the program's own data, 1 the program failed or the check found
problems (timeout, crash), 2 the check could not run or could not check the program (bad arguments,
missing framework, unreadable file, data or modules the check does not have: "could-not-check").
"""
from __future__ import annotations

import argparse
import shlex
import sys

from . import DEVICES, Options, run_shapecheck
from .sandbox import MODES as SANDBOXES
from .report import to_json_text
from .settings import project_settings
from .shapes import parse_shape

SETUP_FAILURES = ("missing-framework", "failed", "syntax-error", "could-not-check")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="tensorlint shapecheck",
        description="Run each model of FILE once (forward, loss, one backward pass) in a subprocess "
        "and report layer shapes, errors mapped to lines, and gradient facts. The training loop is not run.",
    )
    ap.add_argument("file")
    ap.add_argument("--device", choices=DEVICES, help="auto (cuda when available, else cpu), cuda, cpu, or meta (shapes only, no memory)")
    ap.add_argument("--input", action="append", default=[], metavar="NAME=SHAPE",
                    help="give variable or model NAME a random input of SHAPE, e.g. x=1,3,224,224 or ids=8,128:int64")
    ap.add_argument("--args", default=None, metavar="ARGS",
                    help="the program's own command-line arguments, as one string (it sees sys.argv = [FILE, *ARGS])")
    ap.add_argument("--timeout", type=float, help="seconds for the whole check (default 120); a program that requires arguments and gets no --args is run again with values it establishes, each run with this limit")
    ap.add_argument("--memory-mb", type=int, help="memory limit of the check process (default: 3/4 of RAM; 0: none)")
    ap.add_argument("--python", help="interpreter that has torch/tensorflow (default: this one)")
    ap.add_argument("--sandbox", choices=SANDBOXES,
                    help="auto (default, or $TENSORLINT_SANDBOX): Linux namespaces where this machine allows them, "
                    "else the process-tree fallback; namespaces: refuse to run without them; process-tree: no file "
                    "system or network isolation, only the cleanup of every process the check starts")
    ap.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    ap.add_argument("--no-static", action="store_true", help="do not compare with the static findings")
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help and on bad arguments
        return 0 if exc.code == 0 else 2
    try:
        program_argv = shlex.split(args.args) if args.args is not None else None
    except ValueError as exc:
        print(f"tensorlint shapecheck: --args {args.args!r}: {exc}", file=sys.stderr)
        return 2
    settings = project_settings(args.file)
    for problem in settings.get("errors", []):
        print(f"tensorlint shapecheck: {problem}", file=sys.stderr)
    inputs = {}
    for item in args.input:
        name, sep, spec = item.partition("=")
        if not sep or not name.strip().isidentifier():
            print(f"tensorlint shapecheck: --input {item!r}: write NAME=SHAPE, e.g. x=1,3,224,224", file=sys.stderr)
            return 2
        try:
            inputs[name.strip()] = parse_shape(spec)
        except ValueError as exc:
            print(f"tensorlint shapecheck: --input {name}: {exc}", file=sys.stderr)
            return 2
    options = Options(
        device=args.device or settings.get("device", "auto"),
        timeout=args.timeout or settings.get("timeout", 120.0),
        memory_mb=args.memory_mb if args.memory_mb is not None else settings.get("memory_mb"),
        python=args.python or settings.get("python"),
        inputs=inputs,
        argv=program_argv if program_argv is not None else settings.get("argv", []),
        static=not args.no_static,
    )
    if args.sandbox:
        options.sandbox = args.sandbox
    report = run_shapecheck(args.file, None, options)
    if args.format == "json":
        sys.stdout.write(to_json_text(report) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(report.to_markdown())
    else:
        sys.stdout.write(report.to_text())
    if report.status in SETUP_FAILURES:
        if args.format != "text":
            print(f"tensorlint shapecheck: {report.message}", file=sys.stderr)
        return 2
    return 0 if report.ok else 1
