"""The runtime shape check on the real buggy programs (a measurement, not a gate).

    python bench/shapecheck_realbugs.py [--env programs|bare] [--python PY] [--set DIR ...] [--all]
                                        [--only ID ...] [--timeout S] [--jobs N] [-v]

Runs `tensorlint shapecheck` on every program of the real-bug sets (default: tests/realbugs and
/work/shared/realbugs when present) whose category running can expose (SHAPE, DTYPE, LABELS,
NO_GRADIENT, LAYER_IGNORES_INPUT; `--all`: every category), and on their fixed versions.
Each buggy program is one of:
  reproduced       a problem the run found (error, loss, gradient or layer fact) within 3 lines
                   of the bug's line or one of its alt_lines, or a static finding there the run
                   confirmed;
  elsewhere        problems found, none near the bug;
  ok               the run reached the model and found nothing;
  could not check  the check could not get there (the reason is the report's message; its cause,
                   one of CAUSES below, is shown in brackets and counted per framework).
A fixed version counts as a false error when the check reports an error there. An entry whose
program imports its project's modules (`project_files` in the manifest, the files under
`files/<id>.project/`) runs from a copy of that project's layout: the program at its
`source_path`, its modules around it.
The programs run, by default (`--env programs`), in bench/.venvs/shapecheck-programs-HASH (one
per interpreter that runs the bench, HASH of its prefix): this interpreter's environment (its torch and tensorflow, shared through a .pth line) plus the
third-party packages the programs import, found from their import statements (_program_deps.py)
and installed from PyPI once, then reused while those imports stay the same; as a user who runs
the check has their program's packages installed. `--env bare` runs them under this interpreter
alone; `--python PY` under PY (another checkout's programs' environment, made for the same packages). Data files and downloads are missing in both.
Prints one line per program and a table per framework; the last line is
`shapecheck realbugs (ENV environment): reproduced R/N, could not check C/N, false errors on fixed F/G`.
"""
from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import re
import subprocess
import sys
import time
from pathlib import Path

from tensorlint.runtime import Options, run_shapecheck, static_findings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "realbugs"))
from project_files import in_project  # noqa: E402  (the real-bug set's layout of a program's project)

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _program_deps  # noqa: E402
import _venvs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SETS = [ROOT / "tests" / "realbugs", Path("/work/shared/realbugs")]
RUNNABLE = {"SHAPE", "DTYPE", "LABELS", "NO_GRADIENT", "LAYER_IGNORES_INPUT"}
NEAR = 3
FOUND_KINDS = ("error", "loss", "gradient", "layer", "user-setup")
COULD_NOT = ("could-not-check", "no-calls", "crashed", "timeout", "exited", "failed", "missing-framework", "syntax-error")


def outcome(report, lines: list[int]) -> tuple[str, str]:
    """(reproduced | elsewhere | ok | could not check, detail)."""
    diags = [d for d in report.diagnostics() if d.kind in FOUND_KINDS]
    near = [d for d in diags if any(abs(d.line - ln) <= NEAR for ln in lines)]
    confirmed = [v for v in report.findings if v.verdict == "confirmed" and any(abs(v.line - ln) <= NEAR for ln in lines)]
    if near or confirmed:
        first = near[0] if near else None
        return "reproduced", (f"line {first.line}: {first.message}" if first else f"{confirmed[0].code} confirmed")
    if diags:
        return "elsewhere", f"line {diags[0].line}: {diags[0].message}"
    if report.status in COULD_NOT:
        return "could not check", f"{report.status}: {report.message}"
    return "ok", report.message


def false_errors(report) -> list:
    return [d for d in report.diagnostics() if d.severity == "error" and d.kind in ("error", "user-setup")]


def check_case(root: Path, case: dict, options: Options, no_fixed: bool) -> dict:
    """The outcome of one program (and of its fixed version): the entry of --json."""
    started = time.monotonic()
    with in_project(root, case, "") as path:
        report = run_shapecheck(path, None, options)
    what, detail = outcome(report, [case["line"], *case.get("alt_lines", [])])
    entry = {"id": case["id"], "framework": case["framework"], "category": case["category"], "outcome": what,
             "detail": detail, "seconds": round(time.monotonic() - started, 1)}
    if what == "could not check":
        entry["cause"] = _reason(report)
    if case.get("has_fixed") and not no_fixed:
        with in_project(root, case, ".fixed") as path:
            fixed = run_shapecheck(path, None, options)
        entry["fixed"] = {"status": fixed.status, "false_errors": [f"line {d.line}: {d.message}" for d in false_errors(fixed)]}
    return entry


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", action="append", help="folder with manifest.json and files/")
    ap.add_argument("--all", action="store_true", help="every category, not only those running can expose")
    ap.add_argument("--only", action="append", help="program id (repeatable)")
    ap.add_argument("--timeout", type=float, default=90.0)
    ap.add_argument("--no-fixed", action="store_true")
    ap.add_argument("--json", help="write every outcome to this file")
    ap.add_argument("--env", choices=("programs", "bare"), default="programs",
                    help="programs (default): run in bench/.venvs/%s, this interpreter's environment plus "
                         "the third-party packages the programs import; bare: this interpreter alone" % PROGRAMS_ENV)
    ap.add_argument("--python", help="interpreter the programs run under (instead of --env's)")
    ap.add_argument("--jobs", type=int, default=1, help="checks run at once (each is its own process)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    _, failure = static_findings("import torch\n", "probe.py")
    if failure:  # "reproduced" counts static findings the run confirms: without them the figures drop
        print(f"the static analysis does not run here ({failure}): install tensorlint (or put a whole "
              "checkout first on PYTHONPATH) so that tensorlint.rules imports", file=sys.stderr)
        return 2
    sets = [Path(s) for s in args.set] if args.set else [s for s in SETS if (s / "manifest.json").is_file()]
    python = args.python
    if args.env == "programs" and python is None:
        python = programs_env(sets, args.all)
        if python is None:
            return 2
    options = Options(device="cpu", timeout=args.timeout, python=python)
    rows = collections.defaultdict(lambda: collections.Counter())
    reasons = collections.defaultdict(collections.Counter)
    results = []
    fixed_total = fixed_false = 0
    cases = [(root, case) for root in sets for case in json.loads((root / "manifest.json").read_text())
             if (not args.only or case["id"] in args.only) and (args.all or case["category"] in RUNNABLE)]
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:  # each check is its own process
        for entry in pool.map(lambda rc: check_case(*rc, options, args.no_fixed), cases):
            fw = entry["framework"]
            rows[fw][entry["outcome"]] += 1
            rows[fw]["programs"] += 1
            if "cause" in entry:
                reasons[fw][entry["cause"]] += 1
            if "fixed" in entry:
                fixed_total += 1
                rows[fw]["fixed"] += 1
                if entry["fixed"]["false_errors"]:
                    fixed_false += 1
                    rows[fw]["false errors"] += 1
            results.append(entry)
            line = f"{entry['id']:<55} {entry['category']:<12} {entry['outcome']:<16} " + \
                (f"[{entry['cause']}] " if "cause" in entry else "") + entry["detail"][:150]
            if "fixed" in entry:
                line += f" | fixed: {entry['fixed']['status']}" + (" FALSE ERROR " + entry["fixed"]["false_errors"][0][:100]
                                                                    if entry["fixed"]["false_errors"] else "")
            print(line, flush=True)
    print()
    total = print_table(rows, {"bugs": "programs", "reproduced": "reproduced", "elsewhere": "elsewhere", "ok": "ok",
                               "could not check": "could not check", "fixed versions": "fixed",
                               "false errors": "false errors"}, reasons)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    print(f"shapecheck realbugs ({args.env} environment): reproduced {total['reproduced']}/{total['programs']}, could not check "
          f"{total['could not check']}/{total['programs']}, false errors on fixed {fixed_false}/{fixed_total}")
    return 0


def print_table(rows: dict, columns: dict[str, str], reasons: dict) -> collections.Counter:
    """The table per framework (`columns`: each column's title -> its count's key in `rows`), a line
    per framework of the causes of "could not check", and the totals (returned)."""
    print("| framework | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    total = collections.Counter()
    for fw in sorted(rows):
        total.update(rows[fw])
        print(f"| {fw} | " + " | ".join(str(rows[fw][key]) for key in columns.values()) + " |")
    print("| all | " + " | ".join(str(total[key]) for key in columns.values()) + " |")
    for fw in sorted(reasons):
        print(f"could not check ({fw}): " + "; ".join(f"{n}x {why}" for why, n in reasons[fw].most_common()))
    print("could not check (all): " + "; ".join(f"{n}x {why}" for why, n in sum(reasons.values(), collections.Counter()).most_common()))
    return total


PROGRAMS_ENV = "shapecheck-programs"


def programs_env_name() -> str:
    """The programs' environment of this interpreter: one per interpreter that runs the bench,
    since the environment shares that interpreter's packages (a second checkout with its own
    `.venv` would otherwise rebuild, under the first one's runs, the environment they use)."""
    import hashlib

    home = str(Path(sys.prefix).resolve())
    return f"{PROGRAMS_ENV}-{hashlib.sha1(home.encode()).hexdigest()[:8]}"


def program_files(root: Path, case: dict) -> tuple[list[Path], set[str]]:
    """(the files of a program, its fixed version and their projects; the names of its own modules)."""
    files = [root / "files" / f"{case['id']}{tail}.py" for tail in ("", ".fixed")]
    own = {case["id"], Path(case.get("source_path", "")).stem}
    for tail in ("", ".fixed"):
        project = root / "files" / f"{case['id']}{tail}.project"
        if project.is_dir():
            for p in project.rglob("*"):
                own.add(p.stem)
                if p.suffix == ".py":
                    files.append(p)
    return [f for f in files if f.is_file()], own


def programs_env(sets: list[Path], every: bool) -> str | None:
    """The interpreter of the programs' environment (made once, then reused while the programs'
    imports stay the same), or None with a message when it cannot be made."""
    programs = [program_files(root, case) for root in sets for case in json.loads((root / "manifest.json").read_text())
                if every or case["category"] in RUNNABLE]
    reqs, unknown = _program_deps.requirements(sys.executable, programs)
    try:
        env = _venvs.ensure_overlay(programs_env_name(), sys.executable, reqs, log=lambda m: print(m, file=sys.stderr, flush=True))
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        print(f"cannot make the programs' environment: {exc}", file=sys.stderr)
        return None
    print(f"environment {programs_env_name()}: installed {', '.join(env['installed']) or 'nothing'}"
          + (f"; not installable here: {', '.join(f'{d} ({why})' for d, why in sorted(env['failed'].items()))}" if env["failed"] else "")
          + (f"; imports no known distribution provides (left out): {', '.join(sorted(unknown))}" if unknown else ""))
    return env["python"]


# the causes of "could not check", first match wins: (cause, pattern of the report's message)
CAUSES = (
    ("timeout", re.compile(r"^stopped after|timed? ?out", re.I)),
    ("does not parse (Python 2)", re.compile(r"does not parse")),
    ("argparse exits (required arguments)", re.compile(r"argument parser|sys\.exit\(2\)")),
    ("library file: calls no model", re.compile(r"calls no model")),
    ("pandas reads a file (pandas not installed)", re.compile(r"pandas")),
    ("data file, download or folder listing", re.compile(
        r"FileNotFoundError|No such file|get_file|Read-only file system|listdir|URLError|download|data set is empty"
        r"|couldn't connect to 'https://huggingface\.co'|ConnectionError", re.I)),
    ("package not installed", re.compile(r"stub for|cannot be imported|ModuleNotFoundError|No module named")),
    ("made-up images (of the size the program fixes; their values the check's)", re.compile(
        r"depends on the images the check made up|images read from .* \(not here\) were made up")),
    ("a made-up table (of the columns the program reads; its values the check's)", re.compile(
        r"other made-up rows and values|depends on the table the check made up|\(not here\) was made up")),
    ("model ran only on a made-up input", re.compile(r"made up|made-up")),
    ("a channels-first convolution on the CPU", re.compile(r"NHWC")),
    ("a distributed job's launcher or a GPU", re.compile(r"a launcher \(torchrun\)|selects a GPU")),
    ("Keras 2 code Keras 3 refuses", re.compile(r"KerasTensor cannot be used|infer the shape of the Lambda")),
)


def _reason(report) -> str:
    """The cause a check could not get to the model, one of CAUSES or "other" (for the table)."""
    text = report.message
    for cause, pattern in CAUSES:
        if pattern.search(text):
            return cause
    return "other"


if __name__ == "__main__":
    sys.exit(main())
