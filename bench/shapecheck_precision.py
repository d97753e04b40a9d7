"""The runtime shape check on correct programs: does it ever blame code that is right?

    python bench/shapecheck_precision.py [--programs FILE] [--corpus DIR] [--python PY] [--only PATH ...]
                                         [--timeout S] [--jobs N] [--json OUT]

Runs `tensorlint shapecheck` on the training scripts listed in bench/shapecheck_precision.json
(each a repository, its commit and the script's path there; they come from the precision corpus,
bench/realcorpus.json, built by bench/realcorpus.py into bench/.realcorpus/) as a user would: in
the script's own folder, without its data files (none are in the corpus) or a network. The
scripts are public tutorials and training programs, taken to be correct: an error the check
reports is either a bug of the program (to be shown at its line) or the check's own fault (its
made-up values, stand-ins or replay), and each one is judged by hand in
bench/shapecheck_precision.md. Each program is one of:
  error            the check reports an error (a problem of kind error or user-setup);
  ok               the run reached the model and reported no error (warnings are listed);
  could not check  the check could not get there (the cause, as shapecheck_realbugs.py sorts
                   them, in brackets).
The programs run under `--python` (an interpreter with torch, tensorflow and the packages the
programs import), by default the programs' environment that bench/shapecheck_realbugs.py makes
for this interpreter (made, or updated, for the imports of these programs too).
Prints one line per program, a table per framework and every error with its message; the last
line is `shapecheck precision: ok O, error E, could not check C of N programs`.
"""
from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import subprocess
import sys
import time
from pathlib import Path

from tensorlint.runtime import Options, run_shapecheck

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import _program_deps  # noqa: E402
import _venvs  # noqa: E402
import shapecheck_realbugs  # noqa: E402  (the programs' environment and the causes of "could not check")

PROGRAMS = HERE / "shapecheck_precision.json"
CORPUS = HERE / ".realcorpus"


def program_path(corpus: Path, entry: dict) -> Path:
    return corpus / entry["repo"].replace("/", "+") / entry["path"]


def errors(report) -> list:
    return [d for d in report.diagnostics() if d.severity == "error" and d.kind in ("error", "user-setup")]


def check(corpus: Path, entry: dict, options: Options) -> dict:
    started = time.monotonic()
    path = program_path(corpus, entry)
    row = {"repo": entry["repo"], "path": entry["path"], "framework": entry["framework"]}
    if not path.is_file():
        return {**row, "outcome": "could not check", "cause": "not in the corpus", "detail": str(path)}
    report = run_shapecheck(str(path), None, options)
    found = errors(report)
    row["seconds"] = round(time.monotonic() - started, 1)
    row["status"] = report.status
    row["warnings"] = [f"line {d.line}: {d.message}" for d in report.diagnostics() if d.severity != "error"]
    if found:
        return {**row, "outcome": "error", "detail": report.message,
                "errors": [f"line {d.line}: {d.message}" for d in found]}
    if report.status in shapecheck_realbugs.COULD_NOT:
        return {**row, "outcome": "could not check", "cause": shapecheck_realbugs._reason(report),
                "detail": f"{report.status}: {report.message}"}
    return {**row, "outcome": "ok", "detail": report.message}


def programs_env(corpus: Path, entries: list[dict]) -> str | None:
    """The interpreter of the programs' environment, with what these programs import."""
    programs = [([p], {p.stem}) for p in (program_path(corpus, e) for e in entries) if p.is_file()]
    for root in shapecheck_realbugs.SETS:  # the real-bug programs' packages too: one environment for both
        if (root / "manifest.json").is_file():
            programs += [shapecheck_realbugs.program_files(root, case) for case in json.loads((root / "manifest.json").read_text())
                         if case["category"] in shapecheck_realbugs.RUNNABLE]
    reqs, _unknown = _program_deps.requirements(sys.executable, programs)
    try:
        env = _venvs.ensure_overlay(shapecheck_realbugs.programs_env_name(), sys.executable, reqs,
                                    log=lambda m: print(m, file=sys.stderr, flush=True))
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        print(f"cannot make the programs' environment: {exc}", file=sys.stderr)
        return None
    return env["python"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--programs", default=str(PROGRAMS), help="JSON list of {repo, commit, path, framework}")
    ap.add_argument("--corpus", default=str(CORPUS), help="the precision corpus (bench/realcorpus.py)")
    ap.add_argument("--python", help="interpreter the programs run under (default: the programs' environment)")
    ap.add_argument("--only", action="append", help="a program's path in its repository (repeatable)")
    ap.add_argument("--timeout", type=float, default=90.0)
    ap.add_argument("--jobs", type=int, default=1, help="checks run at once (each is its own process)")
    ap.add_argument("--json", help="write every outcome to this file")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"no corpus at {corpus}: run bench/realcorpus.py first")
        return 2
    entries = [e for e in json.loads(Path(args.programs).read_text()) if not args.only or e["path"] in args.only]
    python = args.python or programs_env(corpus, entries)
    if python is None:
        return 2
    options = Options(device="cpu", timeout=args.timeout, python=python)
    rows = collections.defaultdict(collections.Counter)
    causes = collections.defaultdict(collections.Counter)
    results = []
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:  # each check is its own process
        for row in pool.map(lambda e: check(corpus, e, options), entries):
            results.append(row)
            rows[row["framework"]][row["outcome"]] += 1
            rows[row["framework"]]["programs"] += 1
            if "cause" in row:
                causes[row["framework"]][row["cause"]] += 1
            shown = "; ".join(row.get("errors", [])) or row["detail"]
            print(f"{row['repo'] + ':' + row['path']:<90} {row['outcome']:<16} "
                  + (f"[{row['cause']}] " if "cause" in row else "") + shown[:200], flush=True)
    print()
    total = shapecheck_realbugs.print_table(rows, {"programs": "programs", "ok": "ok", "error": "error",
                                                   "could not check": "could not check"}, causes)
    print()
    for row in results:
        for err in row.get("errors", []):
            print(f"ERROR {row['repo']}:{row['path']} {err}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    print(f"shapecheck precision: ok {total['ok']}, error {total['error']}, could not check "
          f"{total['could not check']} of {total['programs']} programs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
